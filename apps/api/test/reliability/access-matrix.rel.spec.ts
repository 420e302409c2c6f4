import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { ROLES, type Role } from '@harbour/security';
import { startApi, type ApiHarness, type ApiResponse } from '../support/api-harness';
import { PANEL_ID, assessment, convening, decision, listing, referral, when } from '../support/pilot-path';
import { nestRoutes } from '../support/routes';
import { tally } from './support/ledger';
import { LettersHost } from '../../src/letters/letters.host';

/**
 * The authorisation matrix: every case read, for every role, from inside and outside the case's
 * region and panel, against the table below (kept here, by hand, so that a change of policy is a
 * deliberate edit of it). Plus tokens that must never get in, and error bodies that must never
 * show a stack or an internal path.
 */

/** Who may read a case's route: by region (leads, case managers), by panel, nationally, or never. */
type Scope = 'region' | 'panel' | 'national' | 'never';

const CASE_READ: Record<Role, Scope> = {
  lead: 'region',
  'case-manager': 'region',
  'panel-chair': 'panel',
  'panel-member': 'panel',
  'competent-authority': 'national',
  auditor: 'national',
  analyst: 'never',
  admin: 'national',
  // A first responder follows its referrals through GET /referral-submissions/:id, not the case routes.
  'first-responder': 'never',
};

/** Every case-scoped read the API serves, and who may make it. */
const MATRIX: Record<string, Record<Role, Scope>> = {
  'GET /cases/:caseId': CASE_READ,
  'GET /cases/:caseId/file': CASE_READ,
  'GET /cases/:caseId/actions': CASE_READ,
  'GET /cases/:caseId/decisions': CASE_READ,
  'GET /cases/:caseId/history': CASE_READ,
  'GET /cases/:caseId/state': CASE_READ,
  'GET /cases/:caseId/decisions/:decisionId/explain': CASE_READ,
  'GET /cases/:caseId/verify': CASE_READ,
  'GET /cases/:caseId/letters': CASE_READ,
  'GET /cases/:caseId/letters/:letterId': CASE_READ,
};

type Variant = 'inside' | 'outside';

describe('the authorisation matrix', () => {
  let api: ApiHarness;
  let caseId: string;
  let decisionId: string;
  let letterId: string;
  let checked = 0;
  /** The position of the last write: reads wait for the read models to reach it. */
  let position = '0';

  beforeAll(async () => {
    api = await startApi();
    api.clock.set(when.now);
    const lead = await api.token('lead', { userId: 'lead-1' });
    const caseManager = await api.token('case-manager', { userId: 'cm-1' });
    const chair = await api.token('panel-chair', { userId: 'chair-1', panels: [PANEL_ID] });
    const post = async (path: string, token: string, body: unknown, at: string) => {
      const response = await api.request('POST', path, { token, body, headers: { 'x-occurred-at': at } });
      expect({ path, status: response.status }).toEqual({ path, status: path === '/cases' ? 201 : 200 });
      return response;
    };
    caseId = String((await post('/cases', lead, referral(), when.raised)).body.caseId);
    await post(`/cases/${caseId}/lead-assessment`, lead, assessment(), when.assessed);
    await post(`/cases/${caseId}/panel-listing`, caseManager, listing(), when.listed);
    await post(`/cases/${caseId}/panel-convening`, chair, convening(), when.meeting);
    position = String((await post(`/cases/${caseId}/decisions`, chair, decision(), when.decided)).body.position);
    const decisions = await api.request('GET', `/cases/${caseId}/decisions`, {
      token: caseManager,
      headers: { 'x-min-position': position },
    });
    decisionId = String((decisions.body as unknown as { decisionId: string }[])[0].decisionId);
    // The decision's letter, made now rather than on the letters loop's next turn.
    await api.app.get(LettersHost).poll();
    const letters = await api.request('GET', `/cases/${caseId}/letters`, { token: caseManager });
    letterId = String((letters.body.items as { letterId: string }[])[0].letterId);
  });
  afterAll(async () => {
    tally({ suite: 'access matrix', scenarios: checked });
    await api.close();
  });

  async function tokenFor(role: Role, variant: Variant): Promise<string> {
    const inside = variant === 'inside';
    const panelRole = role === 'panel-chair' || role === 'panel-member';
    return api.token(role, {
      userId: `${role}-${variant}`,
      region: inside ? 'south-west' : 'london',
      ...(panelRole ? { panels: inside ? [PANEL_ID] : ['london-panel'] } : {}),
    });
  }

  const pathOf = (route: string) =>
    route.split(' ')[1].replace(':caseId', caseId).replace(':decisionId', decisionId).replace(':letterId', letterId) +
    (route.endsWith('/state') ? '?revision=1' : '');

  // Reads under /cases/:caseId, scoped by the case's region and panel. A meeting's pack
  // (GET /meetings/:meetingId/packs/:caseId) is scoped by who the meeting invited instead, and its
  // refusals are in meetings.int.spec.ts.
  it('has a row for every case-scoped read the app serves, and no other', () => {
    const served = nestRoutes(api.app)
      .filter((route) => route.method === 'GET' && route.path.startsWith('/cases/:caseId'))
      .map((route) => route.key)
      .sort();
    expect(Object.keys(MATRIX).sort()).toEqual(served);
  });

  const cells = Object.keys(MATRIX).flatMap((route) =>
    ROLES.flatMap((role) => (['inside', 'outside'] as const).map((variant) => ({ route, role, variant }))),
  );

  it.each(cells)('$route as $role $variant the case region/panel', async ({ route, role, variant }) => {
    const scope = MATRIX[route][role];
    const allowed = scope === 'national' || ((scope === 'region' || scope === 'panel') && variant === 'inside');
    const response = await api.request('GET', pathOf(route), {
      token: await tokenFor(role, variant),
      headers: { 'x-min-position': position },
    });
    checked += 1;
    expect({ route, role, variant, status: response.status }).toEqual({
      route,
      role,
      variant,
      // A role that may never read a case is refused (403); a case outside the reader's region or
      // panels is answered as an unknown case would be (404), so it reveals nothing.
      status: allowed ? 200 : scope === 'never' ? 403 : 404,
    });
    if (!allowed) expectCleanProblem(response);
  });

  it.each(['lead', 'case-manager', 'panel-chair', 'panel-member'] as const)(
    'lists the case to a %s inside its region or panel only',
    async (role) => {
      for (const variant of ['inside', 'outside'] as const) {
        const response = await api.request('GET', '/cases', {
          token: await tokenFor(role, variant),
          headers: { 'x-min-position': position },
        });
        checked += 1;
        expect(response.status).toBe(200);
        const listed = (response.body.items as { caseId: string }[]).map((item) => item.caseId);
        expect({ variant, listed: listed.includes(caseId) }).toEqual({ variant, listed: variant === 'inside' });
      }
    },
  );

  describe('tokens that never get in', () => {
    const SECRET = new TextEncoder().encode('harbour-test-secret-harbour-test-secret-0123456789');
    const claims = { role: 'admin', region: 'south-west', agency: 'home-office' };
    const now = () => Math.floor(Date.now() / 1000);
    const base64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const sign = (build: (jwt: SignJWT) => SignJWT, key = SECRET) =>
      build(new SignJWT(claims).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).setSubject('intruder')).sign(key);

    const forged: [string, () => Promise<string>][] = [
      [
        'expired',
        () =>
          sign((jwt) =>
            jwt
              .setIssuer('harbour')
              .setAudience('harbour-api')
              .setIssuedAt(now() - 7200)
              .setExpirationTime(now() - 3600),
          ),
      ],
      [
        'for another audience',
        () => sign((jwt) => jwt.setIssuer('harbour').setAudience('another-api').setIssuedAt().setExpirationTime('1h')),
      ],
      [
        'from another issuer',
        () =>
          sign((jwt) => jwt.setIssuer('someone-else').setAudience('harbour-api').setIssuedAt().setExpirationTime('1h')),
      ],
      [
        'signed with another key',
        () =>
          sign(
            (jwt) => jwt.setIssuer('harbour').setAudience('harbour-api').setIssuedAt().setExpirationTime('1h'),
            new TextEncoder().encode('not-the-secret-not-the-secret-not-the-secret-012345'),
          ),
      ],
      [
        'unsigned (alg: none)',
        async () =>
          `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url({ ...claims, sub: 'intruder', iss: 'harbour', aud: 'harbour-api', iat: now(), exp: now() + 3600 })}.`,
      ],
      [
        'not yet valid',
        () =>
          sign((jwt) =>
            jwt
              .setIssuer('harbour')
              .setAudience('harbour-api')
              .setIssuedAt()
              .setNotBefore(now() + 3600)
              .setExpirationTime(now() + 7200),
          ),
      ],
      ['garbage', async () => 'not.a.token'],
    ];

    it.each(forged)('%s: 401 on every case read and command', async (_name, make) => {
      const token = await make();
      for (const route of [...Object.keys(MATRIX), 'POST /cases/:caseId/evidence', 'POST /cases']) {
        const [method] = route.split(' ');
        const response = await api.request(method, pathOf(route), {
          token,
          ...(method === 'POST' ? { body: { kind: 'other', description: 'x' } } : {}),
        });
        checked += 1;
        expect({ route, status: response.status }).toEqual({ route, status: 401 });
        expectCleanProblem(response);
      }
    });
  });

  it('shows no stack trace or internal path in any refusal', async () => {
    const lead = await api.token('lead');
    const responses = await Promise.all([
      api.request('GET', `/cases/${randomUUID()}`, { token: lead }),
      api.request('GET', '/cases/not-a-uuid', { token: lead }),
      api.request('POST', `/cases/${caseId}/evidence`, { token: lead, rawBody: '{"kind":' }),
      api.request('POST', `/cases/${caseId}/closure`, { token: lead, body: {} }),
      api.request('GET', '/no-such-route', { token: lead }),
    ]);
    for (const response of responses) expectCleanProblem(response);
  });
});

function expectCleanProblem(response: ApiResponse): void {
  expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  const text = JSON.stringify(response.body);
  expect(text).not.toMatch(/\bat \S+ \(|node_modules|\/work\/|\.ts:\d+|Error: /);
}
