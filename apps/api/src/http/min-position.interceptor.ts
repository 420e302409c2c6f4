import { Inject, Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { from, switchMap, type Observable } from 'rxjs';
import { CASE_QUERIES_PROJECTION, waitForPosition } from '@harbour/application';
import { READ_STORE, type ReadStore } from '@harbour/read-store';
import { API_CONFIG, type ApiConfig } from '../api.config';
import { RequestValidationError } from './request-validation';

/**
 * Read-your-writes: a query sent with `X-Min-Position: <position a command returned>` waits,
 * bounded by `HARBOUR_MIN_POSITION_WAIT_MS`, until the read models have reached it; past the bound
 * it answers 503 with `Retry-After` rather than stale data.
 */
@Injectable()
export class MinPositionInterceptor implements NestInterceptor {
  constructor(
    @Inject(READ_STORE) private readonly readStore: ReadStore,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const header = context.switchToHttp().getRequest<FastifyRequest>().headers['x-min-position'];
    if (header === undefined) return next.handle();
    if (typeof header !== 'string' || !/^\d{1,19}$/.test(header)) {
      throw new RequestValidationError([
        {
          field: 'X-Min-Position',
          messages: ['X-Min-Position must be a position a command returned (a decimal number)'],
        },
      ]);
    }
    return from(
      waitForPosition(this.readStore, CASE_QUERIES_PROJECTION, BigInt(header), this.config.minPositionWaitMs),
    ).pipe(switchMap(() => next.handle()));
  }
}
