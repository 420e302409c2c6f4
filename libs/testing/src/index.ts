export * from './event-store-contract';
export * from './temp-dir';
export * from './esdb-double';
