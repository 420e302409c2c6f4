import { join } from 'node:path';

export type EventStoreConfig =
  | {
      readonly adapter: 'sqlite';
      /** A file path, or `:memory:`. */
      readonly filename: string;
      readonly synchronous: 'FULL' | 'NORMAL';
      readonly pollIntervalMs: number;
    }
  | { readonly adapter: 'esdb'; readonly connectionString: string };

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
  };
}
