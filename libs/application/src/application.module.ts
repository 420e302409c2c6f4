import { Module, type DynamicModule, type OnApplicationShutdown, Inject } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { DEFAULT_WORKFLOW_ROUTES, type WorkflowRoutes } from '@harbour/domain';
import { CASE_HANDLERS } from './case/case.handlers';
import { WORKFLOW_ROUTES } from './case/workflow-routes.token';
import { READ_MODEL_QUERY_HANDLERS } from './queries/read-model.queries';
import { EventSchemaRegistry } from './event-schemas/event-schema-registry';
import { IDEMPOTENCY_STORE, SqliteIdempotencyStore, type IdempotencyStore } from './idempotency/idempotency.store';
import { CLOCK, systemClock, type Clock } from './ports/clock.port';

export interface ApplicationModuleOptions {
  /** SQLite file for idempotency records, or `:memory:`. */
  readonly idempotencyFile: string;
  readonly clock?: Clock;
  /** Which workflow new referrals start under, by region; `DEFAULT_WORKFLOW_ROUTES` when absent. */
  readonly workflowRoutes?: WorkflowRoutes;
}

/**
 * CQRS handlers: commands over the event store (EventStoreModule), queries over the read models
 * (ReadStoreModule), with the event schemas, idempotency records and the clock.
 */
@Module({})
export class ApplicationModule implements OnApplicationShutdown {
  constructor(@Inject(IDEMPOTENCY_STORE) private readonly idempotency: IdempotencyStore) {}

  static forRoot(options: ApplicationModuleOptions): DynamicModule {
    return {
      module: ApplicationModule,
      imports: [CqrsModule.forRoot()],
      providers: [
        ...CASE_HANDLERS,
        ...READ_MODEL_QUERY_HANDLERS,
        { provide: EventSchemaRegistry, useFactory: () => new EventSchemaRegistry() },
        { provide: CLOCK, useValue: options.clock ?? systemClock },
        { provide: WORKFLOW_ROUTES, useValue: options.workflowRoutes ?? DEFAULT_WORKFLOW_ROUTES },
        {
          provide: IDEMPOTENCY_STORE,
          useFactory: () =>
            new SqliteIdempotencyStore({
              filename: options.idempotencyFile,
              now: () => (options.clock ?? systemClock).now(),
            }),
        },
      ],
      exports: [CqrsModule, CLOCK, IDEMPOTENCY_STORE, EventSchemaRegistry, WORKFLOW_ROUTES],
    };
  }

  onApplicationShutdown(): void {
    this.idempotency.close();
  }
}
