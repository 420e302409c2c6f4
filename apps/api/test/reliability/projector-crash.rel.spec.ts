import { join } from 'node:path';
import { SqliteEventStore } from '@harbour/event-store';
import { foldInMemory, PROJECTIONS, type Projection } from '@harbour/projections';
import { SqliteReadStore } from '@harbour/read-store';
import { tempDir } from '@harbour/testing';
import { allEvents, eventually, storedTables } from '../../../../libs/projections/test/support/counter.projection';
import { committedCheckpoint } from '../../../projector/test/support/committed-checkpoint';
import { ProjectorProcess } from '../../../projector/test/support/projector-process';
import { appendExampleCases } from './support/case-streams';
import { tally } from './support/ledger';

/**
 * The projector (every projection of the registry, on real case events) killed with SIGKILL
 * several times mid-way, then let finish: the read models equal a fresh fold of the whole store,
 * with nothing parked, as a rebuild would leave them.
 */

const CHILD = join(__dirname, '..', '..', '..', 'projector', 'test', 'fixtures', 'registry-projector-child.ts');
const COPIES = 40;
const KILLS = 4;
const SUFFIX = '-crash';

describe('the projector killed (SIGKILL) mid-way, on case events', () => {
  it('ends with read models equal to a fresh fold of the store', async () => {
    const dir = tempDir('harbour-projector-crash-');
    const readFile = join(dir.path, 'read.db');
    const store = new SqliteEventStore({ filename: join(dir.path, 'events.db') });
    const projections: Projection[] = PROJECTIONS.map((projection) => ({
      ...projection,
      name: `${projection.name}${SUFFIX}`,
    }));
    const env = {
      HARBOUR_DATA_DIR: dir.path,
      HARBOUR_SQLITE_POLL_MS: '10',
      HARBOUR_PROJECTOR_BATCH_SIZE: '40',
      // The scheduler would append deadline events of its own while we compare: not here.
      HARBOUR_SCHEDULER_INTERVAL_MS: '3600000',
      TEST_PROJECTION_SUFFIX: SUFFIX,
    };
    const children: ProjectorProcess[] = [];
    try {
      await appendExampleCases(store, COPIES, 'projector-crash');
      const head = await store.headPosition();
      const slowest = () =>
        projections.reduce((least, p) => {
          const at = committedCheckpoint(readFile, p.name);
          return at < least ? at : least;
        }, head);

      let previous = -1n;
      for (let kill = 0; kill < KILLS; kill++) {
        const child = new ProjectorProcess(env, CHILD);
        children.push(child);
        await eventually(
          async () => committedCheckpoint(readFile, projections[0].name) > previous,
          'the projector commits',
          30_000,
        );
        await new Promise((resolve) => setTimeout(resolve, Math.floor(Math.random() * 100)));
        child.kill('SIGKILL');
        expect(await child.exited).toEqual({ code: null, signal: 'SIGKILL' });
        previous = committedCheckpoint(readFile, projections[0].name);
      }
      expect(previous).toBeLessThan(head);

      const last = new ProjectorProcess(env, CHILD);
      children.push(last);
      await eventually(async () => slowest() >= head, 'the restarted projector catches up', 60_000);
      last.kill('SIGTERM');
      expect(await last.exited).toEqual({ code: 0, signal: null });

      const events = await allEvents(store);
      const readStore = new SqliteReadStore({ filename: readFile });
      try {
        for (const projection of projections) {
          const fold = foldInMemory(projection, events);
          expect(fold.parked).toEqual([]);
          expect(await storedTables(readStore, projection)).toEqual(new Map(fold.tables));
          expect(await readStore.parkedEvents(projection.name)).toEqual([]);
        }
      } finally {
        await readStore.close();
      }
      tally({ suite: 'projector crash (SIGKILL)', scenarios: 1, faults: KILLS });
    } finally {
      await Promise.all(children.map((child) => child.dispose()));
      await store.close();
      dir.remove();
    }
  }, 180_000);
});
