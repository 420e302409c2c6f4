import { join } from 'node:path';
import { PostgresLeaderLock, PostgresReadStore, SqliteReadStore, type ReadStore } from '@harbour/read-store';
import { tempDir } from '@harbour/testing';
import { CASES, describeReadStoreContract, sampleCases } from './support/read-store.contract';
import {
  DATABASE_URL,
  createTestSchema,
  describeWithPostgres,
  withClient,
  type TestSchema,
} from './support/postgres-test-database';

describeReadStoreContract('sqlite (:memory:)', {
  create: async (now) => new SqliteReadStore({ filename: ':memory:', now }),
  destroy: (store) => store.close(),
});

const dirs = new Map<ReadStore, () => void>();
describeReadStoreContract('sqlite (file)', {
  create: async (now) => {
    const dir = tempDir();
    const store = new SqliteReadStore({ filename: join(dir.path, 'read.db'), now });
    dirs.set(store, dir.remove);
    return store;
  },
  destroy: async (store) => {
    await store.close();
    dirs.get(store)?.();
    dirs.delete(store);
  },
});

describe('SQLite read store file', () => {
  it('is durable (WAL, synchronous=FULL) and keeps its rows across reopening', async () => {
    const dir = tempDir();
    try {
      const filename = join(dir.path, 'read.db');
      const first = new SqliteReadStore({ filename });
      await first.ensureTables([CASES]);
      const [row] = sampleCases();
      await first.commitBatch({
        projection: 'test',
        version: 1,
        tables: [CASES],
        changes: [{ kind: 'upsert', table: CASES.table, row, position: 2n ** 60n }],
        parked: [],
        checkpoint: 2n ** 60n,
      });
      expect(first.storageSettings()).toEqual({ journalMode: 'wal', synchronous: 'FULL' });
      await first.close();

      const second = new SqliteReadStore({ filename });
      try {
        await second.ensureTables([CASES]);
        expect(await second.select(CASES, { limit: 5 })).toEqual([{ ...row, last_position: String(2n ** 60n) }]);
        await expect(second.checkpoint('test')).resolves.toMatchObject({ position: 2n ** 60n });
      } finally {
        await second.close();
      }
    } finally {
      dir.remove();
    }
  });
});

describeWithPostgres('PostgreSQL read store', () => {
  const schemas = new Map<ReadStore, TestSchema>();
  describeReadStoreContract('postgres', {
    create: async (now) => {
      const schema = await createTestSchema();
      const store = new PostgresReadStore({ connectionString: DATABASE_URL, schema: schema.schema, now });
      schemas.set(store, schema);
      return store;
    },
    destroy: async (store) => {
      await store.close();
      await schemas.get(store)?.drop();
      schemas.delete(store);
    },
  });

  describe('migrations', () => {
    let schema: TestSchema;
    beforeEach(async () => {
      schema = await createTestSchema();
    });
    afterEach(() => schema.drop());

    it('run once when several processes start at the same time', async () => {
      const stores = Array.from(
        { length: 4 },
        () => new PostgresReadStore({ connectionString: DATABASE_URL, schema: schema.schema, maxConnections: 2 }),
      );
      try {
        await Promise.all(stores.map((store) => store.migrate()));
        await Promise.all(stores.map((store) => store.ensureTables([CASES])));
        const migrations = await withClient((client) =>
          client.query(`select id from ${schema.schema}.read_store_migrations`),
        );
        expect(migrations.rows).toEqual([{ id: '0001-projection-bookkeeping' }]);
      } finally {
        await Promise.all(stores.map((store) => store.close()));
      }
    });

    it('put text columns in bytewise order whatever the database locale', async () => {
      const store = new PostgresReadStore({ connectionString: DATABASE_URL, schema: schema.schema });
      try {
        await store.ensureTables([CASES]);
        const result = await withClient((client) =>
          client.query(
            `select column_name, collation_name, data_type from information_schema.columns
              where table_schema = $1 and table_name = 'test_cases' order by column_name`,
            [schema.schema],
          ),
        );
        expect(Object.fromEntries(result.rows.map((r) => [r.column_name, [r.data_type, r.collation_name]]))).toEqual({
          age: ['bigint', null],
          case_id: ['text', 'C'],
          closed_at: ['timestamp with time zone', null],
          details: ['jsonb', null],
          last_position: ['bigint', null],
          raised_at: ['timestamp with time zone', null],
          region: ['text', 'C'],
          types: ['jsonb', null],
          urgent: ['boolean', null],
        });
      } finally {
        await store.close();
      }
    });
  });

  describe('leader lock', () => {
    const name = `lock-test-${process.pid}-${Date.now()}`;
    const locks: PostgresLeaderLock[] = [];
    const lock = () => {
      const created = new PostgresLeaderLock({
        connectionString: DATABASE_URL,
        name,
        retryIntervalMs: 20,
        heartbeatIntervalMs: 100,
      });
      locks.push(created);
      return created;
    };
    afterEach(async () => {
      await Promise.all(locks.splice(0).map((l) => l.release()));
    });

    it('has one holder; a standby takes over when the holder releases', async () => {
      const first = lock();
      const second = lock();
      await expect(first.acquire()).resolves.toBe(true);
      const standby = second.acquire();
      const gaveUp = new AbortController();
      const third = lock().acquire(gaveUp.signal);
      gaveUp.abort();
      await expect(third).resolves.toBe(false);
      expect(second.held).toBe(false);
      const lost = first.lost!;
      await first.release();
      expect(lost.aborted).toBe(true);
      await expect(standby).resolves.toBe(true);
      expect(second.held).toBe(true);
    });

    it('is lost with its connection, and passes to a standby', async () => {
      const first = lock();
      const second = lock();
      await first.acquire();
      const standby = second.acquire();
      const lost = new Promise<unknown>((resolve) =>
        first.lost!.addEventListener('abort', () => resolve(first.lost?.reason ?? 'lost')),
      );
      await withClient((client) =>
        client.query(
          `select pg_terminate_backend(pid) from pg_stat_activity where application_name = $1 and pid <> pg_backend_pid()
             and pid in (select pid from pg_locks where locktype = 'advisory' and granted)`,
          [`harbour-leader:${name}`],
        ),
      );
      await lost;
      expect(first.held).toBe(false);
      await expect(standby).resolves.toBe(true);
    });
  });
});
