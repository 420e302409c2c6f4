import { randomUUID } from 'node:crypto';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import Redis from 'ioredis';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyRequest } from 'fastify';
import type { HarbourMetrics, Logger } from '@harbour/observability';
import type { OperationsConfig } from './operations.config';

declare module 'fastify' {
  interface FastifyRequest {
    /** From `X-Correlation-Id` when the caller sent a well-formed one, else made here. */
    correlationId: string;
  }
}

const CORRELATION_ID = /^[\w.:-]{1,100}$/;
const COMMAND_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** Probes and scrapes come every few seconds: logged at debug, not info. */
const QUIET_ROUTES = new Set(['/health/live', '/health/ready', '/metrics']);

/** The correlation id of a request (set by {@link installHttpOperations}'s first hook). */
export function correlationIdOf(request: FastifyRequest): string {
  return request.correlationId;
}

/**
 * Everything the HTTP edge does besides routing, in the order a request meets it: a correlation
 * id (echoed in the response), security headers, the command rate limit, CORS (only when origins
 * are configured), and on the way out a log line and the HTTP metrics, labelled by route template
 * (`/cases/:caseId`), never by the URL as sent.
 *
 * Call before `app.init()`: the plugins must see the routes as they are added.
 */
export async function installHttpOperations(
  app: NestFastifyApplication,
  config: OperationsConfig,
  metrics: HarbourMetrics,
  logger: Logger,
): Promise<void> {
  const fastify = app.getHttpAdapter().getInstance();
  fastify.decorateRequest('correlationId', '');
  fastify.addHook('onRequest', async (request, reply) => {
    const header = request.headers['x-correlation-id'];
    request.correlationId = typeof header === 'string' && CORRELATION_ID.test(header) ? header : randomUUID();
    void reply.header('X-Correlation-Id', request.correlationId);
  });
  fastify.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? '(unmatched)';
    const status = reply.statusCode;
    const seconds = reply.elapsedTime / 1000;
    metrics.httpRequests.inc({ method: request.method, route, status: String(status) });
    metrics.httpDuration.observe({ method: request.method, route }, seconds);
    const fields = {
      correlationId: request.correlationId,
      method: request.method,
      route,
      status,
      durationMs: Math.round(reply.elapsedTime * 10) / 10,
    };
    // A probe's 503 is its answer (not ready), not a failure of the server.
    if (QUIET_ROUTES.has(route)) logger.debug(fields, 'request');
    else if (status >= 500) logger.error(fields, 'request failed');
    else logger.info(fields, 'request');
  });

  // The API serves JSON and its own docs page: the defaults (no sniffing, no framing, HSTS, a
  // same-origin content security policy that the docs page's own scripts satisfy) fit both.
  await app.register(helmet, { global: true });

  // Commands write and cost a durable append each: a client that floods them is refused (429,
  // with Retry-After) before its token is even checked. Reads, probes and scrapes are not limited.
  // Shared by the replicas when Redis is configured. Redis unreachable: commands go on unlimited
  // (logged) rather than all being refused; a command is still checked, authorised and recorded.
  const redis = config.rateLimit.redisUrl
    ? new Redis(config.rateLimit.redisUrl, { connectTimeout: 500, maxRetriesPerRequest: 1, lazyConnect: false })
    : undefined;
  if (redis) {
    redis.on('error', (error: Error) => logger.warn({ error: error.message }, 'rate-limit store (Redis) unavailable'));
    fastify.addHook('onClose', async () => {
      await redis.quit().catch(() => redis.disconnect());
    });
  }
  await app.register(rateLimit, {
    global: true,
    ...(redis ? { redis, nameSpace: 'harbour-rate-limit-', skipOnError: true } : {}),
    max: config.rateLimit.max,
    timeWindow: config.rateLimit.windowMs,
    allowList: (request) => !COMMAND_METHODS.has(request.method),
    errorResponseBuilder: (_request, context) =>
      Object.assign(new Error(`Too many commands from this client; retry after ${context.after}`), {
        statusCode: context.statusCode,
      }),
  });

  if (config.corsOrigins.length > 0) {
    app.enableCors({
      origin: [...config.corsOrigins],
      methods: ['GET', 'HEAD', 'POST'],
      allowedHeaders: [
        'Authorization',
        'Content-Type',
        'Idempotency-Key',
        'If-Match',
        'X-Correlation-Id',
        'X-Min-Position',
        'X-Occurred-At',
      ],
      exposedHeaders: ['ETag', 'Location', 'Retry-After', 'X-Correlation-Id', 'Idempotent-Replayed'],
      maxAge: 600,
    });
  }
}
