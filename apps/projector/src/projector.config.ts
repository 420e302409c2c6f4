import { ConfigurationError, eventStoreConfigFrom, type EventStoreConfig, withSecretFiles } from '@harbour/event-store';
import { logLevelFrom, type LogLevelName } from '@harbour/observability';
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
  readonly logLevel: LogLevelName;
  /**
   * Where `/metrics`, `/health/live` and `/health/ready` are served; no HTTP at all when `port`
   * is absent (the default).
   */
  readonly http?: { readonly host: string; readonly port: number };
  /** When set, `/metrics` answers only `Authorization: Bearer <this>`. */
  readonly metricsToken?: string;
}

/**
 * The projector's settings, read once at boot, on top of the event store's and the read store's:
 *
 * - `HARBOUR_PROJECTOR_BATCH_SIZE`: events per batch (default 500)
 * - `HARBOUR_PROJECTOR_STANDBY_RETRY_MS`: how often a standby tries for leadership (default 1000)
 * - `HARBOUR_SCHEDULER_INTERVAL_MS`: how often the deadline scheduler polls (default 1000)
 * - `HARBOUR_LOG_LEVEL`: fatal, error, warn, info (default), debug, trace or silent; each event
 *   projected live is logged at info with its correlation id, catch-up and rebuild at debug
 * - `HARBOUR_PROJECTOR_METRICS_PORT`: serve `/metrics` and `/health/*` on this port (unset: off)
 *   at `HARBOUR_HOST` (default 127.0.0.1; 0.0.0.0 in a container)
 * - `HARBOUR_METRICS_TOKEN`: when set, the bearer token `/metrics` requires (at least 32 characters)
 *
 * @throws ConfigurationError whose message starts with the setting's name.
 */
export function projectorConfigFrom(given: Readonly<Record<string, string | undefined>>): ProjectorConfig {
  const env = withSecretFiles(given);
  return {
    eventStore: eventStoreConfigFrom(env),
    readStore: readStoreConfigFrom(env),
    batchSize: wholeNumber(env, 'HARBOUR_PROJECTOR_BATCH_SIZE', 500, 1, 100_000),
    standbyRetryMs: wholeNumber(env, 'HARBOUR_PROJECTOR_STANDBY_RETRY_MS', 1000, 10, 600_000),
    schedulerIntervalMs: wholeNumber(env, 'HARBOUR_SCHEDULER_INTERVAL_MS', 1000, 10, 3_600_000),
    logLevel: logLevelFrom(env),
    ...httpFrom(env),
  };
}

function httpFrom(env: Readonly<Record<string, string | undefined>>): Pick<ProjectorConfig, 'http' | 'metricsToken'> {
  const host = env.HARBOUR_HOST ?? '127.0.0.1';
  if (host.trim() === '' || /\s/.test(host))
    throw new ConfigurationError('HARBOUR_HOST', 'must be an address to listen on');
  const token = env.HARBOUR_METRICS_TOKEN;
  if (token !== undefined && (token.length < 32 || /\s/.test(token))) {
    throw new ConfigurationError('HARBOUR_METRICS_TOKEN', 'must be at least 32 characters without spaces');
  }
  return {
    ...(env.HARBOUR_PROJECTOR_METRICS_PORT === undefined
      ? {}
      : { http: { host, port: wholeNumber(env, 'HARBOUR_PROJECTOR_METRICS_PORT', 0, 0, 65535) } }),
    ...(token === undefined ? {} : { metricsToken: token }),
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
