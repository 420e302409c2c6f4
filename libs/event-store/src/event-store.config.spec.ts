import { eventStoreConfigFrom } from './event-store.config';
import { ConfigurationError } from '@harbour/shared';

describe('eventStoreConfigFrom', () => {
  it('defaults to the embedded SQLite store under ./data with synchronous=FULL', () => {
    expect(eventStoreConfigFrom({})).toEqual({
      adapter: 'sqlite',
      filename: 'data/events.db',
      synchronous: 'FULL',
      pollIntervalMs: 100,
      maxAppendBytes: 1024 * 1024,
    });
  });

  it('selects EventStoreDB with a connection string', () => {
    expect(
      eventStoreConfigFrom({ HARBOUR_EVENT_STORE: 'esdb', EVENTSTORE_CONNECTION_STRING: 'esdb://db:2113?tls=false' }),
    ).toEqual({ adapter: 'esdb', connectionString: 'esdb://db:2113?tls=false', maxAppendBytes: 1024 * 1024 });
  });

  it('takes a cluster as esdb:// with several nodes, and esdb+discover:// with one DNS name', () => {
    for (const connectionString of [
      'esdb://n1:2113,n2:2113,n3:2113?tls=false',
      'esdb+discover://cluster.internal:2113',
    ]) {
      expect(
        eventStoreConfigFrom({ HARBOUR_EVENT_STORE: 'esdb', EVENTSTORE_CONNECTION_STRING: connectionString }),
      ).toMatchObject({ connectionString });
    }
  });

  it('takes the largest append from HARBOUR_EVENT_STORE_MAX_APPEND_BYTES', () => {
    expect(eventStoreConfigFrom({ HARBOUR_EVENT_STORE_MAX_APPEND_BYTES: '65536' })).toMatchObject({
      maxAppendBytes: 65536,
    });
  });

  it.each([
    [{ HARBOUR_EVENT_STORE: 'esdb' }, 'EVENTSTORE_CONNECTION_STRING'],
    [{ HARBOUR_EVENT_STORE: 'esdb', EVENTSTORE_CONNECTION_STRING: 'http://db:2113' }, 'EVENTSTORE_CONNECTION_STRING'],
    [{ HARBOUR_EVENT_STORE: 'postgres' }, 'HARBOUR_EVENT_STORE'],
    [{ HARBOUR_SQLITE_SYNCHRONOUS: 'OFF' }, 'HARBOUR_SQLITE_SYNCHRONOUS'],
    [{ HARBOUR_SQLITE_POLL_MS: 'soon' }, 'HARBOUR_SQLITE_POLL_MS'],
    [{ HARBOUR_DATA_DIR: ' ' }, 'HARBOUR_DATA_DIR'],
    // The client would gossip with the first node only: with it down, nothing is found.
    [
      { HARBOUR_EVENT_STORE: 'esdb', EVENTSTORE_CONNECTION_STRING: 'esdb+discover://n1:2113,n2:2113?tls=false' },
      'EVENTSTORE_CONNECTION_STRING',
    ],
    [{ HARBOUR_EVENT_STORE_MAX_APPEND_BYTES: '1MiB' }, 'HARBOUR_EVENT_STORE_MAX_APPEND_BYTES'],
    [{ HARBOUR_EVENT_STORE_MAX_APPEND_BYTES: '100' }, 'HARBOUR_EVENT_STORE_MAX_APPEND_BYTES'],
  ])('refuses %j naming %s', (env, setting) => {
    expect(() => eventStoreConfigFrom(env)).toThrow(ConfigurationError);
    expect(() => eventStoreConfigFrom(env)).toThrow(new RegExp(`^${setting}: `));
  });
});
