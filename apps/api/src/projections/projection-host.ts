import {
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { EVENT_STORE, InvalidPositionError, type EventStore } from '@harbour/event-store';
import {
  PROJECTIONS,
  ProjectionFailedError,
  ProjectionRunner,
  ProjectionVersionError,
  type Projection,
} from '@harbour/projections';
import type { HarbourMetrics } from '@harbour/observability';
import { READ_STORE, type ReadStore } from '@harbour/read-store';
import { METRICS } from '../ops/metrics.providers';

const FIRST_BACKOFF_MS = 500;
const MAX_BACKOFF_MS = 30_000;

/**
 * Embedded mode: the API process runs every projection itself, from the event store (never from
 * the in-memory event bus), so a restart resumes from the durable checkpoints.
 */
@Injectable()
export class ProjectionHost implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Projections');
  private readonly runners: ProjectionRunner[] = [];
  private readonly running: Promise<void>[] = [];
  private readonly stopping = new AbortController();

  constructor(
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    @Inject(READ_STORE) private readonly readStore: ReadStore,
    @Inject(METRICS) private readonly metrics: HarbourMetrics,
  ) {}

  onApplicationBootstrap(): void {
    for (const projection of PROJECTIONS) {
      const runner = new ProjectionRunner(this.eventStore, this.readStore, projection, {
        onProgress: ({ applied, parked }) => this.metrics.projectionBatch(projection.name, applied + parked),
        onLog: ({ level, message, fields }) =>
          this.logger[level === 'info' ? 'log' : level]({ msg: message, ...fields }),
      });
      this.runners.push(runner);
      this.running.push(this.keepRunning(projection, runner));
    }
  }

  /** Before the stores close: each runner commits the batch in hand and stops. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopping.abort();
    await Promise.all(this.runners.map((runner) => runner.stop()));
    await Promise.all(this.running);
  }

  /**
   * A store that goes away for a while (a database restart) interrupts a projection, which then
   * resumes from its checkpoint with back-off; one that stops on a failing event, or finds tables
   * from a newer version, stays stopped until a human acts.
   */
  private async keepRunning(projection: Projection, runner: ProjectionRunner): Promise<void> {
    let backoff = FIRST_BACKOFF_MS;
    while (!this.stopping.signal.aborted) {
      try {
        await runner.run(this.stopping.signal);
        return;
      } catch (error) {
        const message = (error as Error)?.message ?? String(error);
        // A checkpoint no event of this store has (another store, an older copy): a rebuild is the cure.
        if (
          error instanceof ProjectionFailedError ||
          error instanceof ProjectionVersionError ||
          error instanceof InvalidPositionError
        ) {
          this.logger.error(`Projection ${projection.name} stopped: ${message}`);
          return;
        }
        this.logger.warn(`Projection ${projection.name} interrupted (${message}); retrying in ${backoff} ms`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, backoff);
          this.stopping.signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
        });
        backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
      }
    }
  }
}
