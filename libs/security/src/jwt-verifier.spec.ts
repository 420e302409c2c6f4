import { SignJWT, type JWTPayload } from 'jose';
import { JwtVerifier } from './jwt-verifier';
import { securityConfigFrom } from './security.config';
import { UnauthenticatedError } from './security.errors';

const SECRET = 'jwt-verifier-spec-secret-0123456789';
const key = new TextEncoder().encode(SECRET);
const config = securityConfigFrom({ HARBOUR_JWT_SECRET: SECRET });
const now = () => Math.floor(Date.now() / 1000);
const claims = { sub: 'user-7', role: 'case-manager', agency: 'wiltshire-council', region: 'south-west' };
/** The actor the claims above stand for. */
const actor = { userId: 'user-7', role: 'case-manager', agency: 'wiltshire-council', region: 'south-west', panels: [] };

interface Signing {
  readonly alg?: string;
  readonly signingKey?: Uint8Array;
  readonly edit?: (jwt: SignJWT) => SignJWT;
}

function token(payload: JWTPayload = claims, { alg = 'HS256', signingKey = key, edit = (jwt) => jwt }: Signing = {}) {
  const jwt = new SignJWT(payload)
    .setProtectedHeader({ alg })
    .setIssuer('harbour')
    .setAudience('harbour-api')
    .setIssuedAt()
    .setExpirationTime('5m');
  return edit(jwt).sign(signingKey);
}

describe('JwtVerifier with an HS256 secret', () => {
  const sut = new JwtVerifier(config);

  it('turns a good token into its actor', async () => {
    await expect(sut.verify(await token())).resolves.toEqual(actor);
  });

  it('keeps checking every signature with the key it prepared once', async () => {
    const forged = await token(claims, { signingKey: new TextEncoder().encode(`${SECRET}!`) });

    await expect(sut.verify(await token())).resolves.toMatchObject({ userId: 'user-7' });
    await expect(sut.verify(forged)).rejects.toBeInstanceOf(UnauthenticatedError);
    await expect(sut.verify(await token())).resolves.toMatchObject({ userId: 'user-7' });
    await expect(sut.verify(forged)).rejects.toBeInstanceOf(UnauthenticatedError);
  });

  it('accepts an audience list that includes harbour-api', async () => {
    const good = await token(claims, { edit: (jwt) => jwt.setAudience(['reporting', 'harbour-api']) });
    await expect(sut.verify(good)).resolves.toMatchObject({ userId: 'user-7' });
  });

  it('tolerates 30 s of clock skew on exp and nbf, and no more', async () => {
    const justExpired = await token(claims, { edit: (jwt) => jwt.setExpirationTime(now() - 20) });
    const almostValid = await token(claims, { edit: (jwt) => jwt.setNotBefore(now() + 20) });
    const expired = await token(claims, { edit: (jwt) => jwt.setExpirationTime(now() - 45) });
    const notYetValid = await token(claims, { edit: (jwt) => jwt.setNotBefore(now() + 45) });

    await expect(sut.verify(justExpired)).resolves.toEqual(actor);
    await expect(sut.verify(almostValid)).resolves.toEqual(actor);
    await expect(sut.verify(expired)).rejects.toMatchObject({ reason: 'expired' });
    await expect(sut.verify(notYetValid)).rejects.toMatchObject({ reason: 'invalid' });
  });

  it.each([
    [
      'a token without exp',
      () =>
        new SignJWT(claims)
          .setProtectedHeader({ alg: 'HS256' })
          .setIssuer('harbour')
          .setAudience('harbour-api')
          .sign(key),
    ],
    ['another issuer', () => token(claims, { edit: (jwt) => jwt.setIssuer('someone-else') })],
    ['another audience', () => token(claims, { edit: (jwt) => jwt.setAudience('reporting') })],
    ['another secret', () => token(claims, { signingKey: new TextEncoder().encode(`${SECRET}!`) })],
    ['HS512 with the right secret', () => token(claims, { alg: 'HS512' })],
    ['a token that is far too long', async () => `${await token()}${'A'.repeat(9000)}`],
    ['garbage', async () => 'not-a-jwt'],
  ])('refuses %s as invalid, keeping the cause for the logs', async (_case, make) => {
    const refusal = sut.verify(await make());

    await expect(refusal).rejects.toBeInstanceOf(UnauthenticatedError);
    await expect(refusal).rejects.toMatchObject({ reason: 'invalid', message: 'Invalid bearer token' });
  });

  it('says expired only for a token that is otherwise good', async () => {
    const forged = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer('harbour')
      .setAudience('harbour-api')
      .setExpirationTime(now() - 3600)
      .sign(new TextEncoder().encode(`${SECRET}-forged`));

    await expect(sut.verify(forged)).rejects.toMatchObject({ reason: 'invalid' });
  });
});

describe('JwtVerifier: claims the events can hold, lifetimes a careful issuer gives', () => {
  const sut = new JwtVerifier(config);
  const refusal = async (payload: JWTPayload, edit?: (jwt: SignJWT) => SignJWT) => {
    const error = await sut.verify(await token(payload, { edit })).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(UnauthenticatedError);
    return (error as UnauthenticatedError).message;
  };

  it.each([
    ['a sub longer than the 128 characters an event holds', { ...claims, sub: 'u'.repeat(129) }, 'sub'],
    ['an agency longer than the 200 characters an event holds', { ...claims, agency: 'a'.repeat(201) }, 'agency'],
    ['a panel id longer than 64 characters', { ...claims, role: 'panel-chair', panels: ['p'.repeat(65)] }, 'panels'],
    ['an unknown role', { ...claims, role: 'root' }, 'role'],
    ['a sub with a zero-width space', { ...claims, sub: 'lead-1\u200b' }, 'sub'],
    ['a sub with a right-to-left override', { ...claims, sub: 'lead-\u202e1' }, 'sub'],
    ['an agency with a byte order mark', { ...claims, agency: '\ufeffdorset-police' }, 'agency'],
    ['an agency the registry does not know', { ...claims, agency: 'development' }, 'agency'],
  ])('refuses %s with a 401 that names the claim', async (_case, payload, claim) => {
    expect(await refusal(payload)).toContain(`claim "${claim}"`);
  });

  it('accepts the longest claims the events hold', async () => {
    // The agency is an organisation of the registry, whose ids are far shorter than an event allows.
    const longest = { ...claims, sub: 'u'.repeat(128) };
    await expect(sut.verify(await token(longest))).resolves.toMatchObject({ userId: 'u'.repeat(128) });
  });

  it('refuses a token issued more than the clock tolerance in the future', async () => {
    expect(await refusal(claims, (jwt) => jwt.setIssuedAt(now() + 365 * 86_400))).toContain('claim "iat"');
    await expect(
      sut.verify(await token(claims, { edit: (jwt) => jwt.setIssuedAt(now() + 20) })),
    ).resolves.toBeDefined();
  });

  it('refuses a token that lives longer than the maximum lifetime (a day by default)', async () => {
    expect(await refusal(claims, (jwt) => jwt.setExpirationTime(now() + 10 * 365 * 86_400))).toContain('claim "exp"');
    await expect(
      sut.verify(await token(claims, { edit: (jwt) => jwt.setExpirationTime(now() + 86_400) })),
    ).resolves.toBeDefined();
  });

  it('measures the lifetime from now when the token carries no iat', async () => {
    const noIat = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer('harbour')
      .setAudience('harbour-api')
      .setExpirationTime(now() + 2 * 86_400)
      .sign(key);
    await expect(sut.verify(noIat)).rejects.toThrow(/claim "exp"/);
  });

  it('takes its maximum lifetime from HARBOUR_JWT_MAX_LIFETIME_SECONDS', async () => {
    const hourly = new JwtVerifier(
      securityConfigFrom({ HARBOUR_JWT_SECRET: SECRET, HARBOUR_JWT_MAX_LIFETIME_SECONDS: '3600' }),
    );
    await expect(hourly.verify(await token(claims, { edit: (jwt) => jwt.setExpirationTime('2h') }))).rejects.toThrow(
      /longer than 3600 seconds/,
    );
  });
});

describe('JwtVerifier: tokens it verified lately', () => {
  afterEach(() => jest.useRealTimers());

  it('accepts a verified token again only until it expires (with the clock tolerance)', async () => {
    jest.useFakeTimers({ now: Date.now(), doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
    const sut = new JwtVerifier(config);
    const shortLived = await token(claims, { edit: (jwt) => jwt.setExpirationTime(now() + 10) });

    await expect(sut.verify(shortLived)).resolves.toEqual(actor);
    jest.advanceTimersByTime(35_000);
    await expect(sut.verify(shortLived)).resolves.toEqual(actor);
    jest.advanceTimersByTime(10_000);
    await expect(sut.verify(shortLived)).rejects.toMatchObject({ reason: 'expired' });
  });

  it('checks a remembered token in full again after a minute, and still accepts a good one', async () => {
    jest.useFakeTimers({ now: Date.now(), doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
    const sut = new JwtVerifier(config);
    const good = await token();

    await expect(sut.verify(good)).resolves.toEqual(actor);
    jest.advanceTimersByTime(61_000);
    await expect(sut.verify(good)).resolves.toEqual(actor);
  });

  it('remembers only the exact token: one with another signature is checked and refused', async () => {
    const sut = new JwtVerifier(config);
    const good = await token();
    const [header, payload] = good.split('.');
    const forged = `${header}.${payload}.${(await token(claims, { signingKey: new TextEncoder().encode(`${SECRET}?`) })).split('.')[2]}`;

    await expect(sut.verify(good)).resolves.toEqual(actor);
    await expect(sut.verify(forged)).rejects.toMatchObject({ reason: 'invalid' });
  });
});
