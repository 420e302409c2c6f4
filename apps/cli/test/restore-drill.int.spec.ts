import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { tempDir } from '@harbour/testing';

const run = promisify(execFile);
const REPO_ROOT = join(__dirname, '..', '..', '..');

/** scripts/restore-drill.sh on the embedded stores: back up, wipe, restore, `audit verify`. */
describe('the restore drill', () => {
  const dir = tempDir('harbour-drill-');
  afterAll(() => dir.remove());

  it('restores every embedded store from its backup: the same chain, and the data keys open again', async () => {
    const env = { ...process.env, HARBOUR_DATA_DIR: join(dir.path, 'data'), HARBOUR_LOG_LEVEL: 'error' };
    await run(process.execPath, ['-r', '@swc-node/register', 'apps/cli/src/main.ts', 'seed', '--cases', '4'], {
      cwd: REPO_ROOT,
      env,
    });
    const backup = join(dir.path, 'backup');
    const { stdout } = await run('bash', ['scripts/restore-drill.sh', '--wipe-and-restore', backup], {
      cwd: REPO_ROOT,
      env,
    });
    expect(stdout).toMatch(/restore drill passed: OK: \d+ events in \d+ streams, every link intact/);
    // The events, the read models, every data key, and the (development) master key they open with.
    expect(readdirSync(backup)).toEqual(expect.arrayContaining(['dev-master-key', 'events.db', 'keys.db', 'read.db']));
    for (const file of ['events.db', 'keys.db', 'dev-master-key'])
      expect(existsSync(join(env.HARBOUR_DATA_DIR, file))).toBe(true);
  }, 240_000);

  it('refuses to run without being told it may wipe the stores', async () => {
    await expect(run('bash', ['scripts/restore-drill.sh'], { cwd: REPO_ROOT })).rejects.toMatchObject({ code: 2 });
  });
});
