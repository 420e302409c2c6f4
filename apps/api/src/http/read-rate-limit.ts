import type { CallHandler, ExecutionContext, NestInterceptor } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Observable } from 'rxjs';
import { findActor } from '@harbour/security';

/** 429: the user read more than their share in the window (problem type `too-many-requests`). */
export class TooManyReadsError extends Error {
  readonly statusCode = 429;
  constructor(readonly retryAfterSeconds: number) {
    super(`Too many reads by this user; retry after ${retryAfterSeconds} s`);
    this.name = 'TooManyReadsError';
  }
}

interface Window {
  start: number;
  count: number;
}

/**
 * Reads per user: every read of a case writes to the read-access log, so a token that reads
 * without limit writes without limit. Counted per authenticated user (the token's subject, which
 * the command limit, keyed by address before any token is checked, cannot see), in fixed windows;
 * past `max` a read is refused (429, Retry-After) until the window ends. Probes, scrapes and the
 * docs carry no user and are not counted. Kept in this process: with several API replicas each
 * allows its own `max`.
 */
export class ReadRateLimitInterceptor implements NestInterceptor {
  private readonly windows = new Map<string, Window>();

  constructor(
    private readonly limit: { readonly max: number; readonly windowMs: number },
    private readonly now: () => number = () => Date.now(),
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const actor = findActor(request);
    if (!actor || (request.method !== 'GET' && request.method !== 'HEAD')) return next.handle();
    const now = this.now();
    const window = this.windowOf(actor.userId, now);
    window.count += 1;
    if (window.count > this.limit.max) {
      const retryAfter = Math.max(1, Math.ceil((window.start + this.limit.windowMs - now) / 1000));
      void context.switchToHttp().getResponse<FastifyReply>().header('Retry-After', String(retryAfter));
      throw new TooManyReadsError(retryAfter);
    }
    return next.handle();
  }

  private windowOf(userId: string, now: number): Window {
    let window = this.windows.get(userId);
    if (!window || now - window.start >= this.limit.windowMs) {
      // Windows that have ended are dropped now and then, so the map holds only recent readers.
      if (this.windows.size > 10_000) {
        for (const [id, old] of this.windows) if (now - old.start >= this.limit.windowMs) this.windows.delete(id);
      }
      window = { start: now, count: 0 };
      this.windows.set(userId, window);
    }
    return window;
  }
}
