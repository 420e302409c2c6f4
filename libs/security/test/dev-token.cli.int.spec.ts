import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { decodeJwt } from 'jose';
import { JwtVerifier, ROLES, securityConfigFrom } from '../src';

const ROOT = resolve(__dirname, '../../..');

/** Runs the command line `npm run token` runs, as a user would, with only the given settings. */
function devToken(args: readonly string[], env: Readonly<Record<string, string>>) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((done) => {
    execFile(
      process.execPath,
      ['-r', '@swc-node/register', 'apps/api/src/dev-token.ts', ...args],
      { cwd: ROOT, env: { PATH: process.env.PATH ?? '', ...env } },
      (error, stdout, stderr) => done({ code: error ? Number(error.code) : 0, stdout, stderr }),
    );
  });
}

describe('the dev-token command', () => {
  let dir: string;

  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'harbour-dev-token-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('prints only a token that the embedded server configuration accepts', async () => {
    const sut = await devToken(['--role', 'lead', '--region', 'south-west', '--agency', 'dorset-police'], {
      HARBOUR_DATA_DIR: dir,
    });

    // The first run on a data directory makes the secret, and says where: an API running with
    // another HARBOUR_DATA_DIR would refuse the token.
    expect(sut).toMatchObject({
      code: 0,
      stderr: `dev-token: made a new development secret, ${join(dir, 'dev-jwt-secret')}. An API already running verifies tokens with the secret in its own HARBOUR_DATA_DIR: run this with the same one.\n`,
    });
    expect(sut.stdout).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);
    expect(await devToken(['--role', 'lead', '--region', 'south-west'], { HARBOUR_DATA_DIR: dir })).toMatchObject({
      code: 0,
      stderr: '',
    });
    const server = new JwtVerifier(securityConfigFrom({ HARBOUR_DATA_DIR: dir }));
    await expect(server.verify(sut.stdout.trim())).resolves.toEqual({
      userId: 'dev-lead-south-west',
      role: 'lead',
      agency: 'dorset-police',
      region: 'south-west',
      panels: [],
    });
  });

  it('takes repeated panels, a user and a lifetime', async () => {
    const sut = await devToken(
      [
        '--role',
        'panel-chair',
        '--region',
        'west-yorkshire',
        '--panel',
        'wy-1',
        '--panel',
        'wy-2',
        '--user',
        'chair-7',
        '--ttl',
        '30m',
      ],
      { HARBOUR_DATA_DIR: dir },
    );

    expect(sut.code).toBe(0);
    const claims = decodeJwt(sut.stdout.trim());
    expect(claims).toMatchObject({ sub: 'chair-7', role: 'panel-chair', panels: ['wy-1', 'wy-2'] });
    expect(Number(claims.exp) - Number(claims.iat)).toBe(1800);
  });

  it('agrees on one secret when several start at once on a fresh data directory', async () => {
    const fresh = join(dir, 'fresh');
    const runs = await Promise.all(
      ['lead', 'case-manager', 'auditor', 'admin'].map((role) =>
        devToken(['--role', role, '--region', 'london'], { HARBOUR_DATA_DIR: fresh }),
      ),
    );

    const server = new JwtVerifier(securityConfigFrom({ HARBOUR_DATA_DIR: fresh }));
    for (const run of runs) {
      expect(run).toMatchObject({
        code: 0,
        stderr: expect.stringMatching(/^(dev-token: made a new development secret.*\n)?$/),
      });
      await expect(server.verify(run.stdout.trim())).resolves.toMatchObject({ region: 'london' });
    }
    expect(readdirSync(fresh)).toEqual(['dev-jwt-secret']);
  });

  it('explains itself with --help', async () => {
    const sut = await devToken(['--help'], { HARBOUR_DATA_DIR: dir });

    expect(sut.code).toBe(0);
    expect(sut.stdout).toMatch(/^Usage: npm run -s token -- --role <role> --region <region>/);
    for (const role of ROLES) expect(sut.stdout).toContain(role);
    // The organisation ids --agency takes: every force, agency and NGO by id; councils by example.
    for (const id of ['dorset-police', 'british-transport-police', 'uk-visas-and-immigration', 'salvation-army']) {
      expect(sut.stdout).toContain(id);
    }
    expect(sut.stdout).toContain('dorset-council');
  });

  it.each([['Dorset Police'], ['DORSET POLICE'], ['dorset-police']])(
    'mints --agency %p as the registry id dorset-police',
    async (agency) => {
      const sut = await devToken(['--role', 'panel-chair', '--region', 'south-west', '--agency', agency], {
        HARBOUR_DATA_DIR: dir,
      });
      expect(sut.code).toBe(0);
      expect(decodeJwt(sut.stdout.trim())).toMatchObject({ agency: 'dorset-police' });
    },
  );

  it.each([
    [['--role', 'boss', '--region', 'south-west'], /unknown role "boss"; expected one of: lead, case-manager/],
    [['--role', 'lead'], /--region is required/],
    [['--region', 'south-west'], /--role is required/],
    [['--role', 'lead', '--region', 'south-west', '--colour', 'red'], /Unknown option '--colour'/],
    [['--role', 'lead', '--region', 'South West'], /region must be a kebab-case region/],
    [['--role', 'lead', '--region', 'south-west', '--ttl', 'forever'], /ttl must be/],
    [['--role', 'lead', '--region', 'south-west', '--panel', 'sw-1'], /panels are only allowed for panel-chair/],
    [['--role', 'lead', '--role', 'admin', '--region', 'south-west'], /--role given more than once/],
    [
      ['--role', 'lead', '--region', 'south-west', '--agency', 'development'],
      /agency must be the id of an organisation of the registry/,
    ],
    [['--role', 'lead', '--region', 'south-west', '--agency', 'dorset'], /agency must be the id of an organisation/],
  ])('refuses %j with exit code 2 and a pointer to --help', async (args, message) => {
    const sut = await devToken(args, { HARBOUR_DATA_DIR: dir });

    expect(sut).toMatchObject({ code: 2, stdout: '' });
    expect(sut.stderr).toMatch(message);
    expect(sut.stderr).toContain('Run with --help for usage.');
  });

  it.each([
    [{ HARBOUR_MODE: 'distributed', HARBOUR_JWT_SECRET: 'a-secret-of-exactly-thirty-two-b' }, /embedded mode only/],
    [{ HARBOUR_JWKS_URL: 'https://idp.example/jwks.json' }, /HARBOUR_JWKS_URL is set/],
    [{ HARBOUR_MODE: 'cluster' }, /^dev-token: HARBOUR_MODE: must be embedded or distributed/],
    [
      { HARBOUR_DATA_DIR: ':memory:' },
      /^dev-token: HARBOUR_DATA_DIR=:memory: keeps the signing secret inside one process/,
    ],
  ])('refuses to mint under %j with exit code 1', async (env, message) => {
    const sut = await devToken(['--role', 'lead', '--region', 'south-west'], { HARBOUR_DATA_DIR: dir, ...env });

    expect(sut).toMatchObject({ code: 1, stdout: '' });
    expect(sut.stderr).toMatch(message);
  });
});
