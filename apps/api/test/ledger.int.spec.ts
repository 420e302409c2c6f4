import { execFile } from 'node:child_process';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SqliteLedger } from '@harbour/audit';
import { startApi, type ApiHarness } from './support/api-harness';
import { referral, when } from './support/pilot-path';

/**
 * Issue 18 over the real API and CLI against real SQLite files: the API keeps the ledger's Merkle
 * tree behind its writers, and `harbour audit verify` names what the hash chains cannot see.
 */

const REPO_ROOT = join(__dirname, '../../..');

function harbour(api: ApiHarness, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['-r', '@swc-node/register', 'apps/cli/src/main.ts', ...args],
      { cwd: REPO_ROOT, env: { ...process.env, HARBOUR_DATA_DIR: api.config.dataDir }, timeout: 60_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

describe('the ledger', () => {
  let api: ApiHarness;
  let lead: string;

  beforeAll(async () => {
    api = await startApi();
    api.clock.set(when.now);
    lead = await api.token('lead', { userId: 'lead-1' });
  });
  afterAll(() => api.close());

  const eventsFile = () => join(api.config.dataDir, 'events.db');

  async function raiseCase(): Promise<string> {
    const response = await api.request('POST', '/cases', {
      token: lead,
      body: referral(),
      headers: { 'x-occurred-at': when.raised },
    });
    expect(response.status).toBe(201);
    return String(response.body.caseId);
  }

  /** Waits until the API's ledger holds a leaf for every event in the store. */
  async function ledgerCaughtUp(): Promise<void> {
    const db = new Database(eventsFile(), { readonly: true });
    const events = (db.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n;
    db.close();
    const ledger = new SqliteLedger(api.config.ledger.filename);
    try {
      for (let tries = 0; ledger.size() < events; tries += 1) {
        if (tries > 100) throw new Error(`the ledger holds ${ledger.size()} of ${events} events`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    } finally {
      ledger.close();
    }
  }

  it('is built behind the writers, and the intact store verifies against it', async () => {
    await raiseCase();
    await ledgerCaughtUp();
    const result = await harbour(api, 'audit', 'verify');
    expect(result.stdout).toMatch(/^OK: ledger: all \d+ leaves match their events/m);
    expect(result.code).toBe(0);
  });

  it('names an event whose recorded time was edited in events.db, though every hash chain still holds', async () => {
    const caseId = await raiseCase();
    await ledgerCaughtUp();
    const db = new Database(eventsFile());
    const row = db
      .prepare('SELECT position, recorded_at FROM events WHERE stream = ? AND revision = 0')
      .get(`case-${caseId}`) as { position: number; recorded_at: string };
    db.prepare(`UPDATE events SET recorded_at = '2001-01-01T00:00:00.000Z' WHERE position = ?`).run(row.position);
    db.close();

    const result = await harbour(api, 'audit', 'verify');
    expect(result.stdout).toMatch(/streams, every link intact/);
    expect(result.stdout).toContain(
      `recorded-time-changed: the recorded time of case-${caseId} revision 0 (position ${row.position}) was changed: ` +
        `the ledger recorded ${row.recorded_at}, the store now says 2001-01-01T00:00:00.000Z`,
    );
    expect(result.code).toBe(1);

    // Put back, it verifies again.
    const restore = new Database(eventsFile());
    restore.prepare('UPDATE events SET recorded_at = ? WHERE position = ?').run(row.recorded_at, row.position);
    restore.close();
    expect((await harbour(api, 'audit', 'verify')).code).toBe(0);
  });

  it('names the last event of a stream deleted from events.db, which no chain can see', async () => {
    const caseId = await raiseCase();
    await ledgerCaughtUp();
    const db = new Database(eventsFile());
    const last = db
      .prepare('SELECT position, revision FROM events WHERE stream = ? ORDER BY revision DESC LIMIT 1')
      .get(`case-${caseId}`) as { position: number; revision: number };
    db.prepare('DELETE FROM events WHERE position = ?').run(last.position);
    db.close();

    const result = await harbour(api, 'audit', 'verify');
    expect(result.stdout).toMatch(/streams, every link intact/);
    expect(result.stdout).toContain(
      `event-missing: case-${caseId} revision ${last.revision} (position ${last.position}`,
    );
    expect(result.code).toBe(1);
  });
});
