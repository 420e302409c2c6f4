import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SqliteEventStore } from '@harbour/event-store';
import { foldInMemory, handledEventTypes } from '@harbour/projections';
import { SqliteReadStore } from '@harbour/read-store';
import { tempDir } from '@harbour/testing';
import {
  allEvents,
  applicationCounts,
  counterProjection,
  eventually,
  storedTables,
} from '../../../libs/projections/test/support/counter.projection';
import { EventAppender } from './support/event-appender';
import { committedCheckpoint } from './support/committed-checkpoint';
import { ProjectorProcess } from './support/projector-process';

describe('projector killed mid-batch (SIGKILL), embedded SQLite', () => {
  it('ends with the tables a fresh fold gives: no event applied twice, none missed', async () => {
    const dir = tempDir();
    const projection = counterProjection('crash');
    const readFile = join(dir.path, 'read.db');
    const env = {
      HARBOUR_DATA_DIR: dir.path,
      HARBOUR_SQLITE_POLL_MS: '10',
      HARBOUR_PROJECTOR_BATCH_SIZE: '25',
      TEST_PROJECTION: projection.name,
    };
    const eventStore = new SqliteEventStore({ filename: join(dir.path, 'events.db') });
    const appender = new EventAppender(eventStore);
    const children: ProjectorProcess[] = [];
    try {
      let previous = -1n;
      for (let kill = 0; kill < 5; kill++) {
        const child = new ProjectorProcess(env);
        children.push(child);
        // Killed only once it has committed something of its own, at a random moment after.
        await eventually(
          async () => committedCheckpoint(readFile, projection.name) > previous,
          'the projector commits',
        );
        await new Promise((resolve) => setTimeout(resolve, Math.floor(Math.random() * 150)));
        child.kill('SIGKILL');
        expect(await child.exited).toEqual({ code: null, signal: 'SIGKILL' });
        previous = committedCheckpoint(readFile, projection.name);
      }
      await appender.stop();
      expect(appender.appended).toBeGreaterThan(500);

      const events = await allEvents(eventStore);
      const handled = new Set(handledEventTypes(projection));
      const lastHandled = events.filter((e) => handled.has(e.type)).at(-1)!.position;
      const last = new ProjectorProcess(env);
      children.push(last);
      await eventually(
        async () => committedCheckpoint(readFile, projection.name) >= lastHandled,
        'the restarted projector catches up',
      );
      last.kill('SIGTERM');
      expect(await last.exited).toEqual({ code: 0, signal: null });
      expect(last.notJson).toEqual([]);

      const raw = new Database(readFile, { readonly: true });
      expect(raw.pragma('integrity_check', { simple: true })).toBe('ok');
      raw.close();
      const readStore = new SqliteReadStore({ filename: readFile });
      try {
        const fold = foldInMemory(projection, events);
        const stored = await storedTables(readStore, projection);
        expect(stored).toEqual(new Map(fold.tables));
        expect(applicationCounts(stored, projection).every((count) => count === 1)).toBe(true);
        expect((await readStore.parkedEvents(projection.name)).map((p) => p.position)).toEqual(
          fold.parked.map((p) => p.position),
        );
      } finally {
        await readStore.close();
      }
    } finally {
      await appender.stop();
      await Promise.all(children.map((child) => child.dispose()));
      await eventStore.close();
      dir.remove();
    }
  }, 60_000);
});
