import { join } from 'node:path';
import { Test } from '@nestjs/testing';
import { ConfigurationError } from '@harbour/shared';
import { READ_STORE, ReadStoreModule, readStoreConfigFrom, type ReadStore } from '@harbour/read-store';
import { tempDir } from '@harbour/testing';

describe('readStoreConfigFrom', () => {
  it('defaults to an embedded SQLite file of its own under ./data, synchronous=FULL', () => {
    expect(readStoreConfigFrom({})).toEqual({ adapter: 'sqlite', filename: 'data/read.db', synchronous: 'FULL' });
    expect(readStoreConfigFrom({ HARBOUR_DATA_DIR: '/var/harbour' })).toMatchObject({
      filename: '/var/harbour/read.db',
    });
    expect(readStoreConfigFrom({ HARBOUR_DATA_DIR: ':memory:' })).toMatchObject({ filename: ':memory:' });
  });

  it('selects PostgreSQL with a URL, an optional schema and a pool size', () => {
    expect(
      readStoreConfigFrom({
        HARBOUR_READ_STORE: 'postgres',
        DATABASE_URL: 'postgres://harbour@db:5432/harbour',
        HARBOUR_READ_STORE_SCHEMA: 'read_models',
        HARBOUR_READ_STORE_POOL_SIZE: '4',
      }),
    ).toEqual({
      adapter: 'postgres',
      connectionString: 'postgres://harbour@db:5432/harbour',
      schema: 'read_models',
      maxConnections: 4,
    });
  });

  it.each([
    [{ HARBOUR_READ_STORE: 'mysql' }, 'HARBOUR_READ_STORE'],
    [{ HARBOUR_READ_STORE: 'postgres' }, 'DATABASE_URL'],
    [{ HARBOUR_READ_STORE: 'postgres', DATABASE_URL: 'mysql://db/x' }, 'DATABASE_URL'],
    [
      { HARBOUR_READ_STORE: 'postgres', DATABASE_URL: 'postgres://db/x', HARBOUR_READ_STORE_SCHEMA: 'Read-Models' },
      'HARBOUR_READ_STORE_SCHEMA',
    ],
    [
      { HARBOUR_READ_STORE: 'postgres', DATABASE_URL: 'postgres://db/x', HARBOUR_READ_STORE_POOL_SIZE: '0' },
      'HARBOUR_READ_STORE_POOL_SIZE',
    ],
    [{ HARBOUR_SQLITE_SYNCHRONOUS: 'OFF' }, 'HARBOUR_SQLITE_SYNCHRONOUS'],
    [{ HARBOUR_DATA_DIR: '' }, 'HARBOUR_DATA_DIR'],
  ])('refuses %j naming %s', (env, setting) => {
    expect(() => readStoreConfigFrom(env)).toThrow(ConfigurationError);
    expect(() => readStoreConfigFrom(env)).toThrow(new RegExp(`^${setting}: `));
  });
});

describe('ReadStoreModule', () => {
  it('provides a migrated store under READ_STORE and closes it on shutdown', async () => {
    const dir = tempDir();
    try {
      const filename = join(dir.path, 'nested', 'read.db');
      const app = await Test.createTestingModule({
        imports: [ReadStoreModule.forRoot({ adapter: 'sqlite', filename, synchronous: 'FULL' })],
      }).compile();
      const sut = app.get<ReadStore>(READ_STORE);
      expect(sut.dialect).toBe('sqlite');
      await expect(sut.checkpoint('anything')).resolves.toBeUndefined();
      await app.close();
      await expect(sut.checkpoint('anything')).rejects.toThrow();
    } finally {
      dir.remove();
    }
  });

  it('stops the boot when the database cannot be reached', async () => {
    await expect(
      Test.createTestingModule({
        imports: [
          ReadStoreModule.forRoot({
            adapter: 'postgres',
            connectionString: 'postgres://nobody@127.0.0.1:1/none',
            maxConnections: 1,
          }),
        ],
      }).compile(),
    ).rejects.toThrow();
  });
});
