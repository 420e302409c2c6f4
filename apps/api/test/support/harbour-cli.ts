import { execFile } from 'node:child_process';
import { join } from 'node:path';

export const REPO_ROOT = join(__dirname, '../../../..');

/** Runs the `harbour` CLI from the repository against `dataDir`; never rejects. */
export function harbourCli(
  dataDir: string,
  ...args: string[]
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['-r', '@swc-node/register', 'apps/cli/src/main.ts', ...args],
      { cwd: REPO_ROOT, env: { ...process.env, HARBOUR_DATA_DIR: dataDir }, timeout: 60_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}
