/**
 * Synthetic referrals, carried through the real command pipeline: `harbour seed`, the benchmarks
 * and the specs that need many realistic cases. Nothing here is read by the engine itself, which
 * is why it is not in libs/application.
 */
export * from './seeded-random';
export * from './synthetic-referrals.config';
export * from './synthetic-case.plan';
export * from './synthetic-referrals.seeder';
