import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { SqliteEventStore } from '@harbour/event-store';
import { foldInMemory, handledEventTypes } from '@harbour/projections';
import { PostgresReadStore, SqliteReadStore, type ReadStore } from '@harbour/read-store';
import { tempDir } from '@harbour/testing';
import {
  allEvents,
  appendEvent,
  applicationCounts,
  counterProjection,
  eventually,
  storedTables,
} from '../../../libs/projections/test/support/counter.projection';
import {
  DATABASE_URL,
  createTestSchema,
  describeWithPostgres,
} from '../../../libs/read-store/test/support/postgres-test-database';
import { projectorConfigFrom } from '../src/projector.config';
import { startProjector } from '../src/projector';
import { EventAppender } from './support/event-appender';
import { ProjectorProcess, type LogLine } from './support/projector-process';

/** Waits until the projection's checkpoint has passed every event it handles, then checks the tables. */
async function expectCaughtUpAndEqualToFold(
  eventStore: SqliteEventStore,
  readStore: ReadStore,
  projection: ReturnType<typeof counterProjection>,
): Promise<void> {
  const handled = new Set(handledEventTypes(projection));
  const events = await allEvents(eventStore);
  const lastHandled = events.filter((e) => handled.has(e.type)).at(-1)?.position ?? -1n;
  await eventually(
    async () => ((await readStore.checkpoint(projection.name))?.position ?? -1n) >= lastHandled,
    'the projector catches up',
  );
  const fold = foldInMemory(projection, events);
  const stored = await storedTables(readStore, projection);
  expect(stored).toEqual(new Map(fold.tables));
  expect(applicationCounts(stored, projection).every((count) => count === 1)).toBe(true);
  expect((await readStore.parkedEvents(projection.name)).map((p) => p.position)).toEqual(
    fold.parked.map((p) => p.position),
  );
}

describe('projector, embedded (SQLite files)', () => {
  it('projects what is appended, logs JSON lines without event data, and stops cleanly', async () => {
    const dir = tempDir();
    const projection = counterProjection('embedded');
    const logged: string[] = [];
    const config = projectorConfigFrom({ HARBOUR_DATA_DIR: dir.path, HARBOUR_SQLITE_POLL_MS: '10' });
    const eventStore = new SqliteEventStore({ filename: join(dir.path, 'events.db') });
    const readStore = new SqliteReadStore({ filename: join(dir.path, 'read.db') });
    const projector = await startProjector({
      config,
      projections: [projection],
      logSink: { write: (l) => logged.push(l) },
    });
    try {
      for (let i = 0; i < 30; i++) {
        await appendEvent(eventStore, `counter-${i % 4}`, i === 7 ? 'Poison' : 'Counted', { tag: 'personal-detail' });
      }
      expect(projector.states()).toEqual({ embedded: 'running' });
      await expectCaughtUpAndEqualToFold(eventStore, readStore, projection);
      await projector.stop();
      expect(projector.states()).toEqual({ embedded: 'stopped' });

      const lines = logged.join('').trim().split('\n');
      const parsed = lines.map((line) => JSON.parse(line) as LogLine);
      expect(parsed.map((line) => line.msg)).toEqual(
        expect.arrayContaining(['projector started', 'running', 'event parked', 'projector stopped']),
      );
      expect(parsed.find((line) => line.msg === 'event parked')).toMatchObject({
        level: 'warn',
        projection: 'embedded',
        eventType: 'Poison',
        error: 'Error',
      });
      expect(logged.join('')).not.toContain('personal-detail');
    } finally {
      await projector.stop();
      await readStore.close();
      await eventStore.close();
      dir.remove();
    }
  });
});

describeWithPostgres('projector, distributed (PostgreSQL read store, leader lock per projection)', () => {
  it('keeps one active instance; when it is killed a standby takes over, and no event is applied twice', async () => {
    const dir = tempDir();
    const schema = await createTestSchema();
    // Advisory locks are per database, not per schema: a name of its own keeps runs apart.
    const projection = counterProjection(`failover_${randomBytes(4).toString('hex')}`);
    const env = {
      HARBOUR_DATA_DIR: dir.path,
      HARBOUR_SQLITE_POLL_MS: '10',
      HARBOUR_READ_STORE: 'postgres',
      DATABASE_URL,
      HARBOUR_READ_STORE_SCHEMA: schema.schema,
      HARBOUR_PROJECTOR_BATCH_SIZE: '20',
      HARBOUR_PROJECTOR_STANDBY_RETRY_MS: '50',
      TEST_PROJECTION: projection.name,
    };
    const eventStore = new SqliteEventStore({ filename: join(dir.path, 'events.db') });
    const readStore = new PostgresReadStore({ connectionString: DATABASE_URL, schema: schema.schema });
    const appender = new EventAppender(eventStore);
    const children: ProjectorProcess[] = [];
    const start = () => {
      const child = new ProjectorProcess(env);
      children.push(child);
      return child;
    };
    const isLeading = (line: LogLine) => line.state === 'leading';
    const isStandingBy = (line: LogLine) => line.state === 'standby';
    const checkpoint = async () => (await readStore.checkpoint(projection.name))?.position ?? -1n;
    const progresses = async () => {
      const from = await checkpoint();
      await eventually(async () => (await checkpoint()) > from, 'the active instance commits');
    };
    try {
      let active = start();
      await active.waitForLog(isLeading, 'leadership');
      await progresses();
      for (let failover = 0; failover < 2; failover++) {
        const standby = start();
        await standby.waitForLog(isStandingBy, 'standing by');
        await progresses();
        expect(standby.lines.some(isLeading)).toBe(false);

        active.kill('SIGKILL');
        expect(await active.exited).toEqual({ code: null, signal: 'SIGKILL' });
        await standby.waitForLog(isLeading, 'taking over');
        await progresses();
        active = standby;
      }
      await appender.stop();

      await expectCaughtUpAndEqualToFold(eventStore, readStore, projection);
      active.kill('SIGTERM');
      expect(await active.exited).toEqual({ code: 0, signal: null });
      expect(active.lines.map((line) => line.msg)).toContain('projector stopped');
      for (const child of children) expect(child.notJson).toEqual([]);
    } finally {
      await appender.stop();
      await Promise.all(children.map((child) => child.dispose()));
      await readStore.close();
      await eventStore.close();
      await schema.drop();
      dir.remove();
    }
  }, 60_000);
});
