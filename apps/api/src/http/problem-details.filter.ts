import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { Catch, HttpException, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { problemOf } from '@harbour/shared';

/** An RFC 9457 problem details body. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  [extension: string]: unknown;
}

/** Problem types are `<HARBOUR_PROBLEM_TYPE_BASE><slug>`; this is the default base. */
export const DEFAULT_PROBLEM_BASE = 'https://harbour.example/problems/';

/**
 * A problem whose `type` is relative to the configured base (`invalid-request`, `rules/<rule>`):
 * {@link withTypeBase} makes it absolute before it is sent or kept.
 */
function problem(slug: string, title: string, status: number, detail?: string, extensions: object = {}): Problem {
  return { type: slug, title, status, ...(detail ? { detail } : {}), ...extensions };
}

/** The problem with its `type` resolved against the base URI (`HARBOUR_PROBLEM_TYPE_BASE`). */
export function withTypeBase(body: Problem, base: string): Problem {
  return { ...body, type: `${base}${body.type}` };
}

/**
 * The one place errors become HTTP responses: every error, expected or not, leaves as
 * `application/problem+json`. Unexpected errors are logged with their stack and answered with a
 * bare 500 that says nothing about the inside.
 */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemDetails');

  constructor(private readonly typeBase: string = DEFAULT_PROBLEM_BASE) {}

  catch(error: unknown, host: ArgumentsHost): void {
    const context = host.switchToHttp();
    const request = context.getRequest<FastifyRequest>();
    const reply = context.getResponse<FastifyReply>();
    const body = { ...toProblem(error, this.typeBase), instance: request.url.split('?')[0] };
    // WWW-Authenticate on a 401; Retry-After where the same request (same Idempotency-Key) may be
    // sent again shortly (RFC 9110 §10.2.3): the read models will catch up, a key's destruction
    // will finish, the event store will have a leader again.
    for (const [name, value] of Object.entries(problemOf(error)?.headers ?? {})) void reply.header(name, value);
    if (body.status >= 500) {
      this.logger.error(`${request.method} ${body.instance} failed: ${(error as Error)?.stack ?? String(error)}`);
    }
    void reply.status(body.status).header('Content-Type', 'application/problem+json').send(body);
  }
}

/**
 * What Node's HTTP parser refuses before Fastify has a request to route (headers over the size
 * limit, a request that is not HTTP, one that took too long): problem details too, written to the
 * socket as Fastify's default handler writes its own JSON, and the connection closed.
 */
export function writeClientErrorProblem(
  error: Error & { code?: string },
  socket: Duplex,
  typeBase: string = DEFAULT_PROBLEM_BASE,
): void {
  // A connection reset by the client has nobody left to answer.
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const status = error.code === 'HPE_HEADER_OVERFLOW' ? 431 : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
  const detail =
    status === 431
      ? 'The request headers are larger than the server accepts'
      : status === 408
        ? 'The request did not arrive in time'
        : 'The request is not well-formed HTTP';
  const body = JSON.stringify(withTypeBase(problem(slugFor(status), titleFor(status), status, detail), typeBase));
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/problem+json\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}

/**
 * The problem details of `error`, its `type` under `typeBase` (`HARBOUR_PROBLEM_TYPE_BASE`): the problem it carries (each error a client may cause says how
 * it is shown), Nest's and Fastify's own 4xx errors, or a bare 500 for anything else.
 */
export function toProblem(error: unknown, typeBase: string = DEFAULT_PROBLEM_BASE): Problem {
  return withTypeBase(problemDetailsOf(error), typeBase);
}

function problemDetailsOf(error: unknown): Problem {
  const shown = problemOf(error);
  if (shown !== undefined) return problem(shown.slug, shown.title, shown.status, shown.detail, shown.extensions);
  if (error instanceof HttpException) {
    const status = error.getStatus();
    if (status < 500) return problem(slugFor(status), titleFor(status, error.message), status, detailOf(error));
  }
  const status = (error as { statusCode?: number })?.statusCode;
  // Fastify's own errors (unparseable JSON, body too large, wrong content type) carry a 4xx code.
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return problem(slugFor(status), titleFor(status), status, (error as Error).message);
  }
  return problem('internal', 'Internal error', 500, 'The server could not complete the request.');
}

function detailOf(error: HttpException): string | undefined {
  const response = error.getResponse();
  if (typeof response === 'string') return response;
  const message = (response as { message?: unknown }).message;
  return typeof message === 'string' ? message : error.message;
}

const TITLES: Record<number, [string, string]> = {
  400: ['bad-request', 'Bad request'],
  404: ['not-found', 'Not found'],
  405: ['method-not-allowed', 'Method not allowed'],
  406: ['not-acceptable', 'Not acceptable'],
  408: ['request-timeout', 'Request timeout'],
  413: ['payload-too-large', 'Request body too large'],
  414: ['uri-too-long', 'URI too long'],
  415: ['unsupported-media-type', 'Unsupported media type'],
  429: ['too-many-requests', 'Too many requests'],
  431: ['request-header-fields-too-large', 'Request header fields too large'],
};

function slugFor(status: number): string {
  return TITLES[status]?.[0] ?? `http-${status}`;
}

function titleFor(status: number, fallback = 'Request refused'): string {
  return TITLES[status]?.[1] ?? fallback;
}
