import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { ROLES, isPanelRole, isPublicRoute, rolesFor, type Role } from '@harbour/security';
import { startApi, type ApiHarness, type ApiResponse } from './support/api-harness';
import { PANEL_ID } from './support/pilot-path';
import { nestRoutes, servedRoutes, type NestRoute } from './support/routes';

/**
 * Every route the running app serves, found by walking Nest's controllers and Fastify's route
 * table (not a hand list), is closed to callers without a good token and to every role it does not
 * name, and open to the roles it does. The OpenAPI pages under /docs, the health probes and the
 * Prometheus scrape (which checks its own token) are the only public routes.
 */

const SECRET = new TextEncoder().encode('harbour-test-secret-harbour-test-secret-0123456789');
const ISSUER = 'harbour';
const AUDIENCE = 'harbour-api';
const CLAIMS = { role: 'lead', region: 'south-west', agency: 'home-office' };

/** A served route with the Nest handler behind it (HEAD is served by its GET handler). */
interface Route {
  readonly method: string;
  readonly path: string;
  readonly nest: NestRoute;
}

const isDocs = (path: string) => path === '/docs' || path.startsWith('/docs/') || path.startsWith('/docs-');
/** Load balancers and Prometheus hold no user's token; nothing else may be @Public. */
const PUBLIC_ROUTES = ['GET /health/live', 'GET /health/ready', 'GET /metrics'];

/** The detail RolesGuard gives a role refusal (ForbiddenError in libs/security). */
const ROLE_REFUSAL = /^This needs the role [a-z-]+( or [a-z-]+)*$/;

function base64url(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

describe('access to every route', () => {
  let api: ApiHarness;
  let nest: NestRoute[];
  let routes: Route[];
  let publicRoutes: Route[];
  let docs: string[];
  const tokens = new Map<Role, string>();
  let expired: string;
  let unsigned: string;
  let wrongKey: string;

  beforeAll(async () => {
    api = await startApi();
    const all = nestRoutes(api.app);
    nest = all.filter((r) => !isPublicRoute(r.handler, r.controller));
    const served = servedRoutes(api.app);
    docs = [...new Set(served.filter((r) => isDocs(r.path)).map((r) => r.path))];
    const declared = served
      .filter((r) => !isDocs(r.path))
      .map((r) => {
        const handledAs = r.method === 'HEAD' ? 'GET' : r.method;
        const match = all.find((n) => n.method === handledAs && n.path === r.path);
        // A route Fastify serves that no controller declares (a plugin's, a hand-added one) has no
        // roles to read: it fails here rather than being skipped.
        if (!match) throw new Error(`${r.method} ${r.path} is served but declared by no Nest controller`);
        return { method: r.method, path: r.path, nest: match };
      });
    publicRoutes = declared.filter((r) => isPublicRoute(r.nest.handler, r.nest.controller));
    routes = declared.filter((r) => !publicRoutes.includes(r));

    for (const role of ROLES) tokens.set(role, await api.token(role, isPanelRole(role) ? { panels: [PANEL_ID] } : {}));
    const now = Math.floor(Date.now() / 1000);
    expired = await new SignJWT(CLAIMS)
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject('lead-expired')
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt(now - 7200)
      .setExpirationTime(now - 3600)
      .sign(SECRET);
    const claims = { ...CLAIMS, sub: 'lead-none', iss: ISSUER, aud: AUDIENCE, iat: now, exp: now + 3600 };
    unsigned = `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url(claims)}.`;
    wrongKey = await new SignJWT(CLAIMS)
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject('lead-forged')
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt(now)
      .setExpirationTime(now + 3600)
      .sign(new TextEncoder().encode('not-the-harbour-secret-not-the-harbour-secret-0123'));
  });
  afterAll(() => api.close());

  /** A random case id and an empty JSON object for commands: the data may be refused, access not. */
  function call(route: Route, headers: Record<string, string>): Promise<ApiResponse> {
    const path = route.path
      .replace(/:caseId\b/g, randomUUID())
      .replace(/:decisionId\b/g, randomUUID())
      .replace(/:subjectId\b/g, randomUUID());
    const hasBody = route.method !== 'GET' && route.method !== 'HEAD';
    return api.request(route.method, path, { headers, ...(hasBody ? { body: {} } : {}) });
  }

  const label = (route: Route) => `${route.method} ${route.path}`;
  const isProblem = (response: ApiResponse) =>
    /^application\/problem\+json/.test(response.headers.get('content-type') ?? '');

  it('finds the routes of both controllers, each served by Fastify, GETs with their HEADs', () => {
    expect(nest.map((r) => r.key)).toEqual(
      expect.arrayContaining([
        'POST /cases',
        'GET /cases/:caseId',
        'POST /duty-to-notify-reports',
        'GET /cases/:caseId/history',
        'GET /cases/:caseId/state',
        'GET /cases/:caseId/decisions/:decisionId/explain',
        'GET /cases/:caseId/verify',
        'GET /audit/access',
      ]),
    );
    const served = new Set(routes.map(label));
    expect(nest.map((r) => r.key).filter((key) => !served.has(key))).toEqual([]);
    expect(nest.filter((r) => r.method === 'GET' && !served.has(`HEAD ${r.path}`)).map((r) => r.key)).toEqual([]);
    // 14 case commands, 2 case reads, 1 Duty to Notify command, 5 audit reads: a new route is
    // picked up by itself.
    expect(nest.length).toBeGreaterThanOrEqual(22);
  });

  it('declares the roles of every route with @RequireRoles (no route is open to any signed-in role)', () => {
    const undeclared = nest.filter((r) => rolesFor(r.handler, r.controller) === undefined).map((r) => r.key);
    expect(undeclared).toEqual([]);
  });

  it('opens every read (GET) to the auditor, and no command; the access log to auditors and admins only', () => {
    const auditorRoutes = nest.filter((r) => (rolesFor(r.handler, r.controller) ?? []).includes('auditor'));
    expect(auditorRoutes.filter((r) => r.method !== 'GET').map((r) => r.key)).toEqual([]);
    // A subject access export gathers one person's data across cases: administrators only.
    const adminOnlyReads = ['GET /subjects/:subjectId/export'];
    expect(
      nest
        .filter((r) => r.method === 'GET' && !auditorRoutes.includes(r) && !adminOnlyReads.includes(r.key))
        .map((r) => r.key),
    ).toEqual([]);
    for (const key of adminOnlyReads) {
      const route = nest.find((r) => r.key === key)!;
      expect(rolesFor(route.handler, route.controller)).toEqual(['admin']);
    }
    const accessLog = nest.find((r) => r.key === 'GET /audit/access')!;
    expect(rolesFor(accessLog.handler, accessLog.controller)).toEqual(['auditor', 'admin']);
  });

  it('leaves only the health probes and the metrics scrape public (@Public), and serves them without a token', async () => {
    expect([...new Set(publicRoutes.filter((r) => r.method !== 'HEAD').map(label))].sort()).toEqual(PUBLIC_ROUTES);
    const failures: string[] = [];
    for (const route of publicRoutes) {
      const response = await api.request(route.method, route.path);
      if (response.status !== 200) failures.push(`${label(route)}: ${response.status}`);
    }
    expect(failures).toEqual([]);
  });

  it('serves the OpenAPI pages under /docs without a token', async () => {
    expect(docs).toEqual(expect.arrayContaining(['/docs', '/docs/json']));
    const failures: string[] = [];
    for (const path of docs) {
      // The static assets are served by a wildcard route; any real asset stands for it.
      const url = path.endsWith('*') ? path.replace(/\*$/, 'swagger-ui.css') : path;
      const response = await api.request('GET', url);
      // Never refused for want of a token; SwaggerModule answers its /docs/LICENSE route with 404 on purpose.
      const expected = path.endsWith('/LICENSE') ? 404 : 200;
      if (response.status !== expected) failures.push(`GET ${url}: ${response.status}, not ${expected}`);
    }
    expect(failures).toEqual([]);
  });

  const unauthenticated: Array<[string, () => Record<string, string>, RegExp]> = [
    ['no token', () => ({}), /^Bearer realm="harbour"$/],
    ['a malformed token', () => ({ authorization: 'Bearer not-a-jwt' }), /error="invalid_token"/],
    ['a malformed Authorization header', () => ({ authorization: 'Bearer a b c' }), /error="invalid_token"/],
    ['an expired token', () => ({ authorization: `Bearer ${expired}` }), /error_description="Expired bearer token"/],
    ['an alg: none token', () => ({ authorization: `Bearer ${unsigned}` }), /error="invalid_token"/],
    ['a token signed with another key', () => ({ authorization: `Bearer ${wrongKey}` }), /error="invalid_token"/],
  ];

  it.each(unauthenticated)('answers 401 with WWW-Authenticate to %s, on every route', async (_name, headers, www) => {
    const failures: unknown[] = [];
    for (const route of routes) {
      const response = await call(route, headers());
      const body = route.method === 'HEAD' ? undefined : response.body;
      const ok =
        response.status === 401 &&
        www.test(response.headers.get('www-authenticate') ?? '') &&
        (route.method === 'HEAD' || (isProblem(response) && body?.status === 401));
      if (!ok) {
        failures.push({
          route: label(route),
          status: response.status,
          wwwAuthenticate: response.headers.get('www-authenticate'),
          body,
        });
      }
    }
    expect(failures).toEqual([]);
    expect(routes.length).toBeGreaterThan(0);
  });

  it('refuses with 403 every role a route does not name, saying which role it needs', async () => {
    const failures: unknown[] = [];
    let refusals = 0;
    for (const route of routes) {
      const required = rolesFor(route.nest.handler, route.nest.controller) ?? [];
      for (const role of ROLES.filter((r) => !required.includes(r))) {
        refusals += 1;
        const response = await call(route, { authorization: `Bearer ${tokens.get(role)}` });
        const body = response.body;
        const ok =
          response.status === 403 &&
          (route.method === 'HEAD' ||
            (isProblem(response) &&
              String(body?.type).endsWith('/forbidden') &&
              body?.detail === `This needs the role ${required.join(' or ')}`));
        if (!ok) failures.push({ route: label(route), role, status: response.status, body });
      }
    }
    expect(failures).toEqual([]);
    expect(refusals).toBeGreaterThan(0);
  });

  it('lets every role a route names past authentication and the role check', async () => {
    const failures: unknown[] = [];
    for (const route of routes) {
      for (const role of rolesFor(route.nest.handler, route.nest.controller) ?? []) {
        const response = await call(route, { authorization: `Bearer ${tokens.get(role)}` });
        const body = response.body;
        const roleRefusal =
          response.status === 403 &&
          (route.method === 'HEAD' ||
            (String(body?.type).endsWith('/forbidden') && ROLE_REFUSAL.test(String(body?.detail))));
        // Past the guards the request may be refused for its data (400, 404, 422), never as a role.
        if (response.status === 401 || roleRefusal || response.status >= 500) {
          failures.push({ route: label(route), role, status: response.status, body });
        }
      }
    }
    expect(failures).toEqual([]);
  });
});
