export * from './projection-runner';
export * from './projection-runner.errors';
export { foldInMemory, compareKeys, type InMemoryFold, type EventFailure } from './projection-fold';
export * from './projection-supervisor';
