import { join } from 'node:path';
import { DEFAULT_MAX_APPEND_BYTES } from './event-store.port';

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

/** Thrown at boot for a bad setting; the message names the setting and what it accepts. */
export class ConfigurationError extends Error {
  constructor(
    readonly setting: string,
    message: string,
  ) {
    super(`${setting}: ${message}`);
    this.name = 'ConfigurationError';
  }
}

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
  const maxAppendBytes = maxAppendBytesFrom(env.HARBOUR_EVENT_STORE_MAX_APPEND_BYTES);
  if (adapter === 'esdb') {
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
    return { adapter, connectionString, maxAppendBytes };
  }
  if (adapter !== 'sqlite') {
    throw new ConfigurationError('HARBOUR_EVENT_STORE', `must be sqlite or esdb, not "${adapter}"`);
  }
  const synchronous = env.HARBOUR_SQLITE_SYNCHRONOUS ?? 'FULL';
  if (synchronous !== 'FULL' && synchronous !== 'NORMAL') {
    throw new ConfigurationError('HARBOUR_SQLITE_SYNCHRONOUS', `must be FULL or NORMAL, not "${synchronous}"`);
  }
  const pollIntervalMs = Number(env.HARBOUR_SQLITE_POLL_MS ?? '100');
  if (!Number.isInteger(pollIntervalMs) || pollIntervalMs < 1 || pollIntervalMs > 60_000) {
    throw new ConfigurationError('HARBOUR_SQLITE_POLL_MS', 'must be a whole number of milliseconds from 1 to 60000');
  }
  const dataDir = env.HARBOUR_DATA_DIR ?? './data';
  if (dataDir.trim() === '') throw new ConfigurationError('HARBOUR_DATA_DIR', 'must not be empty');
  return {
    adapter,
    filename: dataDir === ':memory:' ? ':memory:' : join(dataDir, 'events.db'),
    synchronous,
    pollIntervalMs,
    maxAppendBytes,
  };
}

function maxAppendBytesFrom(setting: string | undefined): number {
  if (setting === undefined) return DEFAULT_MAX_APPEND_BYTES;
  const value = Number(setting);
  if (setting.trim() === '' || !Number.isInteger(value) || value < 1024 || value > 16 * 1024 * 1024) {
    throw new ConfigurationError(
      'HARBOUR_EVENT_STORE_MAX_APPEND_BYTES',
      `must be a whole number of bytes from 1024 to 16777216, not "${setting}"`,
    );
  }
  return value;
}
