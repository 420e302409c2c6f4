import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { ReadStoreConfig } from './read-store.config';
import { PostgresReadStore } from './postgres/postgres-read-store';
import { SqliteReadStore } from './sqlite/sqlite-read-store';
import type { KyselyReadStore } from './sql/kysely-read-store';

/**
 * Opens the adapter the configuration names. Nothing touches the database until the first call;
 * `migrate()` at boot makes an unreachable or broken database stop the process there.
 */
export function createReadStore(config: ReadStoreConfig, now?: () => Date): KyselyReadStore {
  switch (config.adapter) {
    case 'sqlite':
      if (config.filename !== ':memory:') mkdirSync(dirname(config.filename), { recursive: true });
      return new SqliteReadStore({ filename: config.filename, synchronous: config.synchronous, now });
    case 'postgres':
      return new PostgresReadStore({
        connectionString: config.connectionString,
        schema: config.schema,
        maxConnections: config.maxConnections,
        now,
      });
    default: {
      const unknown: never = config;
      throw new Error(`Unknown read store adapter ${JSON.stringify(unknown)}`);
    }
  }
}
