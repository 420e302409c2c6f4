import type { LoggerService } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { FakeClock } from '@harbour/application';
import type { LogSink } from '@harbour/observability';
import { DEFAULT_AGENCY, mintDevelopmentToken, type Role } from '@harbour/security';
import { tempDir } from '@harbour/testing';
import { apiConfigFrom, type ApiConfig } from '../../src/api.config';
import { createApiApp } from '../../src/app.factory';

export interface ApiResponse<Body = Record<string, unknown>> {
  readonly status: number;
  readonly headers: Headers;
  readonly body: Body;
}

export interface RequestOptions {
  readonly token?: string;
  readonly body?: unknown;
  /** Sent as is, for malformed bodies. */
  readonly rawBody?: string;
  readonly headers?: Record<string, string>;
}

export interface TokenClaims {
  readonly region?: string;
  readonly panels?: readonly string[];
  readonly userId?: string;
  readonly agency?: string;
}

/** A running API on a real SQLite file in a temp dir, listening on 127.0.0.1, with a fake clock. */
export interface ApiHarness {
  readonly url: string;
  readonly clock: FakeClock;
  readonly config: ApiConfig;
  readonly app: NestFastifyApplication;
  token(role: Role, claims?: TokenClaims): Promise<string>;
  request<Body = Record<string, unknown>>(
    method: string,
    path: string,
    options?: RequestOptions,
  ): Promise<ApiResponse<Body>>;
  close(): Promise<void>;
}

const TEST_SECRET = 'harbour-test-secret-harbour-test-secret-0123456789';

export interface StartOptions {
  readonly clock?: FakeClock;
  readonly env?: Record<string, string>;
  /** Receives every log line (default: errors only, to the console). */
  readonly logger?: LoggerService;
  /** An existing data directory (kept on close), to restart on the same files. */
  readonly dataDir?: string;
  /** Receives the structured (pino) log lines. */
  readonly logSink?: LogSink;
  /** Wall-clock milliseconds for console session expiry. */
  readonly consoleNow?: () => number;
}

export async function startApi(options: StartOptions = {}): Promise<ApiHarness> {
  const dir = options.dataDir ? { path: options.dataDir, remove: () => undefined } : tempDir('harbour-api-');
  const clock = options.clock ?? new FakeClock(new Date('2015-09-01T09:00:00.000Z'));
  const config = apiConfigFrom({
    HARBOUR_DATA_DIR: dir.path,
    HARBOUR_PORT: '0',
    HARBOUR_JWT_SECRET: TEST_SECRET,
    // The scheduler polls once at start-up; tests that keep time tick it themselves.
    HARBOUR_SCHEDULER_INTERVAL_MS: '3600000',
    // Request logs would drown the test output; tests of the logs and the rate limit set their own.
    HARBOUR_LOG_LEVEL: 'error',
    HARBOUR_RATE_LIMIT_MAX: '1000000',
    HARBOUR_READ_RATE_LIMIT_MAX: '1000000',
    ...options.env,
  });
  // Errors only: a 5xx in a test should show its cause.
  const app = await createApiApp(config, {
    clock,
    logger: options.logger ?? ['error'],
    logSink: options.logSink,
    consoleNow: options.consoleNow,
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.getHttpServer().address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;

  return {
    url,
    clock,
    config,
    app,
    token: (role, claims = {}) =>
      mintDevelopmentToken(
        {
          role,
          region: claims.region ?? 'south-west',
          agency: claims.agency ?? DEFAULT_AGENCY,
          userId: claims.userId ?? `${role}-${claims.region ?? 'south-west'}`,
          ...(claims.panels ? { panels: claims.panels } : {}),
          ttl: '1h',
        },
        config.security,
        // Tokens are checked against the wall clock, not the fake business clock.
      ),
    async request(method, path, { token, body, rawBody, headers = {} } = {}) {
      const response = await fetch(`${url}${path}`, {
        method,
        headers: {
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...(body !== undefined || rawBody !== undefined ? { 'content-type': 'application/json' } : {}),
          ...headers,
        },
        body: rawBody ?? (body === undefined ? undefined : JSON.stringify(body)),
      });
      const text = await response.text();
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        // Not JSON: kept as text for the assertion to show.
      }
      return { status: response.status, headers: response.headers, body: parsed as never };
    },
    async close() {
      await app.close();
      dir.remove();
    },
  };
}
