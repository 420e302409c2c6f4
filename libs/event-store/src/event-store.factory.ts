import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { EventStoreConfig } from './event-store.config';
import type { EventStore } from './event-store.port';
import { EsdbEventStore } from './esdb/esdb-event-store';
import { SqliteEventStore } from './sqlite/sqlite-event-store';

/** Opens the adapter the configuration names. */
export function createEventStore(config: EventStoreConfig, now?: () => Date): EventStore {
  switch (config.adapter) {
    case 'sqlite':
      if (config.filename !== ':memory:') mkdirSync(dirname(config.filename), { recursive: true });
      return new SqliteEventStore({ ...config, now });
    case 'esdb':
      return new EsdbEventStore({ connectionString: config.connectionString, maxAppendBytes: config.maxAppendBytes });
    default: {
      const unknown: never = config;
      throw new Error(`Unknown event store adapter ${JSON.stringify(unknown)}`);
    }
  }
}
