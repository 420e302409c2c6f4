import { Controller, Get, Header, HttpCode, Inject, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { EVENT_STORE, type EventStore } from '@harbour/event-store';
import { PROJECTIONS } from '@harbour/projections';
import { READ_STORE, type ReadStore } from '@harbour/read-store';
import { Public } from '@harbour/security';
import { API_CONFIG, type ApiConfig } from '../api.config';

/** One readiness check: whether it passed, and a word about why not (never a connection string). */
export interface HealthCheck {
  readonly ok: boolean;
  readonly detail?: string;
  readonly [measure: string]: unknown;
}

/** A check that has not answered by then counts as failed: a hung database is a down database. */
const CHECK_TIMEOUT_MS = 2000;

/**
 * For load balancers and orchestrators, without a token (they hold none) and without personal
 * data. `live`: the process answers (restart it if not). `ready`: it can serve (send it traffic):
 * the event store and the read store answer, and no projection lags the event store by more than
 * `HARBOUR_READY_MAX_LAG` events, so queries do not serve data that stale.
 */
@ApiExcludeController()
@Public()
@Controller('health')
export class HealthController {
  constructor(
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    @Inject(READ_STORE) private readonly readStore: ReadStore,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
  ) {}

  @Get('live')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  @Header('Cache-Control', 'no-store')
  async ready(@Res({ passthrough: true }) reply: FastifyReply): Promise<{ status: string; checks: object }> {
    const [head, checkpoints] = await Promise.all([
      settle(this.eventStore.headPosition()),
      settle(Promise.all(PROJECTIONS.map((projection) => this.readStore.checkpoint(projection.name)))),
    ]);
    const eventStore: HealthCheck = head.ok ? { ok: true } : { ok: false, detail: head.detail };
    const readStore: HealthCheck = checkpoints.ok ? { ok: true } : { ok: false, detail: checkpoints.detail };
    let projections: HealthCheck = { ok: false, detail: 'unknown while a store is unreachable' };
    if (head.ok && checkpoints.ok) {
      const max = this.config.operations.readyMaxLag;
      const lag = Object.fromEntries(
        PROJECTIONS.map((projection, i) => {
          const behind = head.value - (checkpoints.value[i]?.position ?? -1n);
          return [projection.name, Number(behind > 0n ? behind : 0n)];
        }),
      );
      const ok = Object.values(lag).every((events) => events <= max);
      projections = {
        ok,
        lag,
        maxLag: max,
        ...(ok ? {} : { detail: `a projection is more than ${max} events behind` }),
      };
    }
    const ok = eventStore.ok && readStore.ok && projections.ok;
    void reply.status(ok ? 200 : 503);
    return { status: ok ? 'ready' : 'not-ready', checks: { eventStore, readStore, projections } };
  }
}

type Settled<T> = { ok: true; value: T } | { ok: false; detail: string };

async function settle<T>(work: Promise<T>): Promise<Settled<T>> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error('timed out'), { code: 'TIMEOUT' })), CHECK_TIMEOUT_MS);
  });
  try {
    return { ok: true, value: await Promise.race([work, timeout]) };
  } catch (error) {
    // The error's code or class only: driver messages can carry host names and user names.
    const code = (error as { code?: unknown })?.code;
    return { ok: false, detail: typeof code === 'string' ? code : ((error as Error)?.name ?? 'Error') };
  } finally {
    clearTimeout(timer);
  }
}
