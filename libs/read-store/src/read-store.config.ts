import { join } from 'node:path';
import { dataDirFrom, sqliteSynchronousFrom } from '@harbour/event-store';
import { ConfigurationError, collectSettings, wholeNumberSetting } from '@harbour/shared';

export type ReadStoreConfig =
  | {
      readonly adapter: 'sqlite';
      /** A file path (its own file, never the event store's), or `:memory:`. */
      readonly filename: string;
      readonly synchronous: 'FULL' | 'NORMAL';
    }
  | {
      readonly adapter: 'postgres';
      readonly connectionString: string;
      /** The schema to use (`search_path`); the server's default when absent. */
      readonly schema?: string;
      readonly maxConnections: number;
    };

/**
 * Reads the read store's settings from an environment map, once, at boot. A bad value throws a
 * `ConfigurationError` whose message starts with the setting's name.
 *
 * - `HARBOUR_READ_STORE`: `sqlite` (default, embedded) or `postgres`
 * - `HARBOUR_DATA_DIR`: where embedded files live (default `./data`); read models go to `read.db`
 * - `HARBOUR_SQLITE_SYNCHRONOUS`: `FULL` (default) or `NORMAL`, as for the event store
 * - `DATABASE_URL`: required with `postgres`, e.g. `postgres://harbour@db:5432/harbour`
 * - `HARBOUR_READ_STORE_SCHEMA`: optional PostgreSQL schema for the read models
 * - `HARBOUR_READ_STORE_POOL_SIZE`: PostgreSQL connections (default 10)
 */
export function readStoreConfigFrom(env: Readonly<Record<string, string | undefined>>): ReadStoreConfig {
  const adapter = env.HARBOUR_READ_STORE ?? 'sqlite';
  if (adapter === 'postgres') {
    const { connectionString, schema, maxConnections } = collectSettings({
      connectionString: () => databaseUrlFrom(env),
      schema: () => {
        const schema = env.HARBOUR_READ_STORE_SCHEMA;
        if (schema !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
          throw new ConfigurationError(
            'HARBOUR_READ_STORE_SCHEMA',
            'must be a lower-case identifier ([a-z_][a-z0-9_]*)',
          );
        }
        return schema;
      },
      maxConnections: () =>
        wholeNumberSetting(env, 'HARBOUR_READ_STORE_POOL_SIZE', { fallback: 10, min: 1, max: 1000 }),
    });
    return { adapter, connectionString, schema, maxConnections };
  }
  if (adapter !== 'sqlite') {
    throw new ConfigurationError('HARBOUR_READ_STORE', `must be sqlite or postgres, not "${adapter}"`);
  }
  const { synchronous, dataDir } = collectSettings({
    synchronous: () => sqliteSynchronousFrom(env),
    dataDir: () => dataDirFrom(env),
  });
  return { adapter, filename: dataDir === ':memory:' ? ':memory:' : join(dataDir, 'read.db'), synchronous };
}

function databaseUrlFrom(env: Readonly<Record<string, string | undefined>>): string {
  const connectionString = env.DATABASE_URL;
  if (!connectionString) {
    throw new ConfigurationError('DATABASE_URL', 'is required when HARBOUR_READ_STORE=postgres');
  }
  if (!/^postgres(ql)?:\/\/\S+$/.test(connectionString)) {
    throw new ConfigurationError('DATABASE_URL', 'must be a postgres:// or postgresql:// URL');
  }
  return connectionString;
}
