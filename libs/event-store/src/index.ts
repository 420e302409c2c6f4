export * from './event-store.port';
export * from './event-store.errors';
export { matchesFilter } from './event-store.validation';
export { SqliteEventStore, DuplicateEventIdError, type SqliteEventStoreOptions } from './sqlite/sqlite-event-store';
