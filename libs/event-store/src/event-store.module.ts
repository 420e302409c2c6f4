import { Inject, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import type { EventStoreConfig } from './event-store.config';
import { createEventStore } from './event-store.factory';
import { EVENT_STORE, type EventStore } from './event-store.port';

/** Provides `EVENT_STORE` and closes it (finishing queued appends) when the app shuts down. */
@Module({})
export class EventStoreModule implements OnApplicationShutdown {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  static forRoot(config: EventStoreConfig): DynamicModule {
    return {
      module: EventStoreModule,
      global: true,
      providers: [{ provide: EVENT_STORE, useFactory: () => createEventStore(config) }],
      exports: [EVENT_STORE],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
  }
}
