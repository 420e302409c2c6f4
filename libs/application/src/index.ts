export * from './application.module';
export * from './command-handling/command-errors';
export * from './command-handling/handle-stream-command';
export * from './case/case.commands';
export * from './idempotency/idempotency.store';
export * from './ports/clock.port';
export * from './ports/ids';
export { EventSchemaRegistry, EventSchemaViolationError } from './event-schemas/event-schema-registry';
