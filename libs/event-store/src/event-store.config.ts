import { join } from 'node:path';
import { ConfigurationError, collectSettings, wholeNumberSetting } from './settings';

export type EventStoreConfig =
  | {
      readonly adapter: 'sqlite';
      /** A file path, or `:memory:`. */
      readonly filename: string;
      readonly synchronous: 'FULL' | 'NORMAL';
      readonly pollIntervalMs: number;
    }
  | { readonly adapter: 'esdb'; readonly connectionString: string };

/**
 * Reads the event store's settings from an environment map, once, at boot.
 *
 * - `HARBOUR_EVENT_STORE`: `sqlite` (default, embedded) or `esdb`
 * - `HARBOUR_DATA_DIR`: where embedded files live (default `./data`); events go to `events.db`
 * - `HARBOUR_SQLITE_SYNCHRONOUS`: `FULL` (default) or `NORMAL`
 * - `HARBOUR_SQLITE_POLL_MS`: how often subscriptions look for other processes' appends (default 100)
 * - `EVENTSTORE_CONNECTION_STRING`: required with `esdb`, e.g. `esdb://localhost:2113?tls=false`
 */
export function eventStoreConfigFrom(env: Readonly<Record<string, string | undefined>>): EventStoreConfig {
  const adapter = env.HARBOUR_EVENT_STORE ?? 'sqlite';
  if (adapter === 'esdb') {
    const connectionString = env.EVENTSTORE_CONNECTION_STRING;
    if (!connectionString) {
      throw new ConfigurationError('EVENTSTORE_CONNECTION_STRING', 'is required when HARBOUR_EVENT_STORE=esdb');
    }
    if (!/^esdb(\+discover)?:\/\//.test(connectionString)) {
      throw new ConfigurationError('EVENTSTORE_CONNECTION_STRING', 'must start with esdb:// or esdb+discover://');
    }
    return { adapter, connectionString };
  }
  if (adapter !== 'sqlite') {
    throw new ConfigurationError('HARBOUR_EVENT_STORE', `must be sqlite or esdb, not "${adapter}"`);
  }
  const { synchronous, pollIntervalMs, dataDir } = collectSettings({
    synchronous: () => sqliteSynchronousFrom(env),
    pollIntervalMs: () =>
      wholeNumberSetting(env, 'HARBOUR_SQLITE_POLL_MS', {
        fallback: 100,
        min: 1,
        max: 60_000,
        what: 'a whole number of milliseconds',
      }),
    dataDir: () => dataDirFrom(env),
  });
  return {
    adapter,
    filename: dataDir === ':memory:' ? ':memory:' : join(dataDir, 'events.db'),
    synchronous,
    pollIntervalMs,
  };
}

/** `HARBOUR_SQLITE_SYNCHRONOUS`, which the event store and the read store share. */
export function sqliteSynchronousFrom(env: Readonly<Record<string, string | undefined>>): 'FULL' | 'NORMAL' {
  const synchronous = env.HARBOUR_SQLITE_SYNCHRONOUS ?? 'FULL';
  if (synchronous !== 'FULL' && synchronous !== 'NORMAL') {
    throw new ConfigurationError('HARBOUR_SQLITE_SYNCHRONOUS', `must be FULL or NORMAL, not "${synchronous}"`);
  }
  return synchronous;
}

/** `HARBOUR_DATA_DIR` (default `./data`): where every embedded file lives. */
export function dataDirFrom(env: Readonly<Record<string, string | undefined>>): string {
  const dataDir = env.HARBOUR_DATA_DIR ?? './data';
  if (dataDir.trim() === '') throw new ConfigurationError('HARBOUR_DATA_DIR', 'must not be empty');
  return dataDir;
}
