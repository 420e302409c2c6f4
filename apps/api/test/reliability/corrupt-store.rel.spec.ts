import { randomUUID } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { closeSync, openSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { SqliteEventStore } from '@harbour/event-store';
import { CASE_READ_MODELS } from '@harbour/projections';
import { SqliteReadStore } from '@harbour/read-store';
import { tempDir } from '@harbour/testing';
import { tally } from './support/ledger';

/**
 * A damaged SQLite file stops start-up with a message that says which file and what to do,
 * rather than the API serving what can still be read of it.
 */

const ROOT = join(__dirname, '..', '..', '..', '..');

/** Overwrites `length` bytes from `at` (a fraction of the file) with a pattern no page holds. */
function damage(file: string, at: number, length = 4096): void {
  const size = statSync(file).size;
  const fd = openSync(file, 'r+');
  try {
    writeSync(fd, Buffer.alloc(Math.min(length, size), 0xde), 0, Math.min(length, size), Math.floor(size * at));
  } finally {
    closeSync(fd);
  }
}

function startApi(dataDir: string): { status: number | null; stderr: string; stdout: string } {
  const run = spawnSync(process.execPath, ['-r', '@swc-node/register', 'apps/api/src/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, HARBOUR_DATA_DIR: dataDir, HARBOUR_PORT: '0' },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: run.status, stderr: run.stderr, stdout: run.stdout };
}

async function storeWithEvents(dir: string): Promise<string> {
  const filename = join(dir, 'events.db');
  const store = new SqliteEventStore({ filename });
  for (let i = 0; i < 200; i++) {
    await store.appendToStream(
      `thing-${i}`,
      [{ id: randomUUID(), type: 'Happened', data: { note: 'x'.repeat(500) }, metadata: {} }],
      {
        expectedRevision: 'any',
      },
    );
  }
  await store.close();
  return filename;
}

describe('a damaged SQLite file', () => {
  let faults = 0;
  afterAll(() => tally({ suite: 'damaged files', scenarios: faults, faults }));

  it.each([
    ['pages in the middle of the event store overwritten', 0.5],
    ['the event store header overwritten', 0],
  ])(
    '%s: start-up stops, naming the file',
    async (_what, at) => {
      const dir = tempDir('harbour-corrupt-');
      try {
        const file = await storeWithEvents(dir.path);
        damage(file, at, at === 0 ? 100 : 8192);
        faults += 1;

        const run = startApi(dir.path);

        expect(run.status).toBe(1);
        expect(run.stdout + run.stderr).not.toMatch(/API listening/);
        expect(run.stderr).toContain(`Harbour cannot start: The event store file ${file} is damaged`);
        expect(run.stderr).toContain('restore the file from a backup');
      } finally {
        dir.remove();
      }
    },
    60_000,
  );

  it('a damaged read store stops start-up too, and says the read models can be rebuilt', async () => {
    const dir = tempDir('harbour-corrupt-');
    try {
      await storeWithEvents(dir.path);
      const file = join(dir.path, 'read.db');
      const readStore = new SqliteReadStore({ filename: file });
      await readStore.ensureTables(CASE_READ_MODELS.readModels);
      await readStore.close();
      damage(file, 0.5, 8192);
      faults += 1;

      const run = startApi(dir.path);

      expect(run.status).toBe(1);
      expect(run.stderr).toContain(`Harbour cannot start: The read store file ${file} is damaged`);
      expect(run.stderr).toContain('rebuilt from the event store');
    } finally {
      dir.remove();
    }
  }, 60_000);
});
