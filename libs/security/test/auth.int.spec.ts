import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  Catch,
  Controller,
  Get,
  HttpException,
  type ArgumentsHost,
  type ExceptionFilter,
  type INestApplication,
} from '@nestjs/common';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import type { FastifyReply } from 'fastify';
import { exportJWK, exportSPKI, generateKeyPair, SignJWT, type CryptoKey, type JWTPayload } from 'jose';
import {
  CurrentActor,
  mintDevelopmentToken,
  Public,
  RequireRoles,
  SecurityError,
  SecurityModule,
  securityConfigFrom,
  type Actor,
  type SecurityConfig,
} from '../src';

// Stands in for the API's exception filter: problem details from a SecurityError's status, title,
// message and headers, and a bare 500 for anything else. Never the error object itself.
@Catch()
class ProblemDetailsFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const problem =
      exception instanceof SecurityError
        ? { status: exception.status, title: exception.title, detail: exception.message, headers: exception.headers }
        : exception instanceof HttpException
          ? { status: exception.getStatus(), title: exception.message, headers: {} }
          : { status: 500, title: 'Internal Server Error', headers: {} };
    const { headers, ...body } = problem;
    void reply
      .status(problem.status)
      .headers(headers)
      .type('application/problem+json')
      .send({ type: 'about:blank', ...body });
  }
}

@Controller()
class ProbeController {
  @Public()
  @Get('health')
  health(): { status: string } {
    return { status: 'ok' };
  }

  @RequireRoles('lead')
  @Get('cases')
  cases(@CurrentActor() actor: Actor): { actor: Actor } {
    return { actor };
  }

  @Get('me')
  me(@CurrentActor() actor: Actor): { actor: Actor } {
    return { actor };
  }
}

async function boot(config: SecurityConfig): Promise<{ app: INestApplication; url: string }> {
  const moduleRef = await Test.createTestingModule({
    imports: [SecurityModule.forRoot(config)],
    controllers: [ProbeController],
  }).compile();
  const app = moduleRef.createNestApplication<NestFastifyApplication>(new FastifyAdapter(), { logger: false });
  app.useGlobalFilters(new ProblemDetailsFilter());
  await app.listen(0, '127.0.0.1');
  return { app, url: await app.getUrl() };
}

const SECRET = 'auth-int-spec-secret-0123456789abcdef';
const secretKey = new TextEncoder().encode(SECRET);
const lead = { sub: 'lead-1', role: 'lead', agency: 'dorset-police', region: 'south-west' };
const now = () => Math.floor(Date.now() / 1000);

interface Signing {
  readonly alg?: string;
  readonly kid?: string;
  readonly key?: CryptoKey | Uint8Array;
  readonly edit?: (jwt: SignJWT) => SignJWT;
}

function sign(payload: JWTPayload, { alg = 'HS256', kid, key = secretKey, edit = (jwt) => jwt }: Signing = {}) {
  const jwt = new SignJWT(payload)
    .setProtectedHeader({ alg, ...(kid ? { kid } : {}) })
    .setIssuer('harbour')
    .setAudience('harbour-api')
    .setIssuedAt()
    .setExpirationTime('10m');
  return edit(jwt).sign(key);
}

function unsigned(payload: JWTPayload, alg = 'none'): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const claims = { iss: 'harbour', aud: 'harbour-api', exp: now() + 600, ...payload };
  return `${part({ alg, typ: 'JWT' })}.${part(claims)}.`;
}

async function get(url: string, token?: string, authorization = `Bearer ${token}`) {
  const response = await fetch(url, { headers: token === undefined ? {} : { authorization } });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    text,
    body: JSON.parse(text) as Record<string, unknown>,
  };
}

function expectRefused(
  response: Awaited<ReturnType<typeof get>>,
  detail: 'Missing bearer token' | 'Invalid bearer token' | 'Expired bearer token',
) {
  expect(response.status).toBe(401);
  expect(response.body).toEqual({ type: 'about:blank', status: 401, title: 'Unauthenticated', detail });
  expect(response.headers.get('www-authenticate')).toMatch(/^Bearer realm="harbour"/);
  expect(response.text).not.toMatch(/stack|\bat \S+ \(|node_modules|\.ts:/);
}

describe('bearer authentication over HTTP with an HS256 secret', () => {
  const config = securityConfigFrom({ HARBOUR_JWT_SECRET: SECRET });
  let app: INestApplication;
  let url: string;

  beforeAll(async () => ({ app, url } = await boot(config)));
  afterAll(() => app.close());

  it('serves a public route without a token, and ignores one that is sent', async () => {
    await expect(get(`${url}/health`)).resolves.toMatchObject({ status: 200, body: { status: 'ok' } });
    await expect(get(`${url}/health`, 'garbage')).resolves.toMatchObject({ status: 200 });
  });

  it('answers a good token with its actor', async () => {
    const response = await get(`${url}/cases`, await sign({ ...lead, panels: [] }));

    expect(response).toMatchObject({ status: 200 });
    expect(response.body.actor).toEqual({
      userId: 'lead-1',
      role: 'lead',
      agency: 'dorset-police',
      region: 'south-west',
      panels: [],
    });
  });

  it('lets any authenticated role call a route that requires none', async () => {
    const auditor = await sign({ ...lead, sub: 'aud-1', role: 'auditor' });

    await expect(get(`${url}/me`, auditor)).resolves.toMatchObject({
      status: 200,
      body: { actor: { role: 'auditor' } },
    });
    expectRefused(await get(`${url}/me`), 'Missing bearer token');
  });

  it('accepts a development token minted with the same configuration', async () => {
    const token = await mintDevelopmentToken({ role: 'lead', region: 'west-yorkshire' }, config);

    await expect(get(`${url}/cases`, token)).resolves.toMatchObject({
      status: 200,
      body: { actor: { userId: 'dev-lead-west-yorkshire', region: 'west-yorkshire' } },
    });
  });

  it('refuses a request without a token with a bare challenge', async () => {
    const response = await get(`${url}/cases`);

    expectRefused(response, 'Missing bearer token');
    expect(response.headers.get('www-authenticate')).toBe('Bearer realm="harbour"');
  });

  it('treats another authentication scheme as no token', async () => {
    expectRefused(await get(`${url}/cases`, '', 'Basic bGVhZDpwYXNz'), 'Missing bearer token');
  });

  it.each([
    ['a malformed token', () => 'not.a.jwt'],
    ['a token that is not even three parts', () => 'abc'],
    ['a wrong signature', () => sign(lead, { key: new TextEncoder().encode(`${SECRET}-other`) })],
    ['a not-yet-valid token', () => sign(lead, { edit: (jwt) => jwt.setNotBefore(now() + 120) })],
    ['a wrong issuer', () => sign(lead, { edit: (jwt) => jwt.setIssuer('https://evil.example') })],
    ['a wrong audience', () => sign(lead, { edit: (jwt) => jwt.setAudience('reporting') })],
    ['an alg "none" token', async () => unsigned(lead)],
    ['an alg "None" token', async () => unsigned(lead, 'None')],
    ['an HS512 token under the right secret', () => sign(lead, { alg: 'HS512' })],
    [
      'a token without exp',
      () =>
        new SignJWT(lead)
          .setProtectedHeader({ alg: 'HS256' })
          .setIssuer('harbour')
          .setAudience('harbour-api')
          .sign(secretKey),
    ],
    ['no sub', () => sign({ ...lead, sub: undefined })],
  ])('refuses %s with 401 and says only "invalid"', async (_case, make) => {
    const response = await get(`${url}/cases`, await make());

    expectRefused(response, 'Invalid bearer token');
    expect(response.headers.get('www-authenticate')).toBe(
      'Bearer realm="harbour", error="invalid_token", error_description="Invalid bearer token"',
    );
  });

  // The signature checked out: the holder of the token learns which of its claims is wrong.
  it.each([
    ['no role', 'role', () => sign({ ...lead, role: undefined })],
    ['an unknown role', 'role', () => sign({ ...lead, role: 'superuser' })],
    ['no agency', 'agency', () => sign({ ...lead, agency: undefined })],
    ['no region', 'region', () => sign({ ...lead, region: undefined })],
    ['a region that is not kebab-case', 'region', () => sign({ ...lead, region: 'South_West' })],
    ['panels that are not a list', 'panels', () => sign({ ...lead, role: 'panel-chair', panels: 'sw-1' })],
    ['a sub longer than an event holds', 'sub', () => sign({ ...lead, sub: 'u'.repeat(200) })],
  ])('refuses %s with 401 naming the claim', async (_case, claim, make) => {
    const response = await get(`${url}/cases`, await make());

    expect(response.status).toBe(401);
    expect(response.body).toEqual({
      type: 'about:blank',
      status: 401,
      title: 'Unauthenticated',
      detail: expect.stringMatching(new RegExp(`^Invalid bearer token: claim "${claim}" `)),
    });
    expect(response.headers.get('www-authenticate')).toBe(
      'Bearer realm="harbour", error="invalid_token", error_description="Invalid bearer token"',
    );
  });

  it('refuses an expired token with 401 and says "expired"', async () => {
    const expired = await sign(lead, { edit: (jwt) => jwt.setIssuedAt(now() - 3600).setExpirationTime(now() - 60) });

    expectRefused(await get(`${url}/cases`, expired), 'Expired bearer token');
  });

  it('refuses a good token of the wrong role with 403', async () => {
    const caseManager = await sign({ ...lead, role: 'case-manager' });
    const response = await get(`${url}/cases`, caseManager);

    expect(response.status).toBe(403);
    expect(response.body).toEqual({
      type: 'about:blank',
      status: 403,
      title: 'Forbidden',
      detail: 'This needs the role lead',
    });
    expect(response.text).not.toMatch(/stack|\bat \S+ \(/);
  });
});

describe('bearer authentication over HTTP with a JWKS', () => {
  let jwks: Server;
  let jwksBase: string;
  let rsaPrivate: CryptoKey;
  let rsaPublicPem: string;
  let ecPrivate: CryptoKey;
  let secured: { app: INestApplication; url: string };
  let broken: { app: INestApplication; url: string };

  beforeAll(async () => {
    const rsa = await generateKeyPair('RS256', { extractable: true });
    const ec = await generateKeyPair('ES256', { extractable: true });
    rsaPrivate = rsa.privateKey;
    ecPrivate = ec.privateKey;
    rsaPublicPem = await exportSPKI(rsa.publicKey);
    const keys = {
      keys: [
        { ...(await exportJWK(rsa.publicKey)), kid: 'rsa-1', alg: 'RS256', use: 'sig' },
        { ...(await exportJWK(ec.publicKey)), kid: 'ec-1', alg: 'ES256', use: 'sig' },
      ],
    };
    jwks = createServer((request, response) => {
      if (request.url === '/jwks.json') {
        response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(keys));
      } else {
        response.writeHead(500).end('key service down');
      }
    });
    await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
    jwksBase = `http://127.0.0.1:${(jwks.address() as AddressInfo).port}`;

    secured = await boot(
      securityConfigFrom({ HARBOUR_MODE: 'distributed', HARBOUR_JWKS_URL: `${jwksBase}/jwks.json` }),
    );
    broken = await boot(securityConfigFrom({ HARBOUR_MODE: 'distributed', HARBOUR_JWKS_URL: `${jwksBase}/down` }));
  });

  afterAll(async () => {
    await secured?.app.close();
    await broken?.app.close();
    jwks.closeAllConnections();
    await new Promise((resolve) => jwks.close(resolve));
  });

  it('accepts an RS256 token signed by a key in the set', async () => {
    const token = await sign(lead, { alg: 'RS256', kid: 'rsa-1', key: rsaPrivate });

    await expect(get(`${secured.url}/cases`, token)).resolves.toMatchObject({
      status: 200,
      body: { actor: { userId: 'lead-1', role: 'lead' } },
    });
  });

  it('accepts an ES256 token signed by a key in the set', async () => {
    const token = await sign(
      { ...lead, role: 'panel-chair', panels: ['sw-2026-03'] },
      { alg: 'ES256', kid: 'ec-1', key: ecPrivate },
    );

    await expect(get(`${secured.url}/me`, token)).resolves.toMatchObject({
      status: 200,
      body: { actor: { role: 'panel-chair', panels: ['sw-2026-03'] } },
    });
  });

  it('refuses a wrong role with 403 here too', async () => {
    const token = await sign({ ...lead, role: 'analyst' }, { alg: 'RS256', kid: 'rsa-1', key: rsaPrivate });

    await expect(get(`${secured.url}/cases`, token)).resolves.toMatchObject({ status: 403 });
  });

  it.each([
    ['an HS256 token under any secret', async () => sign(lead)],
    [
      'an HS256 token keyed with the public key (algorithm confusion)',
      async () => sign(lead, { kid: 'rsa-1', key: new TextEncoder().encode(rsaPublicPem) }),
    ],
    ['an alg "none" token', async () => unsigned(lead)],
    [
      'an RS256 token from a key outside the set',
      async () => sign(lead, { alg: 'RS256', kid: 'rsa-1', key: (await generateKeyPair('RS256')).privateKey }),
    ],
    [
      'an RS256 token naming an unknown key',
      async () => sign(lead, { alg: 'RS256', kid: 'rsa-9', key: (await generateKeyPair('RS256')).privateKey }),
    ],
    [
      'an ES256 token whose header claims RS256 key',
      async () => sign(lead, { alg: 'ES256', kid: 'rsa-1', key: ecPrivate }),
    ],
    [
      'an RS256 token with missing claims',
      async () => sign({ sub: 'x' }, { alg: 'RS256', kid: 'rsa-1', key: rsaPrivate }),
    ],
  ])('refuses %s with 401', async (_case, make) => {
    const response = await get(`${secured.url}/cases`, await make());
    expect(response.status).toBe(401);
    expect(response.body).toMatchObject({
      title: 'Unauthenticated',
      detail: expect.stringMatching(/^Invalid bearer token/),
    });
  });

  it('answers 503 with Retry-After, not 401, when the key set cannot be fetched', async () => {
    const token = await sign(lead, { alg: 'RS256', kid: 'rsa-1', key: rsaPrivate });
    const response = await get(`${broken.url}/cases`, token);

    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('5');
    expect(response.body).toEqual({
      type: 'about:blank',
      status: 503,
      title: 'Authentication unavailable',
      detail: 'The token signing keys could not be fetched; try again shortly',
    });
  });
});
