import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { SqliteEventStore } from '@harbour/event-store';
import { foldInMemory, PROJECTIONS, type Projection } from '@harbour/projections';
import { PostgresReadStore } from '@harbour/read-store';
import { tempDir } from '@harbour/testing';
import { allEvents, eventually, storedTables } from '../../../../libs/projections/test/support/counter.projection';
import { ProjectorProcess } from '../../../projector/test/support/projector-process';
import { ApiProcess } from './support/api-process';
import { appendExampleCases } from './support/case-streams';
import { tally } from './support/ledger';

/**
 * PostgreSQL stopped and restarted (pg_ctlcluster) while the projector writes the read models to
 * it: the projector backs off and resumes by itself, and ends equal to a fresh fold. The cluster
 * is one this test creates on a port of its own and drops afterwards, so the outage touches no
 * other test.
 */

const CHILD = join(__dirname, '..', '..', '..', 'projector', 'test', 'fixtures', 'registry-projector-child.ts');
const VERSION = '15';
const CLUSTER = `harbour-outage-${randomBytes(3).toString('hex')}`;
const PORT = 5400 + Math.floor(Math.random() * 90);
const DATABASE_URL = `postgres://postgres@127.0.0.1:${PORT}/postgres`;

function pg(command: string, ...args: string[]): void {
  execFileSync(command, args, { stdio: 'pipe', timeout: 60_000 });
}
const cluster = (action: 'start' | 'stop') =>
  pg('pg_ctlcluster', '--skip-systemctl-redirect', VERSION, CLUSTER, action);

// Needs the Debian PostgreSQL tools, as on every machine Harbour is built on (DESIGN §9).
describe('PostgreSQL stopped and restarted under the projector', () => {
  beforeAll(() => {
    pg('pg_createcluster', VERSION, CLUSTER, '--port', String(PORT), '--', '--auth=trust');
    cluster('start');
  }, 60_000);
  afterAll(() => {
    try {
      cluster('stop');
    } catch {
      // Already stopped.
    }
    pg('pg_dropcluster', VERSION, CLUSTER);
  }, 60_000);

  it('backs off while the database is down, resumes when it returns, and ends equal to a fresh fold; readiness follows', async () => {
    const dir = tempDir('harbour-pg-outage-');
    const store = new SqliteEventStore({ filename: join(dir.path, 'events.db') });
    const suffix = `-outage`;
    const projections: Projection[] = PROJECTIONS.map((p) => ({ ...p, name: `${p.name}${suffix}` }));
    const projector = new ProjectorProcess(
      {
        HARBOUR_DATA_DIR: dir.path,
        HARBOUR_SQLITE_POLL_MS: '10',
        HARBOUR_READ_STORE: 'postgres',
        DATABASE_URL,
        HARBOUR_PROJECTOR_BATCH_SIZE: '20',
        HARBOUR_PROJECTOR_STANDBY_RETRY_MS: '100',
        HARBOUR_SCHEDULER_INTERVAL_MS: '3600000',
        TEST_PROJECTION_SUFFIX: suffix,
      },
      CHILD,
    );
    // An API replica on the same stores, projections external: what a load balancer asks.
    const api = new ApiProcess({
      HARBOUR_DATA_DIR: dir.path,
      HARBOUR_READ_STORE: 'postgres',
      DATABASE_URL,
      HARBOUR_PROJECTOR: 'external',
      HARBOUR_READY_MAX_LAG: '1000000',
    });
    const readiness = async (url: string) => (await fetch(`${url}/health/ready`)).status;
    const readStore = new PostgresReadStore({ connectionString: DATABASE_URL });
    const checkpoint = async (name: string) => {
      try {
        return (await readStore.checkpoint(name))?.position ?? -1n;
      } catch {
        return -1n;
      }
    };
    try {
      const head = await appendExampleCases(store, 40, 'pg-outage');
      await eventually(async () => (await checkpoint(projections[0].name)) > 0n, 'the projector commits', 30_000);
      const url = await api.listening();
      await eventually(async () => (await readiness(url)) === 200, 'the API is ready', 30_000);

      cluster('stop');
      await eventually(
        async () => (await readiness(url)) === 503,
        'the API is not ready while the read store is down',
        30_000,
      );
      await projector.waitForLog((line) => line.msg === 'projection interrupted; retrying', 'backing off', 30_000);
      await new Promise((resolve) => setTimeout(resolve, 1500));
      expect(projector.lines.some((line) => line.state === 'failed')).toBe(false);
      cluster('start');

      await eventually(
        async () => (await Promise.all(projections.map((p) => checkpoint(p.name)))).every((at) => at >= head),
        'the projector resumes and catches up',
        60_000,
      );
      await eventually(async () => (await readiness(url)) === 200, 'the API is ready again', 30_000);
      projector.kill('SIGTERM');
      expect(await projector.exited).toEqual({ code: 0, signal: null });

      const events = await allEvents(store);
      for (const projection of projections) {
        expect(await storedTables(readStore, projection)).toEqual(new Map(foldInMemory(projection, events).tables));
      }
      tally({ suite: 'PostgreSQL outage', scenarios: 1, faults: 1 });
    } finally {
      await api.dispose();
      await projector.dispose();
      await readStore.close();
      await store.close();
      dir.remove();
    }
  }, 180_000);
});
