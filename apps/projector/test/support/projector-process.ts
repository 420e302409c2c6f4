import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

const REPO_ROOT = join(__dirname, '..', '..', '..', '..');
const CHILD = join(__dirname, '..', 'fixtures', 'projector-child.ts');

export interface LogLine {
  readonly msg: string;
  readonly level: string;
  readonly [field: string]: unknown;
}

/** A projector child process and the JSON lines it has logged so far. */
export class ProjectorProcess {
  readonly lines: LogLine[] = [];
  /** Lines on stdout that were not JSON: there should be none. */
  readonly notJson: string[] = [];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private readonly child: ChildProcess;
  private stderr = '';
  private stdoutRest = '';

  /** `script`: the child to run (default: the counter projection's; see fixtures/). */
  constructor(env: Record<string, string>, script: string = CHILD) {
    this.child = spawn(process.execPath, ['-r', '@swc-node/register', script], {
      cwd: REPO_ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child.stderr!.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    this.child.stdout!.on('data', (chunk: Buffer) => {
      const text = this.stdoutRest + chunk.toString();
      const lines = text.split('\n');
      this.stdoutRest = lines.pop() ?? '';
      for (const line of lines) {
        if (line.trim() === '') continue;
        try {
          this.lines.push(JSON.parse(line) as LogLine);
        } catch {
          this.notJson.push(line);
        }
      }
    });
    this.exited = new Promise((resolve) => this.child.on('exit', (code, signal) => resolve({ code, signal })));
  }

  get pid(): number {
    return this.child.pid!;
  }

  get errorOutput(): string {
    return this.stderr;
  }

  /** Resolves with the first line (already logged or to come) matching `predicate`. */
  async waitForLog(predicate: (line: LogLine) => boolean, what: string, timeoutMs = 15_000): Promise<LogLine> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.lines.find(predicate);
      if (found) return found;
      if (this.child.exitCode !== null || this.child.signalCode !== null) {
        throw new Error(`The projector (pid ${this.pid}) exited before logging ${what}: ${this.stderr}`);
      }
      if (Date.now() > deadline) throw new Error(`Timed out waiting for the projector to log ${what}: ${this.stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  kill(signal: NodeJS.Signals): void {
    this.child.kill(signal);
  }

  /** SIGKILLs the process if it is still running, and waits for it. */
  async dispose(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
    await this.exited;
  }
}
