import {
  Inject,
  Injectable,
  Module,
  type BeforeApplicationShutdown,
  type DynamicModule,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { DeadlineScheduler, EventSchemaRegistry, systemClock } from '@harbour/application';
import { EVENT_STORE, EventStoreModule, type EventStore } from '@harbour/event-store';
import type { HarbourMetrics } from '@harbour/observability';
import { ProjectionSupervisor, deadlinesReadModel, type Projection, type ReadModel } from '@harbour/projections';
import { PostgresLeaderLock, READ_STORE, ReadStoreModule, type ReadStore } from '@harbour/read-store';
import type { JsonLinesLogger } from './json-lines.logger';
import type { ProjectorConfig } from './projector.config';

export const PROJECTOR_OPTIONS = Symbol('PROJECTOR_OPTIONS');

export interface ProjectorOptions {
  readonly config: ProjectorConfig;
  readonly projections: readonly Projection[];
  readonly logger: JsonLinesLogger;
  readonly metrics: HarbourMetrics;
}

/**
 * Starts a worker per projection once the stores are open, and stops them before the stores close.
 * Where it keeps the deadline timers it also runs the deadline scheduler over them. Every instance
 * runs one, the standby included: two schedulers record each due deadline once all the same.
 */
@Injectable()
export class ProjectorService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  readonly workers: ProjectionSupervisor[];
  readonly scheduler: DeadlineScheduler | undefined;

  constructor(
    @Inject(EVENT_STORE) eventStore: EventStore,
    @Inject(READ_STORE) readStore: ReadStore,
    @Inject(PROJECTOR_OPTIONS) { config, projections, logger, metrics }: ProjectorOptions,
  ) {
    const readStoreConfig = config.readStore;
    // The scheduler's appends (DeadlineBreached among them) are timed and counted.
    metrics.instrumentEventStore(eventStore);
    metrics.watchProjections(eventStore, readStore, projections);
    this.workers = projections.map(
      (projection) =>
        new ProjectionSupervisor({
          eventStore,
          readStore,
          projection,
          batchSize: config.batchSize,
          log: logger.child({ projection: projection.name }),
          onBatch: (name, events) => metrics.projectionBatch(name, events),
          // One active instance per projection only matters where several can share the read
          // store: PostgreSQL. An embedded SQLite file belongs to one process.
          lock:
            readStoreConfig.adapter === 'postgres'
              ? new PostgresLeaderLock({
                  connectionString: readStoreConfig.connectionString,
                  name: projection.name,
                  retryIntervalMs: config.standbyRetryMs,
                })
              : undefined,
        }),
    );
    const keepsTimers = projections.some((projection) =>
      projection.readModels.includes(deadlinesReadModel as unknown as ReadModel),
    );
    this.scheduler = keepsTimers
      ? new DeadlineScheduler(
          { store: eventStore, readStore, schemas: new EventSchemaRegistry(), clock: systemClock },
          {
            intervalMs: config.schedulerIntervalMs,
            onLog: ({ level, message, fields }) => logger[level](message, fields),
          },
        )
      : undefined;
  }

  onApplicationBootstrap(): void {
    for (const worker of this.workers) worker.start();
    this.scheduler?.start();
  }

  // Before shutdown, not on it: the store modules close their stores on shutdown, and the
  // workers must commit their last batch first.
  async beforeApplicationShutdown(): Promise<void> {
    await this.scheduler?.stop();
    await Promise.all(this.workers.map((worker) => worker.stop()));
  }
}

/** The projector: the event store, the read store and a worker per projection. */
@Module({})
export class ProjectorModule {
  static forRoot(options: ProjectorOptions): DynamicModule {
    const names = options.projections.map((projection) => projection.name);
    const duplicate = names.find((name, i) => names.indexOf(name) !== i);
    if (duplicate) throw new Error(`Two projections are called ${duplicate}: each needs its own checkpoint`);
    return {
      module: ProjectorModule,
      imports: [EventStoreModule.forRoot(options.config.eventStore), ReadStoreModule.forRoot(options.config.readStore)],
      providers: [{ provide: PROJECTOR_OPTIONS, useValue: options }, ProjectorService],
      exports: [ProjectorService],
    };
  }
}
