import {
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { EVENT_STORE, type EventStore } from '@harbour/event-store';
import { PROJECTIONS, ProjectionSupervisor, type SupervisorLog } from '@harbour/projections';
import type { HarbourMetrics } from '@harbour/observability';
import { READ_STORE, type ReadStore } from '@harbour/read-store';
import { METRICS } from '../ops/metrics.providers';

/**
 * Embedded mode: the API process runs every projection itself, each under the same supervisor
 * the projector uses, so the two modes retry, stop and resume alike.
 */
@Injectable()
export class ProjectionHost implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Projections');
  private readonly supervisors: ProjectionSupervisor[] = [];

  constructor(
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    @Inject(READ_STORE) private readonly readStore: ReadStore,
    @Inject(METRICS) private readonly metrics: HarbourMetrics,
  ) {}

  onApplicationBootstrap(): void {
    for (const projection of PROJECTIONS) {
      const log: SupervisorLog = {
        // Per-event trace lines are the projector's; here only what a human may need to act on.
        enabled: (level) => level !== 'debug' && level !== 'info',
        write: (level, message, fields) =>
          this.logger[level === 'info' ? 'log' : level]({ msg: message, projection: projection.name, ...fields }),
      };
      const supervisor = new ProjectionSupervisor({
        eventStore: this.eventStore,
        readStore: this.readStore,
        projection,
        log,
        onBatch: (name, events) => this.metrics.projectionBatch(name, events),
        progressLogMs: Number.POSITIVE_INFINITY,
      });
      this.supervisors.push(supervisor);
      supervisor.start();
    }
  }

  /** Before the stores close: each supervisor lets the batch in hand commit and stops. */
  async beforeApplicationShutdown(): Promise<void> {
    await Promise.all(this.supervisors.map((supervisor) => supervisor.stop()));
  }
}
