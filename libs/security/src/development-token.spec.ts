import { decodeJwt, decodeProtectedHeader } from 'jose';
import { DevelopmentTokenError, mintDevelopmentToken } from './development-token';
import { JwtVerifier } from './jwt-verifier';
import { securityConfigFrom } from './security.config';

const config = securityConfigFrom({ HARBOUR_DATA_DIR: ':memory:' });

describe('mintDevelopmentToken', () => {
  it('mints an HS256 token that the same configuration verifies', async () => {
    const sut = await mintDevelopmentToken(
      {
        role: 'panel-chair',
        region: 'west-yorkshire',
        agency: 'NHS West Yorkshire',
        panels: ['wy-1'],
        userId: 'chair-1',
      },
      config,
    );

    expect(decodeProtectedHeader(sut)).toEqual({ alg: 'HS256', typ: 'JWT' });
    await expect(new JwtVerifier(config).verify(sut)).resolves.toEqual({
      userId: 'chair-1',
      role: 'panel-chair',
      agency: 'nhs-west-yorkshire',
      region: 'west-yorkshire',
      panels: ['wy-1'],
    });
  });

  it('defaults the user, the agency and a lifetime of 8 hours', async () => {
    const now = new Date('2026-03-02T09:00:00Z');
    const sut = decodeJwt(await mintDevelopmentToken({ role: 'lead', region: 'south-west' }, config, now));

    expect(sut).toMatchObject({
      sub: 'dev-lead-south-west',
      agency: 'home-office',
      iss: 'harbour',
      aud: 'harbour-api',
      iat: now.getTime() / 1000,
      exp: now.getTime() / 1000 + 8 * 3600,
    });
    expect(sut.jti).toEqual(expect.any(String));
    expect(sut).not.toHaveProperty('panels');
  });

  it.each([
    ['90s', 90],
    ['30m', 1800],
    ['20h', 72_000],
    ['600', 600],
    [60, 60],
  ])('reads a ttl of %j as %i seconds', async (ttl, seconds) => {
    const now = new Date('2026-03-02T09:00:00Z');
    const sut = decodeJwt(await mintDevelopmentToken({ role: 'auditor', region: 'london', ttl }, config, now));

    expect(sut.exp).toBe(now.getTime() / 1000 + seconds);
  });

  it.each([
    [{ role: 'lead', region: 'South West' }, /^region /],
    [{ role: 'boss', region: 'south-west' }, /^role /],
    [{ role: 'lead', region: 'south-west', panels: ['sw-1'] }, /^panels /],
    [{ role: 'lead', region: 'south-west', userId: '' }, /^userId /],
    [{ role: 'lead', region: 'south-west', ttl: '25h' }, /^ttl /],
    [{ role: 'lead', region: 'south-west', agency: 'development' }, /^agency must be the id of an organisation/],
    [{ role: 'lead', region: 'south-west', ttl: '1y' }, /^ttl /],
    [{ role: 'lead', region: 'south-west', ttl: 0 }, /^ttl /],
  ])('refuses %j as a bad request', async (request, message) => {
    const refusal = mintDevelopmentToken(request as Parameters<typeof mintDevelopmentToken>[0], config);

    await expect(refusal).rejects.toBeInstanceOf(DevelopmentTokenError);
    await expect(refusal).rejects.toMatchObject({ reason: 'bad-request', message: expect.stringMatching(message) });
  });

  it.each([
    [{ HARBOUR_MODE: 'distributed', HARBOUR_JWT_SECRET: 'a-secret-of-exactly-thirty-two-b' }, /embedded mode only/],
    [{ HARBOUR_JWKS_URL: 'https://idp.example/jwks.json' }, /HARBOUR_JWKS_URL is set/],
  ])('refuses to mint under %j', async (env, message) => {
    const refusal = mintDevelopmentToken({ role: 'lead', region: 'south-west' }, securityConfigFrom(env));

    await expect(refusal).rejects.toMatchObject({ reason: 'not-embedded', message: expect.stringMatching(message) });
  });
});
