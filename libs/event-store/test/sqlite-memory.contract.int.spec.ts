import { SqliteEventStore } from '@harbour/event-store';
import { describeEventStoreContract } from '@harbour/testing';

describeEventStoreContract('sqlite-memory', {
  create: async () => new SqliteEventStore({ filename: ':memory:' }),
});
