import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '@harbour/testing';

const ROOT = join(__dirname, '..', '..', '..');

/** The walk-through exactly as README.md prints it, between its markers. */
function walkthroughScript(): string {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const section = /<!-- walkthrough:start -->\s*```bash\n([\s\S]*?)```\s*<!-- walkthrough:end -->/.exec(readme);
  if (!section) throw new Error('README.md has no walkthrough between its markers');
  return section[1];
}

/** `npm start` as a user runs it, on a data dir of its own and a free port. */
function npmStart(dataDir: string): Promise<{ server: ChildProcess; url: string; output: () => string }> {
  const server = spawn('npm', ['start'], {
    cwd: ROOT,
    env: { ...process.env, HARBOUR_DATA_DIR: dataDir, HARBOUR_PORT: '0' },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const listening = /API listening on (http:\/\/[\d.]+:\d+)/.exec(output);
      if (listening) resolve({ server, url: listening[1], output: () => output });
    };
    server.stdout!.on('data', onData);
    server.stderr!.on('data', onData);
    server.on('exit', (code) => reject(new Error(`npm start exited (${code}) before listening:\n${output}`)));
  });
}

/** The walk-through in bash against `url`, its tokens minted with the secret in `dataDir`. */
function runWalkthrough(url: string, dataDir: string) {
  return spawnSync('bash', ['-c', walkthroughScript()], {
    cwd: ROOT,
    env: { ...process.env, HARBOUR_DATA_DIR: dataDir, HARBOUR_URL: url },
    encoding: 'utf8',
    timeout: 60_000,
  });
}

describe('README walk-through (e2e)', () => {
  it('runs verbatim against npm start: a first responder refers, the lead accepts, the case closes', async () => {
    const dir = tempDir('harbour-e2e-');
    const { server, url, output } = await npmStart(dir.path);
    try {
      const run = runWalkthrough(url, dir.path);
      const lines = run.stdout.trim().split('\n');
      expect({ status: run.status, stderr: run.stderr, last: lines[lines.length - 1] }).toEqual({
        status: 0,
        stderr: '',
        last: 'closed',
      });
      // The first responder's submission, the lead's acceptance (the case raised at revision 0),
      // then each command answered with a later revision of the one case: six commands, and between
      // them whatever the deadline scheduler recorded meanwhile (the 2015 recovery period ended
      // long before the real clock's now), which If-Match tolerates.
      const [submitted, accepted, ...rest] = lines
        .slice(0, -1)
        .map((line) => JSON.parse(line) as Record<string, unknown>);
      const status = rest.pop();
      expect(submitted).toMatchObject({ submissionId: expect.any(String), revision: '0' });
      expect(accepted).toMatchObject({ submissionId: submitted?.submissionId, caseId: expect.any(String) });
      const revisions = rest.map((response) => Number(response.revision));
      expect(revisions).toHaveLength(6);
      expect(revisions.every((revision, i) => revision > (i === 0 ? 0 : revisions[i - 1]))).toBe(true);
      // What the first responder sees: where its referral stands, no deliberations.
      expect(status).toMatchObject({ status: 'accepted', caseId: accepted?.caseId, caseStatus: 'closed' });
      expect(Object.keys(status ?? {}).sort()).toEqual([
        'caseId',
        'caseStatus',
        'decidedAt',
        'referringAgency',
        'region',
        'returnedReason',
        'status',
        'submissionId',
        'submittedAt',
      ]);

      // Tokens minted with another data directory's secret: the first step is refused, and the
      // script stops there printing the problem details, not only curl's "(22) ... 401".
      const elsewhere = tempDir('harbour-e2e-other-');
      try {
        const refused = runWalkthrough(url, elsewhere.path);
        expect({ status: refused.status, stdout: refused.stdout }).toEqual({ status: 1, stdout: '' });
        const problem = refused.stderr.split('\n').find((line) => line.startsWith('{'));
        expect(JSON.parse(problem ?? 'null')).toMatchObject({ status: 401, type: expect.any(String) });
      } finally {
        elsewhere.remove();
      }
    } finally {
      const exited = new Promise((resolve) => server.on('exit', resolve));
      process.kill(-server.pid!, 'SIGTERM');
      await exited;
      dir.remove();
      expect(output()).not.toMatch(/ERROR/);
    }
  }, 120_000);
});
