export * from './event-store.port';
export * from './event-store.errors';
export * from './event-store.config';
export { createEventStore } from './event-store.factory';
export { EventStoreModule } from './event-store.module';
export { appendSize, matchesFilter } from './event-store.validation';
export { SqliteEventStore, DuplicateEventIdError, type SqliteEventStoreOptions } from './sqlite/sqlite-event-store';
export { EsdbEventStore, type EsdbEventStoreOptions } from './esdb/esdb-event-store';
