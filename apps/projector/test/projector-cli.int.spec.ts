import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const REPO_ROOT = join(__dirname, '..', '..', '..');

/** `npm run projector -- <args>`, as a process; a projector that started would run until killed. */
function projector(...args: string[]) {
  return spawnSync(process.execPath, ['-r', '@swc-node/register', 'apps/projector/src/main.ts', ...args], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH ?? '', HARBOUR_DATA_DIR: ':memory:' },
    encoding: 'utf8',
    timeout: 60_000,
  });
}

describe('npm run projector -- <options>', () => {
  it('prints its help for --help and exits 0 instead of starting', () => {
    expect(projector('--help')).toMatchObject({
      status: 0,
      stdout: expect.stringMatching(/^Usage: projector \[options\][\s\S]*SIGTERM/),
      stderr: '',
    });
  });

  it('refuses an option it does not know with exit 2 and its help', () => {
    expect(projector('--batch-size', '10')).toMatchObject({
      status: 2,
      stderr: expect.stringMatching(/unknown option '--batch-size'[\s\S]*Usage: projector/),
    });
  });
});
