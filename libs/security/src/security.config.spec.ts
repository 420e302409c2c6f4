import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { securityConfigFrom } from './security.config';
import { ConfigurationErrors } from '@harbour/shared';
import { SecurityConfigurationError } from './security-configuration.error';

const SECRET = 'a-secret-of-exactly-thirty-two-b';

describe('securityConfigFrom', () => {
  it('defaults to embedded mode, issuer harbour and audience harbour-api, with 30 s of clock tolerance', () => {
    const sut = securityConfigFrom({ HARBOUR_DATA_DIR: ':memory:' });

    expect(sut).toMatchObject({
      mode: 'embedded',
      issuer: 'harbour',
      audience: 'harbour-api',
      clockToleranceSeconds: 30,
      key: { kind: 'secret', source: 'ephemeral' },
    });
  });

  it('makes up a fresh 32-byte secret per configuration when the data directory is in memory', () => {
    const first = securityConfigFrom({ HARBOUR_DATA_DIR: ':memory:' }).key;
    const second = securityConfigFrom({ HARBOUR_DATA_DIR: ':memory:' }).key;

    expect(first.kind === 'secret' && first.secret.length).toBe(32);
    expect(first.kind === 'secret' && second.kind === 'secret' && first.secret.bytes()).not.toEqual(
      second.kind === 'secret' && second.secret.bytes(),
    );
  });

  it('takes an HS256 secret, issuer and audience from the environment', () => {
    const sut = securityConfigFrom({
      HARBOUR_JWT_SECRET: SECRET,
      HARBOUR_JWT_ISSUER: 'https://idp.example/realms/harbour',
      HARBOUR_JWT_AUDIENCE: 'harbour',
    });

    expect(sut).toMatchObject({
      issuer: 'https://idp.example/realms/harbour',
      audience: 'harbour',
      key: { kind: 'secret', source: 'environment' },
    });
    expect(sut.key.kind === 'secret' && new TextDecoder().decode(sut.key.secret.bytes())).toBe(SECRET);
  });

  it('never prints the secret when the configuration is logged', () => {
    expect(JSON.stringify(securityConfigFrom({ HARBOUR_JWT_SECRET: SECRET }))).not.toContain(SECRET);
  });

  it.each([
    [{ HARBOUR_MODE: 'distributed', HARBOUR_JWKS_URL: 'https://idp.example/jwks.json' }, 'distributed'],
    [{ HARBOUR_JWKS_URL: 'http://127.0.0.1:8080/realms/harbour/certs' }, 'embedded'],
  ])('takes a JWKS URL (%j)', (env, mode) => {
    expect(securityConfigFrom(env)).toMatchObject({ mode, key: { kind: 'jwks', jwksUrl: env.HARBOUR_JWKS_URL } });
  });

  it('takes a secret in distributed mode', () => {
    expect(securityConfigFrom({ HARBOUR_MODE: 'distributed', HARBOUR_JWT_SECRET: SECRET })).toMatchObject({
      mode: 'distributed',
      key: { kind: 'secret', source: 'environment' },
    });
  });

  it.each([
    [{ HARBOUR_MODE: 'cluster' }, 'HARBOUR_MODE'],
    [{ HARBOUR_MODE: 'distributed' }, 'HARBOUR_JWT_SECRET'],
    [{ HARBOUR_JWT_SECRET: 'short' }, 'HARBOUR_JWT_SECRET'],
    [{ HARBOUR_JWT_SECRET: SECRET.slice(1) }, 'HARBOUR_JWT_SECRET'],
    [{ HARBOUR_JWT_SECRET: SECRET, HARBOUR_JWKS_URL: 'https://idp.example/jwks.json' }, 'HARBOUR_JWT_SECRET'],
    [{ HARBOUR_JWKS_URL: 'idp.example/jwks.json' }, 'HARBOUR_JWKS_URL'],
    [{ HARBOUR_JWKS_URL: 'file:///etc/jwks.json' }, 'HARBOUR_JWKS_URL'],
    [{ HARBOUR_JWKS_URL: 'https://user:pass@idp.example/jwks.json' }, 'HARBOUR_JWKS_URL'],
    [{ HARBOUR_JWT_SECRET: SECRET, HARBOUR_JWT_ISSUER: '' }, 'HARBOUR_JWT_ISSUER'],
    [{ HARBOUR_JWT_SECRET: SECRET, HARBOUR_JWT_AUDIENCE: ' harbour-api' }, 'HARBOUR_JWT_AUDIENCE'],
    [{ HARBOUR_DATA_DIR: ' ' }, 'HARBOUR_DATA_DIR'],
  ])('refuses %j naming %s', (env, setting) => {
    expect(() => securityConfigFrom(env)).toThrow(SecurityConfigurationError);
    expect(() => securityConfigFrom(env)).toThrow(new RegExp(`^${setting}: `));
  });
  it('names every bad security setting at once, not only the first', () => {
    const read = () =>
      securityConfigFrom({
        HARBOUR_MODE: 'cluster',
        HARBOUR_JWKS_URL: 'ftp://idp.example/jwks',
        HARBOUR_JWT_AUDIENCE: '',
        HARBOUR_JWT_MAX_LIFETIME_SECONDS: '6e1',
      });
    expect(read).toThrow(ConfigurationErrors);
    expect(read).toThrow(
      expect.objectContaining({
        name: 'ConfigurationError',
        setting: 'HARBOUR_MODE',
        problems: ['HARBOUR_MODE', 'HARBOUR_JWKS_URL', 'HARBOUR_JWT_AUDIENCE', 'HARBOUR_JWT_MAX_LIFETIME_SECONDS'].map(
          (setting) => expect.objectContaining({ setting }),
        ),
      }) as Error,
    );
    expect(read).toThrow(/^4 settings are wrong:\n {2}HARBOUR_MODE: must be embedded or distributed, not "cluster"\n/);
  });

  it('makes no development secret file when the mode is unknown', () => {
    const dir = mkdtempSync(join(tmpdir(), 'harbour-security-'));
    try {
      expect(() => securityConfigFrom({ HARBOUR_MODE: 'cluster', HARBOUR_DATA_DIR: dir })).toThrow(/^HARBOUR_MODE: /);
      expect(readdirSync(dir)).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.each(['0x3c', '6e1', '60.0', ' 60', '+60', ''])('refuses HARBOUR_JWT_MAX_LIFETIME_SECONDS=%j', (raw) => {
    expect(() => securityConfigFrom({ HARBOUR_DATA_DIR: ':memory:', HARBOUR_JWT_MAX_LIFETIME_SECONDS: raw })).toThrow(
      /^HARBOUR_JWT_MAX_LIFETIME_SECONDS: must be /,
    );
    expect(
      securityConfigFrom({ HARBOUR_DATA_DIR: ':memory:', HARBOUR_JWT_MAX_LIFETIME_SECONDS: '60' })
        .maxTokenLifetimeSeconds,
    ).toBe(60);
  });
});
