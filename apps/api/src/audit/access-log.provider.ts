import { Inject, Injectable, type BeforeApplicationShutdown, type Provider } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { CLOCK, EventSchemaRegistry, type Clock } from '@harbour/application';
import { AccessLog } from '@harbour/audit';
import { EVENT_STORE, type EventStore } from '@harbour/event-store';
import { actorOf } from '../http/request-context';

/** DI token of the read-access log. */
export const ACCESS_LOG = Symbol('ACCESS_LOG');

export const ACCESS_LOG_PROVIDER: Provider = {
  provide: ACCESS_LOG,
  useFactory: (store: EventStore, clock: Clock, schemas: EventSchemaRegistry) =>
    new AccessLog({
      store,
      now: () => clock.now(),
      validate: (type, version, data) => schemas.validate(type, version, data),
    }),
  inject: [EVENT_STORE, CLOCK, EventSchemaRegistry],
};

/** Records the views the access log counted but has not yet written, before the stores close. */
@Injectable()
export class AccessLogFlush implements BeforeApplicationShutdown {
  constructor(@Inject(ACCESS_LOG) private readonly log: AccessLog) {}

  beforeApplicationShutdown(): Promise<void> {
    return this.log.flush();
  }
}

/**
 * Logs that the caller is being sent case `caseId` through `endpoint` (a route pattern). Awaited
 * before the response is sent: a read that cannot be logged is not answered (fails closed).
 */
export async function logCaseRead(
  log: AccessLog,
  request: FastifyRequest,
  caseId: string,
  endpoint: string,
): Promise<void> {
  const actor = actorOf(request);
  await log.recordView({
    caseId,
    viewer: { userId: actor.userId, role: actor.role, agency: actor.agency, region: actor.region },
    endpoint,
    ...(request.correlationId ? { correlationId: request.correlationId } : {}),
  });
}
