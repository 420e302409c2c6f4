import { Module, type DynamicModule, type OnApplicationShutdown, Inject } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { DEFAULT_WORKFLOW_ROUTES, type WorkflowRoutes } from '@harbour/domain';
import { EVENT_STORE, type EventStore } from '@harbour/event-store';
import type { PersonalDataProtector, PrivacyConfig } from '@harbour/privacy';
import { CASE_HANDLERS } from './case/case.handlers';
import { INTAKE_HANDLERS } from './intake/intake.handlers';
import { WORKFLOW_ROUTES } from './case/workflow-routes.token';
import { READ_MODEL_QUERY_HANDLERS } from './queries/read-model.queries';
import { EventSchemaRegistry } from './event-schemas/event-schema-registry';
import {
  IDEMPOTENCY_STORE,
  SqliteIdempotencyStore,
  type IdempotencyStore,
  type IdempotencyStoreConfig,
} from './idempotency/idempotency.store';
import { PostgresIdempotencyStore } from './idempotency/postgres-idempotency.store';
import { CLOCK, systemClock, type Clock } from './ports/clock.port';
import { KEYED_IDS, KeyedIds } from '@harbour/shared';
import { PERSONAL_DATA, createPersonalDataProtector } from './privacy/personal-data.provider';
import { PRIVACY_HANDLERS } from './privacy/privacy.handlers';
import { PANEL_REGISTRY_PROVIDERS } from './panels/panel-registry';
import { MEETING_HANDLERS } from './meetings/meetings';

export interface ApplicationModuleOptions {
  /** Where idempotency records live: a SQLite file (or `:memory:`), or PostgreSQL shared by replicas. */
  readonly idempotency: IdempotencyStoreConfig;
  readonly clock?: Clock;
  /** Which workflow new referrals start under, by region; `DEFAULT_WORKFLOW_ROUTES` when absent. */
  readonly workflowRoutes?: WorkflowRoutes;
  /** The key store, master key and retention policy of personal-data protection. */
  readonly privacy: PrivacyConfig;
}

/**
 * CQRS handlers: commands over the event store (EventStoreModule), queries over the read models
 * (ReadStoreModule), with the event schemas, idempotency records and the clock.
 */
@Module({})
export class ApplicationModule implements OnApplicationShutdown {
  constructor(
    @Inject(IDEMPOTENCY_STORE) private readonly idempotency: IdempotencyStore,
    @Inject(PERSONAL_DATA) private readonly personalData: PersonalDataProtector,
  ) {}

  static forRoot(options: ApplicationModuleOptions): DynamicModule {
    return {
      module: ApplicationModule,
      imports: [CqrsModule.forRoot()],
      providers: [
        ...CASE_HANDLERS,
        ...INTAKE_HANDLERS,
        ...READ_MODEL_QUERY_HANDLERS,
        ...PRIVACY_HANDLERS,
        ...PANEL_REGISTRY_PROVIDERS,
        ...MEETING_HANDLERS,
        { provide: EventSchemaRegistry, useFactory: () => new EventSchemaRegistry() },
        {
          provide: PERSONAL_DATA,
          useFactory: (store: EventStore, schemas: EventSchemaRegistry) =>
            createPersonalDataProtector(options.privacy, store, schemas, () => (options.clock ?? systemClock).now()),
          inject: [EVENT_STORE, EventSchemaRegistry],
        },
        { provide: CLOCK, useValue: options.clock ?? systemClock },
        { provide: KEYED_IDS, useFactory: () => new KeyedIds(options.privacy.masterKey.bytes()) },
        { provide: WORKFLOW_ROUTES, useValue: options.workflowRoutes ?? DEFAULT_WORKFLOW_ROUTES },
        {
          provide: IDEMPOTENCY_STORE,
          useFactory: () => {
            const now = () => (options.clock ?? systemClock).now();
            return options.idempotency.adapter === 'postgres'
              ? new PostgresIdempotencyStore({ ...options.idempotency, now })
              : new SqliteIdempotencyStore({ filename: options.idempotency.filename, now });
          },
        },
      ],
      exports: [CqrsModule, CLOCK, KEYED_IDS, IDEMPOTENCY_STORE, EventSchemaRegistry, WORKFLOW_ROUTES, PERSONAL_DATA],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.idempotency.close();
    await this.personalData.keys.close();
  }
}
