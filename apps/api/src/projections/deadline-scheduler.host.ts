import {
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { CLOCK, DeadlineScheduler, EventSchemaRegistry, type Clock } from '@harbour/application';
import { EVENT_STORE, type EventStore } from '@harbour/event-store';
import { READ_STORE, type ReadStore } from '@harbour/read-store';
import { API_CONFIG, type ApiConfig } from '../api.config';

/**
 * Embedded mode: the API process runs the deadline scheduler beside the projections, polling the
 * `deadlines` read model they keep. In distributed mode `apps/projector` runs it instead.
 */
@Injectable()
export class DeadlineSchedulerHost implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Deadlines');
  readonly scheduler: DeadlineScheduler;

  constructor(
    @Inject(EVENT_STORE) store: EventStore,
    @Inject(READ_STORE) readStore: ReadStore,
    @Inject(CLOCK) clock: Clock,
    @Inject(API_CONFIG) config: ApiConfig,
    schemas: EventSchemaRegistry,
  ) {
    this.scheduler = new DeadlineScheduler(
      { store, readStore, schemas, clock },
      {
        intervalMs: config.schedulerIntervalMs,
        onLog: ({ level, message, fields }) =>
          this.logger[level === 'info' ? 'log' : level]({ msg: message, ...fields }),
      },
    );
  }

  onApplicationBootstrap(): void {
    this.scheduler.start();
  }

  /** Before the stores close: the poll in hand finishes its appends. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.scheduler.stop();
  }
}
