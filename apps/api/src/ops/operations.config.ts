import { ConfigurationError, collectSettings, wholeNumberSetting } from '@harbour/shared';
import { logFormatFrom, logLevelFrom, type LogFormat, type LogLevelName } from '@harbour/observability';
import type { SecurityMode } from '@harbour/security';

/** How the API runs in production: logs, protection, health, metrics, shutdown. */
export interface OperationsConfig {
  readonly logLevel: LogLevelName;
  /** JSON lines, or readable text; by default text on a terminal. */
  readonly logFormat: LogFormat;
  /** Origins a browser may call the API from; empty (the default) sends no CORS headers at all. */
  readonly corsOrigins: readonly string[];
  /**
   * Commands (POST) one client address may send per window; 429 past it. With `redisUrl` the
   * count is kept in Redis and shared by every API replica (else each replica counts alone, and a
   * client behind a load balancer gets the limit once per replica).
   */
  readonly rateLimit: { readonly max: number; readonly windowMs: number; readonly redisUrl?: string };
  /** Reads (GET) one user may make per window (the same window); 429 past it. */
  readonly readRateLimit: { readonly max: number; readonly windowMs: number };
  /**
   * Whose address is the client's: `false` (the socket's), `true` (the first in
   * X-Forwarded-For) or the proxies' addresses. Behind a load balancer the rate limit needs it.
   */
  readonly trustProxy: boolean | readonly string[];
  /** `/health/ready` is false when any projection is further behind the event store than this. */
  readonly readyMaxLag: number;
  /** When set, `/metrics` answers only `Authorization: Bearer <this>`. */
  readonly metricsToken?: string;
  /** How long SIGTERM may take (in-flight commands, the projection batch, closing stores). */
  readonly shutdownTimeoutMs: number;
}

type Env = Readonly<Record<string, string | undefined>>;

const MIN_METRICS_TOKEN = 32;

/**
 * - `HARBOUR_LOG_LEVEL`: fatal, error, warn, info (default), debug, trace or silent
 * - `HARBOUR_LOG_FORMAT`: `auto` (default: readable text on a terminal, JSON lines otherwise),
 *   `json` or `pretty`
 * - `HARBOUR_CORS_ORIGINS`: comma-separated origins (`https://harbour.example`); unset, CORS is off
 * - `HARBOUR_RATE_LIMIT_MAX` (default 300) commands per `HARBOUR_RATE_LIMIT_WINDOW_MS` (default
 *   60000) per client address
 * - `HARBOUR_READ_RATE_LIMIT_MAX` (default 600) reads per window per user
 * - `HARBOUR_RATE_LIMIT_REDIS_URL`: `redis://` or `rediss://` URL; when set, the counts are shared
 *   by every replica through Redis (`?keyPrefix=` in the URL separates deployments sharing one)
 * - `HARBOUR_TRUST_PROXY`: `false` (default), `true`, or comma-separated proxy addresses/CIDRs
 * - `HARBOUR_READY_MAX_LAG` (default 1000): the projection lag, in events, past which the API
 *   reports itself not ready
 * - `HARBOUR_METRICS_TOKEN`: the bearer token Prometheus sends for `/metrics`, at least 32
 *   characters; required when `HARBOUR_MODE=distributed`, optional (and `/metrics` open) in
 *   embedded mode, where the API listens on 127.0.0.1
 * - `HARBOUR_SHUTDOWN_TIMEOUT_MS` (default 25000): past it a stopping API exits 1
 */
export function operationsConfigFrom(env: Env, mode: SecurityMode): OperationsConfig {
  const config = collectSettings({
    metricsToken: () => {
      const metricsToken = env.HARBOUR_METRICS_TOKEN;
      if (metricsToken !== undefined && (metricsToken.length < MIN_METRICS_TOKEN || /\s/.test(metricsToken))) {
        throw new ConfigurationError(
          'HARBOUR_METRICS_TOKEN',
          `must be at least ${MIN_METRICS_TOKEN} characters without spaces`,
        );
      }
      if (metricsToken === undefined && mode === 'distributed') {
        throw new ConfigurationError('HARBOUR_METRICS_TOKEN', 'is required when HARBOUR_MODE=distributed');
      }
      return metricsToken;
    },
    logLevel: () => logLevelFrom(env),
    logFormat: () => logFormatFrom(env),
    corsOrigins: () => corsOriginsFrom(env.HARBOUR_CORS_ORIGINS),
    rateLimitMax: () => wholeNumberSetting(env, 'HARBOUR_RATE_LIMIT_MAX', { fallback: 300, min: 1, max: 1_000_000 }),
    rateLimitWindowMs: () =>
      wholeNumberSetting(env, 'HARBOUR_RATE_LIMIT_WINDOW_MS', { fallback: 60_000, min: 100, max: 86_400_000 }),
    readRateLimitMax: () =>
      wholeNumberSetting(env, 'HARBOUR_READ_RATE_LIMIT_MAX', { fallback: 600, min: 1, max: 1_000_000 }),
    rateLimitRedis: () => redisUrlFrom(env.HARBOUR_RATE_LIMIT_REDIS_URL),
    trustProxy: () => trustProxyFrom(env.HARBOUR_TRUST_PROXY),
    readyMaxLag: () =>
      wholeNumberSetting(env, 'HARBOUR_READY_MAX_LAG', { fallback: 1000, min: 0, max: Number.MAX_SAFE_INTEGER }),
    shutdownTimeoutMs: () =>
      wholeNumberSetting(env, 'HARBOUR_SHUTDOWN_TIMEOUT_MS', { fallback: 25_000, min: 100, max: 600_000 }),
  });
  const { metricsToken, rateLimitMax, rateLimitWindowMs, readRateLimitMax, rateLimitRedis, ...rest } = config;
  return {
    ...rest,
    rateLimit: { max: rateLimitMax, windowMs: rateLimitWindowMs, ...rateLimitRedis },
    readRateLimit: { max: readRateLimitMax, windowMs: rateLimitWindowMs },
    ...(metricsToken !== undefined ? { metricsToken } : {}),
  };
}

function redisUrlFrom(setting: string | undefined): { redisUrl?: string } {
  if (setting === undefined) return {};
  let url: URL | undefined;
  try {
    url = new URL(setting);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'redis:' && url.protocol !== 'rediss:') || url.hostname === '') {
    throw new ConfigurationError(
      'HARBOUR_RATE_LIMIT_REDIS_URL',
      'must be a redis:// or rediss:// URL, e.g. redis://redis:6379/0',
    );
  }
  return { redisUrl: setting };
}

function corsOriginsFrom(setting: string | undefined): string[] {
  if (setting === undefined || setting.trim() === '') return [];
  return setting.split(',').map((part) => {
    const origin = part.trim();
    let url: URL | undefined;
    try {
      url = new URL(origin);
    } catch {
      url = undefined;
    }
    // An origin is scheme, host and port: nothing more, and never the `*` that would open the API to every site.
    if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:') || url.origin !== origin) {
      throw new ConfigurationError(
        'HARBOUR_CORS_ORIGINS',
        `"${origin}" is not an origin like https://harbour.example (scheme, host, optional port)`,
      );
    }
    return origin;
  });
}

const ADDRESS = /^(\d{1,3}(\.\d{1,3}){3}|[0-9a-f:]+)(\/\d{1,3})?$/i;

function trustProxyFrom(setting: string | undefined): boolean | string[] {
  if (setting === undefined || setting === 'false') return false;
  if (setting === 'true') return true;
  const addresses = setting.split(',').map((part) => part.trim());
  const bad = addresses.find((address) => !ADDRESS.test(address));
  if (bad !== undefined) {
    throw new ConfigurationError(
      'HARBOUR_TRUST_PROXY',
      `must be true, false or comma-separated addresses/CIDRs, not "${bad}"`,
    );
  }
  return addresses;
}
