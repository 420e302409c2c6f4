import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { LetterStore } from '@harbour/application';
import { harbour } from './support/harbour';
import { renderStatus, type StatusReport } from '../src/projections.command';

const REPO_ROOT = resolve(__dirname, '../../..');

/** Every command path the help lists, e.g. ['audit', 'export'], read from the help itself. */
async function commandPaths(path: string[] = []): Promise<string[][]> {
  const { stdout } = await harbour([...path, '--help']);
  const listed = stdout.split('Commands:\n')[1];
  if (listed === undefined) return [path];
  const names = [...listed.matchAll(/^ {2}([a-z-]+)/gm)].map((match) => match[1]).filter((name) => name !== 'help');
  const nested = await Promise.all(names.map((name) => commandPaths([...path, name])));
  return [path, ...nested.flat()];
}

describe('harbour help', () => {
  it('gives every command its own help, by --help and by `harbour help <command>`, exit 0', async () => {
    const paths = await commandPaths();
    expect(paths.map((path) => path.join(' '))).toEqual(
      expect.arrayContaining([
        'projections status',
        'projections rebuild',
        'projections retry-parked',
        'audit verify',
        'audit export',
        'audit verify-export',
        'seed',
        'keys rotate-master',
        'retention report',
        'retention apply',
      ]),
    );
    for (const path of paths) {
      const flag = await harbour([...path, '--help']);
      const command = await harbour(['help', ...path]);
      expect({ path, ...flag }).toEqual({
        path,
        code: 0,
        stdout: expect.stringContaining(`Usage: harbour ${path.length > 0 ? `${path.join(' ')} ` : ''}`),
        stderr: '',
      });
      expect(command).toEqual(flag);
    }
  });

  it("documents each command's own options and arguments", async () => {
    expect((await harbour(['help', 'audit', 'export'])).stdout).toMatch(/<caseId>[\s\S]*--format <format>[\s\S]*--out/);
    expect((await harbour(['projections', 'status', '--help'])).stdout).toContain('--json');
    expect((await harbour(['seed', '--help'])).stdout).toMatch(/--cases <n>[\s\S]*--seed[\s\S]*--from[\s\S]*--to/);
    expect((await harbour(['retention', 'apply', '--help'])).stdout).toContain('--dry-run');
  });

  it('needs no valid setting to show help', async () => {
    expect(await harbour(['audit', 'verify', '--help'], { HARBOUR_READ_STORE: 'postgres' })).toMatchObject({ code: 0 });
  });
});

describe('harbour usage errors', () => {
  it.each([
    [[], /Usage: harbour <command>/],
    [['nonsense'], /unknown command 'nonsense'/],
    [['help', 'audit', 'nonsense'], /harbour has no command "audit nonsense"/],
    [['audit'], /Usage: harbour audit/],
    [['audit', 'export', 'not-a-uuid'], /a case id is a UUID[\s\S]*Usage: harbour audit export/],
    [['audit', 'export', '6f1c2d3e-4b5a-4c6d-8e7f-1a2b3c4d5e6f', '--format', 'pdf'], /choices: "json", "html"/],
    [['audit', 'verify', 'extra'], /too many arguments/],
    [['projections', 'rebuild', 'nonsense'], /Allowed choices are case-read-models/],
    [['projections', 'status', '--dry-run'], /unknown option '--dry-run'/],
    [['seed'], /required option '--cases <n>'/],
    [['seed', '--cases', '0x10'], /--cases must be a whole number/],
  ])('`harbour %s` exits 2 and says why', async (args, message) => {
    const result = await harbour(args, { HARBOUR_DATA_DIR: ':memory:' });
    expect({ code: result.code, stdout: result.stdout, stderr: result.stderr }).toEqual({
      code: 2,
      stdout: '',
      stderr: expect.stringMatching(message),
    });
  });

  it('exits 78 naming a bad setting, whichever command', async () => {
    expect(await harbour(['audit', 'verify'], { HARBOUR_SQLITE_POLL_MS: 'often' })).toEqual({
      code: 78,
      stdout: '',
      stderr: expect.stringMatching(/^harbour cannot start: HARBOUR_SQLITE_POLL_MS: /),
    });
  });
});

describe('harbour seed --letters', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'harbour-cli-seed-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('issues a decision letter for the decisions of the seed into the letters store it names', async () => {
    const letters = join(dataDir, 'letters.db');
    const result = await harbour(
      ['seed', '--cases', '60', '--from', '2025-07-01', '--to', '2026-03-31', '--letters', letters],
      { HARBOUR_DATA_DIR: dataDir },
    );
    expect(result.code).toBe(0);
    const issued = Number(/(\d+) decision letters/.exec(result.stdout)?.[1]);
    expect(issued).toBeGreaterThan(20);
    const stored = new LetterStore(letters);
    try {
      expect(stored.checkpoint('decision-letters')).toBeGreaterThan(0n);
    } finally {
      stored.close();
    }
  }, 120_000);
});

describe('harbour projections status', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'harbour-cli-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('prints a table a person can read, one line per projection', async () => {
    const result = await harbour(['projections', 'status'], { HARBOUR_DATA_DIR: dataDir });
    expect(result.code).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines.slice(0, 3)).toEqual([
      'event store head: empty',
      '',
      expect.stringMatching(/^PROJECTION +VERSION +CHECKPOINT +LAG +PARKED +UPDATED$/),
    ]);
    expect(lines.slice(3)).toEqual([
      expect.stringMatching(/^case-read-models +never run +- +0 +0 +-$/),
      expect.stringMatching(/^deadline-timers +never run +- +0 +0 +-$/),
      expect.stringMatching(/^statistics +never run +- +0 +0 +-$/),
    ]);
  });

  it('prints JSON with --json', async () => {
    const result = await harbour(['projections', 'status', '--json'], { HARBOUR_DATA_DIR: dataDir });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({
      head: null,
      projections: expect.arrayContaining([
        {
          projection: 'statistics',
          version: null,
          codeVersion: expect.any(Number),
          checkpoint: null,
          lag: '0',
          updatedAt: null,
          parked: [],
        },
      ]),
    });
  });

  it('aligns the columns and lists parked events by type, stream and error, never data', () => {
    const report: StatusReport = {
      head: '1200',
      projections: [
        {
          projection: 'case-read-models',
          version: 2,
          codeVersion: 3,
          checkpoint: '1200',
          lag: '0',
          updatedAt: '2026-12-01T10:00:00.000Z',
          parked: [{ position: '17', type: 'CaseClosed', stream: 'case-1', error: 'no such case' }],
        },
        {
          projection: 'statistics',
          version: 1,
          codeVersion: 1,
          checkpoint: '7',
          lag: '1193',
          updatedAt: '2026-12-01T09:00:00.000Z',
          parked: [],
        },
      ],
    };
    expect(renderStatus(report).split('\n')).toEqual([
      'event store head: 1200',
      '',
      'PROJECTION        VERSION      CHECKPOINT   LAG  PARKED  UPDATED',
      'case-read-models  2 (code: 3)        1200     0       1  2026-12-01T10:00:00.000Z',
      'statistics        1                     7  1193       0  2026-12-01T09:00:00.000Z',
      '',
      'parked: case-read-models @17 CaseClosed in case-1: no such case',
    ]);
  });
});

describe('the harbour process', () => {
  it('prints a command’s help and exits 0, and exits 2 on bad usage', () => {
    const run = (...args: string[]) =>
      spawnSync(process.execPath, ['-r', '@swc-node/register', 'apps/cli/src/main.ts', ...args], {
        cwd: REPO_ROOT,
        env: { PATH: process.env.PATH ?? '', HARBOUR_DATA_DIR: ':memory:' },
        encoding: 'utf8',
        timeout: 60_000,
      });
    expect(run('help', 'retention', 'apply')).toMatchObject({
      status: 0,
      stdout: expect.stringContaining('Usage: harbour retention apply [options]'),
    });
    expect(run('retention', 'apply', '--dry')).toMatchObject({
      status: 2,
      stderr: expect.stringContaining("unknown option '--dry'"),
    });
  });
});
