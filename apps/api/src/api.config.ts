import { join } from 'node:path';
import { ConfigurationError, eventStoreConfigFrom, type EventStoreConfig } from '@harbour/event-store';
import { securityConfigFrom, type SecurityConfig } from '@harbour/security';

/** Every setting the API reads, validated once at boot. */
export interface ApiConfig {
  readonly host: string;
  readonly port: number;
  readonly dataDir: string;
  readonly eventStore: EventStoreConfig;
  readonly security: SecurityConfig;
  /** Where idempotency records live (`:memory:` in tests). */
  readonly idempotencyFile: string;
  /** Largest accepted request body, in bytes. */
  readonly bodyLimitBytes: number;
}

/**
 * - `HARBOUR_HOST` (default `127.0.0.1`), `HARBOUR_PORT` (default `3000`)
 * - `HARBOUR_DATA_DIR` (default `./data`): embedded files
 * - `HARBOUR_BODY_LIMIT_BYTES` (default 2 MiB)
 * - and the event store's and security's settings (see their libs)
 */
export function apiConfigFrom(env: Readonly<Record<string, string | undefined>>): ApiConfig {
  const port = Number(env.HARBOUR_PORT ?? '3000');
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ConfigurationError('HARBOUR_PORT', `must be a port number from 0 to 65535, not "${env.HARBOUR_PORT}"`);
  }
  const bodyLimitBytes = Number(env.HARBOUR_BODY_LIMIT_BYTES ?? String(2 * 1024 * 1024));
  if (!Number.isInteger(bodyLimitBytes) || bodyLimitBytes < 1024) {
    throw new ConfigurationError('HARBOUR_BODY_LIMIT_BYTES', 'must be a whole number of bytes, at least 1024');
  }
  const dataDir = env.HARBOUR_DATA_DIR ?? './data';
  return {
    host: env.HARBOUR_HOST ?? '127.0.0.1',
    port,
    dataDir,
    eventStore: eventStoreConfigFrom(env),
    security: securityConfigFrom(env),
    idempotencyFile: dataDir === ':memory:' ? ':memory:' : join(dataDir, 'idempotency.db'),
    bodyLimitBytes,
  };
}
