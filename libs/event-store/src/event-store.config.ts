import { join } from 'node:path';
import { DEFAULT_MAX_APPEND_BYTES } from './event-store.port';
import { ConfigurationError, collectSettings, wholeNumberSetting } from '@harbour/shared';

export type EventStoreConfig =
  | {
      readonly adapter: 'sqlite';
      /** A file path, or `:memory:`. */
      readonly filename: string;
      readonly synchronous: 'FULL' | 'NORMAL';
      readonly pollIntervalMs: number;
      /** The largest append taken (default 1 MiB). */
      readonly maxAppendBytes?: number;
    }
  | { readonly adapter: 'esdb'; readonly connectionString: string; readonly maxAppendBytes?: number };

/**
 * Reads the event store's settings from an environment map, once, at boot.
 *
 * - `HARBOUR_EVENT_STORE`: `sqlite` (default, embedded) or `esdb`
 * - `HARBOUR_DATA_DIR`: where embedded files live (default `./data`); events go to `events.db`
 * - `HARBOUR_SQLITE_SYNCHRONOUS`: `FULL` (default) or `NORMAL`
 * - `HARBOUR_SQLITE_POLL_MS`: how often subscriptions look for other processes' appends (default 100)
 * - `EVENTSTORE_CONNECTION_STRING`: required with `esdb`, e.g. `esdb://localhost:2113?tls=false`
 * - `HARBOUR_EVENT_STORE_MAX_APPEND_BYTES` (default 1 MiB, EventStoreDB's default `MaxAppendSize`):
 *   the largest append taken; never above the server's own limit
 */
export function eventStoreConfigFrom(env: Readonly<Record<string, string | undefined>>): EventStoreConfig {
  const adapter = env.HARBOUR_EVENT_STORE ?? 'sqlite';
  if (adapter === 'esdb') {
    const { connectionString, maxAppendBytes } = collectSettings({
      connectionString: () => esdbConnectionStringFrom(env),
      maxAppendBytes: () => maxAppendBytesFrom(env),
    });
    return { adapter, connectionString, maxAppendBytes };
  }
  if (adapter !== 'sqlite') {
    throw new ConfigurationError('HARBOUR_EVENT_STORE', `must be sqlite or esdb, not "${adapter}"`);
  }
  const { synchronous, pollIntervalMs, dataDir, maxAppendBytes } = collectSettings({
    synchronous: () => sqliteSynchronousFrom(env),
    pollIntervalMs: () =>
      wholeNumberSetting(env, 'HARBOUR_SQLITE_POLL_MS', {
        fallback: 100,
        min: 1,
        max: 60_000,
        what: 'a whole number of milliseconds',
      }),
    dataDir: () => dataDirFrom(env),
    maxAppendBytes: () => maxAppendBytesFrom(env),
  });
  return {
    adapter,
    filename: dataDir === ':memory:' ? ':memory:' : join(dataDir, 'events.db'),
    synchronous,
    pollIntervalMs,
    maxAppendBytes,
  };
}

function esdbConnectionStringFrom(env: Readonly<Record<string, string | undefined>>): string {
  const connectionString = env.EVENTSTORE_CONNECTION_STRING;
  if (!connectionString) {
    throw new ConfigurationError('EVENTSTORE_CONNECTION_STRING', 'is required when HARBOUR_EVENT_STORE=esdb');
  }
  const discover = /^esdb\+discover:\/\/([^/?]*)/.exec(connectionString);
  if (!discover && !/^esdb:\/\//.test(connectionString)) {
    throw new ConfigurationError('EVENTSTORE_CONNECTION_STRING', 'must start with esdb:// or esdb+discover://');
  }
  // The client takes only the first host of esdb+discover:// (meant for one DNS name that lists
  // every node): with that node down it could find no other. esdb://n1,n2,n3 gossips with each.
  if (discover && discover[1].includes(',')) {
    throw new ConfigurationError(
      'EVENTSTORE_CONNECTION_STRING',
      'esdb+discover:// takes one DNS name listing the nodes; to name the nodes one by one use esdb://node1:2113,node2:2113,node3:2113 (the client gossips with each)',
    );
  }
  return connectionString;
}

function maxAppendBytesFrom(env: Readonly<Record<string, string | undefined>>): number {
  return wholeNumberSetting(env, 'HARBOUR_EVENT_STORE_MAX_APPEND_BYTES', {
    fallback: DEFAULT_MAX_APPEND_BYTES,
    min: 1024,
    max: 16 * 1024 * 1024,
    what: 'a whole number of bytes',
  });
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
