import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { ConfigurationError, collectSettings, wholeNumberSetting } from '@harbour/shared';
import { MasterKey, decodeMasterKey, readOrCreateDevelopmentMasterKey } from './keys/master-key';
import { retentionPolicyFrom, type RetentionPolicy } from './retention/retention.policy';

export type KeyStoreConfig =
  | { readonly adapter: 'sqlite'; readonly filename: string }
  | { readonly adapter: 'postgres'; readonly connectionString: string; readonly schema?: string };

/** Everything personal-data protection reads from the environment, once, at boot. */
export interface PrivacyConfig {
  readonly keyStore: KeyStoreConfig;
  readonly masterKey: MasterKey;
  readonly retention: RetentionPolicy;
  /** How many data keys one lease makes durable ahead of use (see `SubjectKeys`). */
  readonly keyPoolSize: number;
}

/** Keys leased at once when `HARBOUR_KEY_POOL_SIZE` is not set. */
export const DEFAULT_KEY_POOL_SIZE = 256;

/**
 * - `HARBOUR_MASTER_KEY`: 32 bytes, base64; wraps every data key. Required in distributed mode; in
 *   embedded mode, when absent, read from (or generated into, mode 0600) `<data dir>/dev-master-key`
 * - `HARBOUR_KEY_STORE`: `sqlite` (default: `<data dir>/keys.db`) or `postgres` (needs `DATABASE_URL`;
 *   `HARBOUR_KEY_STORE_SCHEMA` optional)
 * - `HARBOUR_RETENTION`: `outcome=period` pairs (see `retentionPolicyFrom`); six years by default
 * - `HARBOUR_KEY_POOL_SIZE`: data keys made durable per lease, ahead of use (1 to 10,000; 256)
 * - `HARBOUR_MODE`, `HARBOUR_DATA_DIR` as everywhere else
 */
export function privacyConfigFrom(env: Readonly<Record<string, string | undefined>>): PrivacyConfig {
  const dataDir = env.HARBOUR_DATA_DIR ?? './data';
  const mode = env.HARBOUR_MODE ?? 'embedded';
  return collectSettings({
    keyStore: () => keyStoreConfigFrom(env, dataDir),
    masterKey: () => masterKeyFrom(env.HARBOUR_MASTER_KEY, mode, dataDir),
    retention: () => retentionPolicyFrom(env.HARBOUR_RETENTION),
    keyPoolSize: () =>
      wholeNumberSetting(env, 'HARBOUR_KEY_POOL_SIZE', {
        fallback: DEFAULT_KEY_POOL_SIZE,
        min: 1,
        max: 10_000,
        what: 'a whole number of keys',
      }),
  });
}

function masterKeyFrom(value: string | undefined, mode: string, dataDir: string): MasterKey {
  if (value !== undefined && value.trim() !== '') return decodeMasterKey(value, 'HARBOUR_MASTER_KEY');
  if (mode !== 'embedded') {
    throw new ConfigurationError(
      'HARBOUR_MASTER_KEY',
      'is required in distributed mode (32 random bytes, base64: openssl rand -base64 32)',
    );
  }
  // An in-memory data directory keeps nothing: its keys die with the process, and so may the master.
  if (dataDir === ':memory:') return new MasterKey(randomBytes(32), 'generated for this process');
  return readOrCreateDevelopmentMasterKey(dataDir);
}

function keyStoreConfigFrom(env: Readonly<Record<string, string | undefined>>, dataDir: string): KeyStoreConfig {
  const adapter = env.HARBOUR_KEY_STORE ?? 'sqlite';
  if (adapter === 'postgres') {
    const connectionString = env.DATABASE_URL;
    if (!connectionString || !/^postgres(ql)?:\/\/\S+$/.test(connectionString)) {
      throw new ConfigurationError('DATABASE_URL', 'must be a postgres:// URL when HARBOUR_KEY_STORE=postgres');
    }
    const schema = env.HARBOUR_KEY_STORE_SCHEMA;
    if (schema !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
      throw new ConfigurationError('HARBOUR_KEY_STORE_SCHEMA', 'must be a lower-case identifier ([a-z_][a-z0-9_]*)');
    }
    return { adapter, connectionString, ...(schema ? { schema } : {}) };
  }
  if (adapter !== 'sqlite') {
    throw new ConfigurationError('HARBOUR_KEY_STORE', `must be sqlite or postgres, not "${adapter}"`);
  }
  return { adapter, filename: dataDir === ':memory:' ? ':memory:' : join(dataDir, 'keys.db') };
}

/**
 * A configuration that keeps nothing: keys in an in-memory SQLite store under a random master key
 * for this process alone. For tests, and for tools that never outlive their data.
 */
export function ephemeralPrivacyConfig(): PrivacyConfig {
  return {
    keyStore: { adapter: 'sqlite', filename: ':memory:' },
    masterKey: new MasterKey(randomBytes(32), 'generated for this process'),
    retention: retentionPolicyFrom(undefined),
    keyPoolSize: DEFAULT_KEY_POOL_SIZE,
  };
}
