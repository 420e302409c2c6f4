import { ConfigurationError } from '@harbour/shared';
import { projectorConfigFrom } from '../src/projector.config';

describe('projectorConfigFrom', () => {
  it('defaults to the embedded stores, batches of 500 and a standby retry every second', () => {
    expect(projectorConfigFrom({})).toEqual({
      eventStore: {
        adapter: 'sqlite',
        filename: 'data/events.db',
        synchronous: 'FULL',
        pollIntervalMs: 100,
        maxAppendBytes: 1024 * 1024,
      },
      readStore: { adapter: 'sqlite', filename: 'data/read.db', synchronous: 'FULL' },
      batchSize: 500,
      schedulerIntervalMs: 1000,
      standbyRetryMs: 1000,
      logLevel: 'info',
      logFormat: 'auto',
    });
  });

  it('reads the distributed settings', () => {
    expect(
      projectorConfigFrom({
        HARBOUR_EVENT_STORE: 'esdb',
        EVENTSTORE_CONNECTION_STRING: 'esdb://db:2113?tls=false',
        HARBOUR_READ_STORE: 'postgres',
        DATABASE_URL: 'postgres://harbour@pg/harbour',
        HARBOUR_PROJECTOR_BATCH_SIZE: '1000',
        HARBOUR_PROJECTOR_STANDBY_RETRY_MS: '250',
      }),
    ).toMatchObject({
      eventStore: { adapter: 'esdb' },
      readStore: { adapter: 'postgres', connectionString: 'postgres://harbour@pg/harbour' },
      batchSize: 1000,
      standbyRetryMs: 250,
    });
  });

  it.each([
    [{ HARBOUR_PROJECTOR_BATCH_SIZE: '0' }, 'HARBOUR_PROJECTOR_BATCH_SIZE'],
    [{ HARBOUR_PROJECTOR_BATCH_SIZE: 'many' }, 'HARBOUR_PROJECTOR_BATCH_SIZE'],
    [{ HARBOUR_PROJECTOR_STANDBY_RETRY_MS: '' }, 'HARBOUR_PROJECTOR_STANDBY_RETRY_MS'],
    [{ HARBOUR_READ_STORE: 'postgres' }, 'DATABASE_URL'],
    [{ HARBOUR_EVENT_STORE: 'kafka' }, 'HARBOUR_EVENT_STORE'],
    [{ HARBOUR_LOG_LEVEL: 'chatty' }, 'HARBOUR_LOG_LEVEL'],
    [{ HARBOUR_PROJECTOR_METRICS_PORT: '70000' }, 'HARBOUR_PROJECTOR_METRICS_PORT'],
    [{ HARBOUR_METRICS_TOKEN: 'short' }, 'HARBOUR_METRICS_TOKEN'],
    [{ HARBOUR_HOST: ' ' }, 'HARBOUR_HOST'],
  ])('refuses %j naming %s', (env, setting) => {
    expect(() => projectorConfigFrom(env)).toThrow(ConfigurationError);
    expect(() => projectorConfigFrom(env)).toThrow(new RegExp(`^${setting}: `));
  });
});
