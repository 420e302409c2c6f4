import { createEventStore, type EventStore } from '@harbour/event-store';
import { createReadStore, type ReadStore } from '@harbour/read-store';
import type { CliConfig } from './cli.config';

export interface Stores {
  readonly eventStore: EventStore;
  readonly readStore: ReadStore;
}

/** Opens the configured event store for `use` and closes it whatever happens. */
export async function withEventStore<T>(config: CliConfig, use: (eventStore: EventStore) => Promise<T>): Promise<T> {
  const eventStore = createEventStore(config.eventStore);
  try {
    return await use(eventStore);
  } finally {
    await eventStore.close();
  }
}

/** Opens the configured event and read stores for `use` and closes both whatever happens. */
export async function withStores<T>(config: CliConfig, use: (stores: Stores) => Promise<T>): Promise<T> {
  return withEventStore(config, async (eventStore) => {
    const readStore = createReadStore(config.readStore);
    try {
      return await use({ eventStore, readStore });
    } finally {
      await readStore.close();
    }
  });
}
