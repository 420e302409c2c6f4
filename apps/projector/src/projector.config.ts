import { ConfigurationError, eventStoreConfigFrom, type EventStoreConfig } from '@harbour/event-store';
import { readStoreConfigFrom, type ReadStoreConfig } from '@harbour/read-store';

export interface ProjectorConfig {
  readonly eventStore: EventStoreConfig;
  readonly readStore: ReadStoreConfig;
  /** Events per batch (read, folded and committed together). */
  readonly batchSize: number;
  /**
   * Distributed mode (read models in PostgreSQL): how often a standby instance tries to take a
   * projection's leader lock.
   */
  readonly standbyRetryMs: number;
  /** How often the deadline scheduler polls for due timers, in ms. */
  readonly schedulerIntervalMs: number;
}

/**
 * The projector's settings, read once at boot, on top of the event store's and the read store's:
 *
 * - `HARBOUR_PROJECTOR_BATCH_SIZE`: events per batch (default 500)
 * - `HARBOUR_PROJECTOR_STANDBY_RETRY_MS`: how often a standby tries for leadership (default 1000)
 * - `HARBOUR_SCHEDULER_INTERVAL_MS`: how often the deadline scheduler polls (default 1000)
 *
 * @throws ConfigurationError whose message starts with the setting's name.
 */
export function projectorConfigFrom(env: Readonly<Record<string, string | undefined>>): ProjectorConfig {
  return {
    eventStore: eventStoreConfigFrom(env),
    readStore: readStoreConfigFrom(env),
    batchSize: wholeNumber(env, 'HARBOUR_PROJECTOR_BATCH_SIZE', 500, 1, 100_000),
    standbyRetryMs: wholeNumber(env, 'HARBOUR_PROJECTOR_STANDBY_RETRY_MS', 1000, 10, 600_000),
    schedulerIntervalMs: wholeNumber(env, 'HARBOUR_SCHEDULER_INTERVAL_MS', 1000, 10, 3_600_000),
  };
}

function wholeNumber(
  env: Readonly<Record<string, string | undefined>>,
  setting: string,
  fallback: number,
  min: number,
  max: number,
): number {
  const raw = env[setting];
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isInteger(value) || value < min || value > max) {
    throw new ConfigurationError(setting, `must be a whole number from ${min} to ${max}, not "${raw}"`);
  }
  return value;
}
