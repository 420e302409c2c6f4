import { eventStoreConfigFrom, type EventStoreConfig } from '@harbour/event-store';
import { ConfigurationError, collectSettings, wholeNumberSetting, withSecretFiles } from '@harbour/shared';
import { logFormatFrom, logLevelFrom, type LogFormat, type LogLevelName } from '@harbour/observability';
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
  /** JSON lines, or readable text; by default text on a terminal. */
  readonly logFormat: LogFormat;
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
 * - `HARBOUR_LOG_FORMAT`: `auto` (default: readable text on a terminal, JSON lines otherwise),
 *   `json` or `pretty`
 * - `HARBOUR_PROJECTOR_METRICS_PORT`: serve `/metrics` and `/health/*` on this port (unset: off)
 *   at `HARBOUR_HOST` (default 127.0.0.1; 0.0.0.0 in a container)
 * - `HARBOUR_METRICS_TOKEN`: when set, the bearer token `/metrics` requires (at least 32 characters)
 *
 * @throws ConfigurationError whose message starts with the setting's name.
 */
export function projectorConfigFrom(given: Readonly<Record<string, string | undefined>>): ProjectorConfig {
  const env = withSecretFiles(given);
  // Every part is read even after one fails, so start-up names every bad setting at once.
  const { metricsEndpoint, ...config } = collectSettings({
    eventStore: () => eventStoreConfigFrom(env),
    readStore: () => readStoreConfigFrom(env),
    batchSize: () => wholeNumberSetting(env, 'HARBOUR_PROJECTOR_BATCH_SIZE', { fallback: 500, min: 1, max: 100_000 }),
    standbyRetryMs: () =>
      wholeNumberSetting(env, 'HARBOUR_PROJECTOR_STANDBY_RETRY_MS', { fallback: 1000, min: 10, max: 600_000 }),
    schedulerIntervalMs: () =>
      wholeNumberSetting(env, 'HARBOUR_SCHEDULER_INTERVAL_MS', { fallback: 1000, min: 10, max: 3_600_000 }),
    logLevel: () => logLevelFrom(env),
    logFormat: () => logFormatFrom(env),
    metricsEndpoint: () => httpFrom(env),
  });
  return { ...config, ...metricsEndpoint };
}

function httpFrom(env: Readonly<Record<string, string | undefined>>): Pick<ProjectorConfig, 'http' | 'metricsToken'> {
  const { host, token, port } = collectSettings({
    host: () => {
      const host = env.HARBOUR_HOST ?? '127.0.0.1';
      if (host.trim() === '' || /\s/.test(host))
        throw new ConfigurationError('HARBOUR_HOST', 'must be an address to listen on');
      return host;
    },
    token: () => {
      const token = env.HARBOUR_METRICS_TOKEN;
      if (token !== undefined && (token.length < 32 || /\s/.test(token))) {
        throw new ConfigurationError('HARBOUR_METRICS_TOKEN', 'must be at least 32 characters without spaces');
      }
      return token;
    },
    port: () =>
      env.HARBOUR_PROJECTOR_METRICS_PORT === undefined
        ? undefined
        : wholeNumberSetting(env, 'HARBOUR_PROJECTOR_METRICS_PORT', {
            fallback: 0,
            min: 0,
            max: 65535,
            what: 'a port number',
          }),
  });
  return {
    ...(port === undefined ? {} : { http: { host, port } }),
    ...(token === undefined ? {} : { metricsToken: token }),
  };
}
