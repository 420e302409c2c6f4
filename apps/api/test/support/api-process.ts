import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

const REPO_ROOT = join(__dirname, '..', '..', '..', '..');

/** The API as `npm start` runs it, in a child process: its exit, output and (once up) its URL. */
export interface ApiProcess {
  readonly child: ChildProcess;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stdout(): string;
  stderr(): string;
  /** Resolves with the base URL once the API logs that it listens. */
  listening(timeoutMs?: number): Promise<string>;
}

/** `preload`: modules `node -r` loads before the API (a test's fault injection). */
export function spawnApi(env: Record<string, string>, preload: readonly string[] = []): ApiProcess {
  const modules = ['@swc-node/register', ...preload].flatMap((module) => ['-r', module]);
  const child = spawn(process.execPath, [...modules, 'apps/api/src/main.ts'], {
    cwd: REPO_ROOT,
    // Only what the test gives, plus PATH: the developer's own HARBOUR_* settings must not leak in.
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return {
    child,
    exited,
    stdout: () => out,
    stderr: () => err,
    async listening(timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        for (const line of out.split('\n')) {
          if (!line.startsWith('{')) continue;
          const entry = JSON.parse(line) as { msg?: string; port?: number; host?: string };
          if (entry.msg?.startsWith('API listening')) return `http://${entry.host}:${entry.port}`;
        }
        if (child.exitCode !== null) break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      throw new Error(`The API did not start: ${err || out}`);
    },
  };
}
