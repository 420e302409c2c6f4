/**
 * @harbour/audit: what audit teams need from the event log. The hash chain that makes tampering
 * evident, case history replay and the state as of a time or revision, the read-access log, and
 * self-contained case exports that verify offline.
 */
export * from './chain/canonical-json';
export * from './chain/hash-chain';
export * from './chain/chain-verification';
export * from './audit.errors';
export * from './history/case-history';
export * from './history/load-case';
export * from './history/decision-explanation';
export * from './access/access-log';
export * from './export/case-export';
export * from './export/case-export.html';
export * from './export/readable-sections';
export * from './ledger/merkle-tree';
export * from './ledger/sqlite-ledger';
export * from './ledger/ledger-verification';
export * from './ledger/ledger.config';
export * from './ledger/tree-head';
export * from './ledger/ledger-anchor';
export * from './ledger/ledger-keeper';
