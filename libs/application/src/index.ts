export * from './application.module';
export * from './command-handling/command-errors';
export * from './command-handling/handle-stream-command';
export * from './case/case.commands';
export * from './intake/intake.handlers';
export * from './case/workflow-routes.token';
export * from './idempotency/idempotency.store';
export {
  PostgresIdempotencyStore,
  type PostgresIdempotencyStoreOptions,
} from './idempotency/postgres-idempotency.store';
export * from './ports/clock.port';
export { EventSchemaRegistry, EventSchemaViolationError } from './event-schemas/event-schema-registry';
export * from './queries/read-model.queries';
export * from './queries/read-your-writes';
export * from './deadlines/deadline.scheduler';
export * from './privacy/personal-data.provider';
export * from './privacy/privacy.handlers';
export * from './privacy/subject-erasure';
export * from './privacy/subject-export';
export * from './privacy/retention';
export * from './panels/panel-registry';
export * from './meetings/meetings';
export * from './replay/replay-diff';
export * from './letters';
