import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { mintDevelopmentToken, securityConfigFrom, type Role } from '@harbour/security';

const ROOT = join(__dirname, '..', '..', '..', '..', '..');
export const PROCESS_SECRET = 'harbour-reliability-secret-harbour-reliability-0123';

/** The API as `npm start` runs it, in a child process of its own, that a test can kill. */
export class ApiProcess {
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private readonly child: ChildProcess;
  private output = '';
  private url: string | undefined;

  constructor(private readonly env: Record<string, string>) {
    this.child = spawn(process.execPath, ['-r', '@swc-node/register', 'apps/api/src/main.ts'], {
      cwd: ROOT,
      env: { ...process.env, HARBOUR_PORT: '0', HARBOUR_JWT_SECRET: PROCESS_SECRET, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const collect = (chunk: Buffer) => (this.output += chunk.toString());
    this.child.stdout!.on('data', collect);
    this.child.stderr!.on('data', collect);
    this.exited = new Promise((resolve) => this.child.on('exit', (code, signal) => resolve({ code, signal })));
  }

  /** Resolves with the API's base URL once it listens. */
  async listening(timeoutMs = 30_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    while (!this.url) {
      const found = /API listening on (http:\/\/[\d.]+:\d+)/.exec(this.output);
      if (found) this.url = found[1];
      else if (this.child.exitCode !== null || this.child.signalCode !== null) {
        throw new Error(`The API exited before listening:\n${this.output}`);
      } else if (Date.now() > deadline) throw new Error(`The API did not listen in time:\n${this.output}`);
      else await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return this.url;
  }

  get log(): string {
    return this.output;
  }

  kill(signal: NodeJS.Signals): void {
    this.child.kill(signal);
  }

  async dispose(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
    await this.exited;
  }

  token(role: Role, claims: { region?: string; userId?: string; panels?: string[] } = {}): Promise<string> {
    const config = securityConfigFrom({ HARBOUR_JWT_SECRET: PROCESS_SECRET, ...this.env });
    return mintDevelopmentToken(
      {
        role,
        region: claims.region ?? 'south-west',
        agency: 'test-agency',
        userId: claims.userId ?? `${role}-1`,
        ...(claims.panels ? { panels: claims.panels } : {}),
        ttl: '1h',
      },
      config,
    );
  }
}
