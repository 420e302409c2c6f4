import { join } from 'node:path';
import { SqliteEventStore, type EventStore } from '@harbour/event-store';
import { describeEventStoreContract, tempDir } from '@harbour/testing';

const dirs = new Map<EventStore, () => void>();

describeEventStoreContract('sqlite-file', {
  create: async () => {
    const dir = tempDir();
    const store = new SqliteEventStore({ filename: join(dir.path, 'events.db') });
    dirs.set(store, dir.remove);
    return store;
  },
  destroy: async (store) => {
    await store.close();
    dirs.get(store)?.();
    dirs.delete(store);
  },
});
