import { eventStoreConfigFrom } from './event-store.config';
import { ConfigurationError } from './settings';

describe('eventStoreConfigFrom', () => {
  it('defaults to the embedded SQLite store under ./data with synchronous=FULL', () => {
    expect(eventStoreConfigFrom({})).toEqual({
      adapter: 'sqlite',
      filename: 'data/events.db',
      synchronous: 'FULL',
      pollIntervalMs: 100,
    });
  });

  it('selects EventStoreDB with a connection string', () => {
    expect(
      eventStoreConfigFrom({ HARBOUR_EVENT_STORE: 'esdb', EVENTSTORE_CONNECTION_STRING: 'esdb://db:2113?tls=false' }),
    ).toEqual({ adapter: 'esdb', connectionString: 'esdb://db:2113?tls=false' });
  });

  it.each([
    [{ HARBOUR_EVENT_STORE: 'esdb' }, 'EVENTSTORE_CONNECTION_STRING'],
    [{ HARBOUR_EVENT_STORE: 'esdb', EVENTSTORE_CONNECTION_STRING: 'http://db:2113' }, 'EVENTSTORE_CONNECTION_STRING'],
    [{ HARBOUR_EVENT_STORE: 'postgres' }, 'HARBOUR_EVENT_STORE'],
    [{ HARBOUR_SQLITE_SYNCHRONOUS: 'OFF' }, 'HARBOUR_SQLITE_SYNCHRONOUS'],
    [{ HARBOUR_SQLITE_POLL_MS: 'soon' }, 'HARBOUR_SQLITE_POLL_MS'],
    [{ HARBOUR_DATA_DIR: ' ' }, 'HARBOUR_DATA_DIR'],
  ])('refuses %j naming %s', (env, setting) => {
    expect(() => eventStoreConfigFrom(env)).toThrow(ConfigurationError);
    expect(() => eventStoreConfigFrom(env)).toThrow(new RegExp(`^${setting}: `));
  });
});
