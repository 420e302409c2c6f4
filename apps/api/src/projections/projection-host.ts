import {
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { EVENT_STORE, type EventStore } from '@harbour/event-store';
import { PROJECTIONS, ProjectionRunner } from '@harbour/projections';
import type { HarbourMetrics } from '@harbour/observability';
import { READ_STORE, type ReadStore } from '@harbour/read-store';
import { HARBOUR_METRICS } from '../ops/metrics.providers';

/**
 * Embedded mode: the API process runs every projection itself, from the event store (never from
 * the in-memory event bus), so a restart resumes from the durable checkpoints.
 */
@Injectable()
export class ProjectionHost implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Projections');
  private readonly runners: ProjectionRunner[] = [];
  private readonly running: Promise<void>[] = [];

  constructor(
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    @Inject(READ_STORE) private readonly readStore: ReadStore,
    @Inject(HARBOUR_METRICS) private readonly metrics: HarbourMetrics,
  ) {}

  onApplicationBootstrap(): void {
    for (const projection of PROJECTIONS) {
      const runner = new ProjectionRunner(this.eventStore, this.readStore, projection, {
        onProgress: ({ applied, parked }) => this.metrics.projectionBatch(projection.name, applied + parked),
        onLog: ({ level, message, fields }) =>
          this.logger[level === 'info' ? 'log' : level](`${message} ${JSON.stringify(fields)}`),
      });
      this.runners.push(runner);
      this.running.push(
        runner.run().catch((error: unknown) => {
          this.logger.error(`Projection ${projection.name} stopped: ${(error as Error)?.message ?? String(error)}`);
        }),
      );
    }
  }

  /** Before the stores close: each runner commits the batch in hand and stops. */
  async beforeApplicationShutdown(): Promise<void> {
    await Promise.all(this.runners.map((runner) => runner.stop()));
    await Promise.all(this.running);
  }
}
