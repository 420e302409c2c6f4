import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JwtVerifier, mintDevelopmentToken, securityConfigFrom, SecurityConfigurationError } from '../src';

describe('the embedded development secret', () => {
  let dir: string;

  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'harbour-security-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('is generated on first use into <data dir>/dev-jwt-secret, readable by its owner only', () => {
    const dataDir = join(dir, 'not', 'yet', 'there');

    const sut = securityConfigFrom({ HARBOUR_DATA_DIR: dataDir });

    const file = join(dataDir, 'dev-jwt-secret');
    expect(sut.key).toMatchObject({ kind: 'secret', source: 'development-file', file });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8')).toMatch(/^[A-Za-z0-9_-]{43}\n$/);
    expect(readdirSync(dataDir)).toEqual(['dev-jwt-secret']);
  });

  it('is reused, unchanged, by every later start and by the token command', async () => {
    const server = securityConfigFrom({ HARBOUR_DATA_DIR: dir });
    const before = readFileSync(join(dir, 'dev-jwt-secret'));

    const tokenCommand = securityConfigFrom({ HARBOUR_DATA_DIR: dir });
    const token = await mintDevelopmentToken({ role: 'case-manager', region: 'south-west' }, tokenCommand);

    expect(readFileSync(join(dir, 'dev-jwt-secret'))).toEqual(before);
    await expect(new JwtVerifier(server).verify(token)).resolves.toMatchObject({ role: 'case-manager' });
  });

  it('lives under ./data when HARBOUR_DATA_DIR is not set', () => {
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      const sut = securityConfigFrom({});

      expect(sut.key).toMatchObject({ source: 'development-file', file: join('data', 'dev-jwt-secret') });
      expect(statSync(join(dir, 'data', 'dev-jwt-secret')).isFile()).toBe(true);
    } finally {
      process.chdir(cwd);
    }
  });

  it('is neither read nor created when a secret or a JWKS is configured', () => {
    securityConfigFrom({ HARBOUR_DATA_DIR: dir, HARBOUR_JWT_SECRET: 'a-secret-of-exactly-thirty-two-b' });
    securityConfigFrom({ HARBOUR_DATA_DIR: dir, HARBOUR_JWKS_URL: 'https://idp.example/jwks.json' });
    expect(() => securityConfigFrom({ HARBOUR_DATA_DIR: dir, HARBOUR_MODE: 'distributed' })).toThrow(
      /^HARBOUR_JWT_SECRET: /,
    );

    expect(readdirSync(dir)).toEqual([]);
  });

  it('is refused when other users can read it', () => {
    securityConfigFrom({ HARBOUR_DATA_DIR: dir });
    chmodSync(join(dir, 'dev-jwt-secret'), 0o644);

    expect(() => securityConfigFrom({ HARBOUR_DATA_DIR: dir })).toThrow(
      /^HARBOUR_DATA_DIR: .*dev-jwt-secret is readable by other users \(mode 0644\); run chmod 600/,
    );
  });

  it('is refused when too short to be an HS256 key', () => {
    writeFileSync(join(dir, 'dev-jwt-secret'), 'short\n', { mode: 0o600 });

    expect(() => securityConfigFrom({ HARBOUR_DATA_DIR: dir })).toThrow(SecurityConfigurationError);
    expect(() => securityConfigFrom({ HARBOUR_DATA_DIR: dir })).toThrow(/^HARBOUR_JWT_SECRET: .*shorter than 32 bytes/);
  });

  it('names HARBOUR_DATA_DIR when the directory cannot be made', () => {
    writeFileSync(join(dir, 'a-file'), '');

    expect(() => securityConfigFrom({ HARBOUR_DATA_DIR: join(dir, 'a-file', 'data') })).toThrow(
      /^HARBOUR_DATA_DIR: cannot create /,
    );
  });
});
