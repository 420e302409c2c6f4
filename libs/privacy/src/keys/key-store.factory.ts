import type { KeyStoreConfig } from '../privacy.config';
import type { KeyStore } from './key-store.port';
import { PostgresKeyStore } from './postgres-key-store';
import { SqliteKeyStore } from './sqlite-key-store';

/** The key store adapter the configuration names (not yet initialised). */
export function createKeyStore(config: KeyStoreConfig): KeyStore {
  return config.adapter === 'postgres'
    ? new PostgresKeyStore({ connectionString: config.connectionString, schema: config.schema })
    : new SqliteKeyStore(config.filename);
}
