import { Inject, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import type { ReadStoreConfig } from './read-store.config';
import { createReadStore } from './read-store.factory';
import { READ_STORE, type ReadStore } from './read-store.port';

/** Provides `READ_STORE`, migrated before the app starts, and closes it when the app shuts down. */
@Module({})
export class ReadStoreModule implements OnApplicationShutdown {
  constructor(@Inject(READ_STORE) private readonly store: ReadStore) {}

  static forRoot(config: ReadStoreConfig): DynamicModule {
    return {
      module: ReadStoreModule,
      global: true,
      providers: [
        {
          provide: READ_STORE,
          useFactory: async (): Promise<ReadStore> => {
            const store = createReadStore(config);
            try {
              await store.migrate();
            } catch (error) {
              await store.close();
              throw error;
            }
            return store;
          },
        },
      ],
      exports: [READ_STORE],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
  }
}
