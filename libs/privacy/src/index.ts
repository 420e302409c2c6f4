/**
 * @harbour/privacy: crypto-shredding of personal data. Per-subject AES-256-GCM data keys wrapped
 * by a master key, the key store port and its SQLite and PostgreSQL adapters, the protector that
 * encrypts the fields the event schemas mark and decrypts them (or shows `[erased]`) on read, and
 * the retention policy.
 */
export * from './crypto/personal-data.cipher';
export * from './keys/key-store.port';
export * from './keys/sqlite-key-store';
export * from './keys/postgres-key-store';
export * from './keys/key-store.factory';
export * from './keys/master-key';
export * from './keys/subject-keys';
export * from './protection/personal-data.protector';
export * from './retention/retention.policy';
export * from './privacy.config';
export * from './privacy.errors';
