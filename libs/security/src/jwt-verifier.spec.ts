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
    ['an unknown role', () => token({ ...claims, role: 'root' })],
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
