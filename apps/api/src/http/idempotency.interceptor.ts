import { createHash } from 'node:crypto';
import { Inject, Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { catchError, from, map, of, switchMap, throwError, type Observable } from 'rxjs';
import {
  IDEMPOTENCY_STORE,
  IdempotencyKeyInFlightError,
  IdempotencyKeyReusedError,
  type IdempotencyClaim,
  type IdempotencyStore,
} from '@harbour/application';
import { newId, uuidFromName } from '@harbour/shared';
import { actorOf, type CommandIdentity } from './request-context';

// Controllers name the request's identity with the interceptor that sets it.
export type { CommandIdentity } from './request-context';
import { RequestValidationError } from './request-validation';
import { toProblem } from './problem-details.filter';
import { API_CONFIG, type ApiConfig } from '../api.config';

const KEY = /^[\x21-\x7e]{1,200}$/;
const REPLAYED_HEADERS = ['etag', 'location', 'content-type'];

/**
 * `Idempotency-Key` on commands: the first response to a key is kept and given again to a retry;
 * the same key with another request is refused (422). Only decided outcomes are kept (2xx and
 * 422): a conflict, an invalid request or a server error may be retried under the same key.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(
    @Inject(IDEMPOTENCY_STORE) private readonly store: IdempotencyStore,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<FastifyRequest & { command?: CommandIdentity }>();
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    const header = request.headers['idempotency-key'];
    if (header === undefined) {
      request.command = { commandId: newId() };
      return next.handle();
    }
    if (typeof header !== 'string' || !KEY.test(header)) {
      throw new RequestValidationError([
        { field: 'Idempotency-Key', messages: ['Idempotency-Key must be 1 to 200 visible ASCII characters'] },
      ]);
    }
    const actor = actorOf(request);
    const scopedKey = `${actor.userId}\n${header}`;
    const requestHash = hashRequest(request);
    return from(this.store.claim(scopedKey, requestHash)).pipe(
      switchMap((claim) => this.afterClaim(claim, scopedKey, requestHash, request, reply, next)),
    );
  }

  private afterClaim(
    claim: IdempotencyClaim,
    scopedKey: string,
    requestHash: string,
    request: FastifyRequest & { command?: CommandIdentity },
    reply: FastifyReply,
    next: CallHandler,
  ): Observable<unknown> {
    switch (claim.kind) {
      case 'replay':
        void reply.status(claim.response.status).header('Idempotent-Replayed', 'true');
        for (const [name, value] of Object.entries(claim.response.headers)) void reply.header(name, value);
        if (claim.response.status >= 400) {
          void reply.send(claim.response.body);
          return of(undefined);
        }
        return of(claim.response.body);
      case 'mismatch':
        throw new IdempotencyKeyReusedError();
      case 'in-flight':
        throw new IdempotencyKeyInFlightError();
      case 'claimed':
        break;
      default: {
        const unknown: never = claim;
        throw new Error(`Unknown idempotency claim ${JSON.stringify(unknown)}`);
      }
    }
    request.command = { commandId: uuidFromName(`command:${scopedKey}`), requestHash };
    return next.handle().pipe(
      switchMap((body) =>
        from(this.store.complete(scopedKey, { status: reply.statusCode, headers: keptHeaders(reply), body })).pipe(
          map(() => body),
        ),
      ),
      catchError((error: unknown) => {
        const problem = toProblem(error, this.config.problemTypeBase);
        // A reused key found only in the event store (the first answer was lost) belongs to the
        // stored command: kept under this request's digest, it would refuse that command's own retry.
        const settled =
          problem.status === 422 && !(error instanceof IdempotencyKeyReusedError)
            ? this.store.complete(scopedKey, {
                status: 422,
                headers: { 'content-type': 'application/problem+json' },
                // Kept to answer a retry, but without its detail: a refusal's detail may state
                // facts about the person ("the date of birth makes the person 16"), which must not
                // sit in the clear beside the encrypted events. The rule name says what was refused.
                body: {
                  ...withoutDetail(problem),
                  detail: 'Refused as the first time this request was sent; its rule names why',
                  instance: request.url.split('?')[0],
                },
              })
            : this.store.release(scopedKey);
        // The command's own error is what the caller gets, whether or not the record was settled.
        return from(settled.catch(() => undefined)).pipe(switchMap(() => throwError(() => error)));
      }),
    );
  }
}

function keptHeaders(reply: FastifyReply): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const name of REPLAYED_HEADERS) {
    const value = reply.getHeader(name);
    if (typeof value === 'string') headers[name] = value;
  }
  return headers;
}

/** Method, path and a canonical form of the body: key order does not make two requests differ. */
function hashRequest(request: FastifyRequest): string {
  return createHash('sha256')
    .update(`${request.method} ${request.url.split('?')[0]}\n${canonicalJson(request.body ?? null)}`)
    .digest('hex');
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

function withoutDetail<T extends { detail?: unknown }>(problem: T): Omit<T, 'detail'> {
  const { detail: _detail, ...kept } = problem;
  return kept;
}
