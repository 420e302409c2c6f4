import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { isPanelRole, rolesFor, type Role } from '@harbour/security';
import { startApi, type ApiHarness } from '../support/api-harness';
import { PANEL_ID, referral } from '../support/pilot-path';
import { nestRoutes, type NestRoute } from '../support/routes';
import { tally } from './support/ledger';

/**
 * Property-based fuzzing of every command and query route the app serves (found from Nest's
 * routing metadata, not a hand list), as a caller the route admits: wrong types, missing and extra
 * fields, huge and deeply nested bodies, invalid UTF-8, `__proto__` and `constructor` keys, SQL and
 * markup in every string, absurd page sizes and cursors. The answer is always below 500, a refusal
 * is always problem details without a stack trace or an internal path, and the server stays up.
 */

const HOSTILE_STRINGS = [
  "' OR 1=1 --",
  "'); DROP TABLE events; --",
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '${7*7}{{7*7}}',
  '../../../../etc/passwd',
  '\u0000',
  '\ud800',
  '𝕳𝖆𝖗𝖇𝖔𝖚𝖗',
  'x'.repeat(100_000),
  '-1',
  '1e309',
  'NaN',
  '9'.repeat(400),
];

const hostileString = fc.oneof(
  fc.constantFrom(...HOSTILE_STRINGS),
  fc.string({ maxLength: 40 }),
  fc.string({ maxLength: 20, unit: 'binary' }),
);

/** Any JSON, with hostile strings and prototype keys mixed in. */
const hostileJson: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    hostileString,
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 5 }),
    fc.dictionary(
      fc.oneof(
        fc.constantFrom('__proto__', 'constructor', 'prototype', 'caseId', 'subject'),
        fc.string({ maxLength: 10 }),
      ),
      tie('value'),
      { maxKeys: 5 },
    ),
  ),
})).value;

/** A valid body with one field replaced, removed or added. */
function mutated(valid: Record<string, unknown>): fc.Arbitrary<unknown> {
  const keys = Object.keys(valid);
  return fc.oneof(
    fc
      .record({ key: fc.constantFrom(...keys), value: hostileJson })
      .map(({ key, value }) => ({ ...valid, [key]: value })),
    fc.constantFrom(...keys).map((key) => Object.fromEntries(Object.entries(valid).filter(([k]) => k !== key))),
    fc
      .record({ key: fc.string({ maxLength: 12 }), value: hostileJson })
      .map(({ key, value }) => ({ ...valid, [key]: value })),
  );
}

/** Raw bodies no JSON parser should choke the server on. */
const RAW_BODIES: readonly (string | Buffer)[] = [
  Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]), // {"a":"<invalid UTF-8>"}
  Buffer.from([0xc3, 0x28]),
  '{"__proto__": {"polluted": true}}',
  '{"constructor": {"prototype": {"polluted": true}}}',
  '['.repeat(5000) + ']'.repeat(5000),
  '{"a":'.repeat(3000) + '1' + '}'.repeat(3000),
  `{"name": "${'x'.repeat(3 * 1024 * 1024)}"}`,
  '{"a": 1,}',
  'null',
  '',
];

const absurdQueryValue = fc.oneof(
  fc.constantFrom('-1', '0', '1e309', '99999999999999999999', 'NaN', '', '%00', '%ff%fe', 'true', '[]', '{}'),
  hostileString.map((s) => encodeURIComponent(s.slice(0, 500))),
);

describe('fuzzing every route', () => {
  let api: ApiHarness;
  let routes: NestRoute[];
  const tokens = new Map<Role, string>();
  let caseId: string;
  let tried = 0;
  let serverErrors = 0;

  beforeAll(async () => {
    api = await startApi();
    api.clock.set('2015-09-10T09:00:00.000Z');
    routes = nestRoutes(api.app);
    const lead = await api.token('lead');
    const raised = await api.request('POST', '/cases', { token: lead, body: referral() });
    caseId = String(raised.body.caseId);
  });
  afterAll(async () => {
    tally({ suite: 'fuzzing', scenarios: routes.length, badInputs: tried, serverErrors });
    await api.close();
  });

  async function tokenFor(route: NestRoute): Promise<string> {
    const role = (rolesFor(route.handler, route.controller) ?? ['admin'])[0];
    if (!tokens.has(role)) tokens.set(role, await api.token(role, isPanelRole(role) ? { panels: [PANEL_ID] } : {}));
    return tokens.get(role)!;
  }

  async function send(route: NestRoute, path: string, body?: string | Buffer) {
    const response = await fetch(`${api.url}${path}`, {
      method: route.method,
      headers: {
        authorization: `Bearer ${await tokenFor(route)}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body,
    });
    const text = await response.text();
    tried += 1;
    if (response.status >= 500) serverErrors += 1;
    return { status: response.status, type: response.headers.get('content-type') ?? '', text };
  }

  function expectSafeAnswer(answer: { status: number; type: string; text: string }, what: string): void {
    expect({ what, status: answer.status < 500 }).toEqual({ what, status: true });
    if (answer.status >= 400) {
      expect({ what, type: answer.type }).toEqual({ what, type: expect.stringMatching(/^application\/problem\+json/) });
      // No stack trace, no path on this machine.
      expect({ what, leak: /\bat \S+ \(|node_modules|\/work\/|\.ts:\d+/.test(answer.text) }).toEqual({
        what,
        leak: false,
      });
    }
  }

  const pathOf = (route: NestRoute, id: string = caseId) =>
    route.path
      .replace(/:caseId\b/g, id)
      .replace(/:decisionId\b/g, randomUUID())
      .replace(/:id\b/g, 'nrm-pilot-2015');

  it('answers hostile JSON bodies to every command route with a 4xx problem', async () => {
    const commands = routes.filter((route) => route.method === 'POST');
    expect(commands.length).toBeGreaterThan(10);
    for (const route of commands) {
      await fc.assert(
        fc.asyncProperty(fc.oneof(hostileJson, mutated(referral())), async (body) => {
          const answer = await send(route, pathOf(route), JSON.stringify(body));
          expectSafeAnswer(answer, route.key);
        }),
        { numRuns: 50, seed: 42 },
      );
    }
  }, 180_000);

  it('answers raw bodies that are not JSON, too deep, too big or not UTF-8', async () => {
    for (const route of routes.filter((r) => r.method === 'POST')) {
      for (const body of RAW_BODIES) expectSafeAnswer(await send(route, pathOf(route), body), route.key);
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  }, 180_000);

  it('answers absurd query strings, cursors and path ids on every read', async () => {
    const reads = routes.filter((route) => route.method === 'GET');
    const params = [
      'limit',
      'cursor',
      'region',
      'status',
      'overdue',
      'raisedFrom',
      'asOf',
      'revision',
      'fromRevision',
      'from',
      'to',
      'caseId',
      'viewer',
      'sort',
      'direction',
      'panelId',
    ];
    for (const route of reads) {
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.tuple(fc.constantFrom(...params), absurdQueryValue), { maxLength: 4 }),
          fc.oneof(
            fc.constant(caseId),
            fc.constantFrom('not-a-uuid', '%2e%2e%2f', '00000000-0000-0000-0000-000000000000', 'x'.repeat(300)),
          ),
          async (query, id) => {
            const search = query.map(([key, value]) => `${key}=${value}`).join('&');
            const answer = await send(route, `${pathOf(route, id)}${search ? `?${search}` : ''}`);
            expectSafeAnswer(answer, route.key);
          },
        ),
        { numRuns: 30, seed: 7 },
      );
    }
  }, 180_000);

  it('is still up and serving afterwards', async () => {
    const response = await api.request('GET', `/cases/${caseId}`, { token: await api.token('lead') });
    expect(response.status).toBe(200);
  });
});
