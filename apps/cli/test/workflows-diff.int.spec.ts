import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '@harbour/testing';
import { harbour } from './support/harbour';

describe('harbour workflows diff', () => {
  const dir = tempDir('harbour-workflows-diff-');
  const env = { HARBOUR_DATA_DIR: dir.path };

  beforeAll(async () => {
    const seeded = await harbour(['seed', '--cases', '60', '--seed', 'diff'], env);
    expect(seeded.code).toBe(0);
  }, 120_000);
  afterAll(() => dir.remove());

  it('re-decides the seeded pilot cases under the definition they ran under and finds no difference (JSON)', async () => {
    const result = await harbour(['workflows', 'diff', '--definition', 'nrm-pilot-2015@1'], env);

    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report).toMatchObject({ definition: { id: 'nrm-pilot-2015', version: 1 }, differences: [], summary: [] });
    expect(report.casesReplayed).toBeGreaterThan(0);
    expect(report.commandsReplayed).toBeGreaterThan(report.casesReplayed);
  }, 60_000);

  it('writes the HTML report to --out and says what it found', async () => {
    const out = join(dir.path, 'diff.html');
    const result = await harbour(
      [
        'workflows',
        'diff',
        '--definition',
        'nrm-pilot-2015@1',
        '--cases',
        'region:south-west',
        '--format',
        'html',
        '--out',
        out,
      ],
      env,
    );

    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /^replay-diff under nrm-pilot-2015@1: \d+ cases, \d+ commands re-decided, 0 would have gone differently; report written to /,
    );
    expect(readFileSync(out, 'utf8')).toContain('<h1>Replay-diff under nrm-pilot-2015@1</h1>');
  }, 60_000);

  it.each([
    [['--definition', 'nrm-pilot-2015'], /definition must be <id>@<version>/],
    [
      ['--definition', 'nrm-pilot-2015@9'],
      /no workflow definition nrm-pilot-2015@9; this build knows nrm-pilot-2015@1/,
    ],
    [['--definition', 'nrm-pilot-2015@1', '--cases', 'nope'], /cases must be all, region:<region> or case ids/],
    [['--definition', 'nrm-pilot-2015@1', '--format', 'pdf'], /--format must be json or html/],
  ])('refuses %j with a usage error', async (args, message) => {
    const result = await harbour(['workflows', 'diff', ...args], env);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(message);
  });
});
