import { referral } from './support/pilot-path';
import { startConsole, Visitor, csrfOf, hiddenFieldsOf, type ConsoleHarness } from './support/console-harness';
import { consoleConfigFrom } from '../src/console/console.config';

const SUBJECT_NAME = 'Synthetic Person Alpha';

describe('Harbour Console: security', () => {
  let harness: ConsoleHarness;
  let wallClock = Date.now();
  let caseId: string;
  const signedIn = new Map<string, Visitor>();

  /** A visitor signed in as `login` (one sign-in per login for the whole suite). */
  async function as(login: string): Promise<Visitor> {
    let visitor = signedIn.get(login);
    if (!visitor) {
      visitor = new Visitor(harness.api.url);
      expect((await visitor.signIn(login)).status).toBe(200);
      signedIn.set(login, visitor);
    }
    return visitor;
  }

  async function revision(): Promise<string> {
    const token = await harness.api.token('auditor');
    const answer = await harness.api.request<{ items: unknown[]; headRevision: string }>(
      'GET',
      `/cases/${caseId}/history`,
      { token },
    );
    return answer.body.headRevision;
  }

  beforeAll(async () => {
    harness = await startConsole({ consoleNow: () => wallClock });
    const lead = await harness.api.token('lead', { userId: 'lead-1' });
    const raised = await harness.api.request<{ caseId: string }>('POST', '/cases', {
      token: lead,
      body: referral(),
      headers: { 'x-occurred-at': '2015-09-01T09:00:00Z' },
    });
    expect(raised.status).toBe(201);
    caseId = raised.body.caseId;
  });
  afterAll(() => harness.close());

  it('sends a strict Content-Security-Policy: no inline script without this response’s nonce, no framing', async () => {
    const lead = await as('lead-1');
    const pages = [
      '/console',
      `/console/cases`,
      `/console/cases/${caseId}`,
      `/console/cases/${caseId}/commands/RecordLeadAssessment`,
      '/console/cases/00000000-0000-4000-8000-000000000000',
    ];
    const anonymous = await fetch(`${harness.api.url}/console`);
    for (const response of [anonymous, ...(await Promise.all(pages.map((page) => lead.get(page))))]) {
      const policy = response.headers.get('content-security-policy') ?? '';
      const nonce = /'nonce-([A-Za-z0-9+/=]+)'/.exec(policy)?.[1];
      expect(policy).toContain("default-src 'none'");
      expect(policy).toContain("frame-ancestors 'none'");
      expect(policy).toContain("base-uri 'none'");
      expect(policy).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]{24}'(;|$)/);
      expect(policy).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
      const html = await response.text();
      for (const [tag] of html.matchAll(/<script\b[^>]*>/g)) {
        expect(tag.includes(' src=') || tag.includes(`nonce="${nonce}"`)).toBe(true);
      }
      expect(html).not.toMatch(/\sstyle="/);
      expect(response.headers.get('cache-control')).toBe('no-store');
    }
  });

  it('sets the session cookie httpOnly, SameSite=Lax, for /console only; Secure outside embedded mode', async () => {
    const visitor = new Visitor(harness.api.url);
    const login = await visitor.get('/console/sign-in');
    const form = /action="([^"]+)"/.exec(await login.text())![1].replace(/&amp;/g, '&');
    const afterLogin = await fetch(new URL(form, login.url), {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: visitor.jar.header() },
      body: 'prompt=login&login=cm-1&password=x',
    });
    visitor.jar.take(afterLogin);
    const toCallback = await fetch(new URL(afterLogin.headers.get('location')!, login.url), {
      redirect: 'manual',
      headers: { cookie: visitor.jar.header() },
    });
    const callback = await fetch(toCallback.headers.get('location')!, {
      redirect: 'manual',
      headers: { cookie: visitor.jar.header() },
    });
    const session = callback.headers.getSetCookie().find((line) => line.startsWith('harbour_console='))!;
    expect(session).toMatch(/; Path=\/console; HttpOnly; SameSite=Lax; Max-Age=28800$/);
    expect(session).not.toContain('Secure');
    expect(consoleConfigFrom({}, 'distributed').secureCookies).toBe(true);
    expect(consoleConfigFrom({ HARBOUR_CONSOLE_SECURE_COOKIES: 'true' }, 'embedded').secureCookies).toBe(true);
  });

  it('accepts no form without this session’s CSRF token, and changes nothing when it refuses', async () => {
    const lead = await as('lead-1');
    const cm = await as('cm-1');
    const url = `/console/cases/${caseId}/commands/RecordLeadAssessment`;
    const hidden = hiddenFieldsOf(await (await lead.get(url)).text(), url);
    const answers = {
      outcome: 'positive',
      rationale: 'Indicators of forced labour are present.',
      _occurredAt: '2015-09-02T09:00:00Z',
    };
    const before = await revision();

    const { _csrf: leadToken, ...withoutToken } = hidden;
    const missing = await lead.post(url, { ...withoutToken, ...answers });
    expect(missing.status).toBe(403);
    expect(await missing.text()).toContain('Nothing was changed');
    const wrong = await lead.post(url, {
      ...hidden,
      ...answers,
      _csrf: leadToken.slice(0, -1) + (leadToken.endsWith('A') ? 'B' : 'A'),
    });
    expect(wrong.status).toBe(403);
    // Another person's token does not work with this person's session, nor the reverse.
    const cmToken = csrfOf(await (await cm.get('/console')).text());
    expect((await lead.post(url, { ...hidden, ...answers, _csrf: cmToken })).status).toBe(403);
    expect((await cm.post(url, { ...hidden, ...answers, _csrf: leadToken })).status).toBe(403);
    // A cross-site post carries no session at all.
    const crossSite = await fetch(`${harness.api.url}${url}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ ...hidden, ...answers }).toString(),
    });
    expect(crossSite.status).toBe(403);
    // Sign-out is a form too.
    expect((await lead.post('/console/sign-out', {})).status).toBe(403);
    expect(await (await lead.get('/console')).text()).toContain('Signed in as <strong>Lee Lead</strong>');
    expect(await revision()).toBe(before);
  });

  it('lets one person’s session act only as that person', async () => {
    const cm = await as('cm-1');
    // The lead's command, posted with the case manager's own session and token: the API refuses it
    // for the case manager's role, and the page says so; nothing is recorded.
    const url = `/console/cases/${caseId}/commands/RecordLeadAssessment`;
    expect((await cm.get(url)).status).toBe(404);
    const before = await revision();
    const csrf = csrfOf(await (await cm.get('/console')).text());
    const refused = await cm.post(url, { _csrf: csrf, outcome: 'positive', rationale: 'Not mine to assess at all.' });
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain('There is a problem');
    expect(await revision()).toBe(before);
    // A made-up or altered session cookie is no session.
    const forged = await fetch(`${harness.api.url}/console/cases`, {
      redirect: 'manual',
      headers: { cookie: `harbour_console=${cm.jar.get('harbour_console')!.slice(0, -2)}xx` },
    });
    expect(forged.status).toBe(303);
    expect(forged.headers.get('location')).toBe('/console/sign-in?returnTo=%2Fconsole%2Fcases');
  });

  it('shows an auditor no command forms, and refuses one posted anyway', async () => {
    const auditor = await as('auditor-1');
    const page = await (await auditor.get(`/console/cases/${caseId}`)).text();
    expect(page).not.toContain('What you can do next');
    expect(page).not.toContain('/commands/');
    expect(page).toContain('Timeline and verification');
    expect((await auditor.get(`/console/cases/${caseId}/commands/CloseCase`)).status).toBe(404);
    expect((await auditor.get('/console/referrals/new')).status).toBe(404);
    const before = await revision();
    const csrf = csrfOf(page);
    const posted = await auditor.post(`/console/cases/${caseId}/commands/WithdrawReferral`, {
      _csrf: csrf,
      basis: 'consent-withdrawn',
    });
    expect(posted.status).toBeGreaterThanOrEqual(400);
    expect(await revision()).toBe(before);
  });

  it('shows an analyst no personal data and no case', async () => {
    const analyst = await as('analyst-1');
    const pages = [
      '/console',
      '/console/statistics',
      '/console/cases',
      `/console/cases/${caseId}`,
      `/console/cases/${caseId}/timeline`,
      `/console/cases/${caseId}/as-of?asOf=2015-10-01`,
      `/console/cases/${caseId}/export`,
      '/console/access-log',
    ];
    for (const path of pages) {
      const response = await analyst.get(path);
      const body = await response.text();
      expect({
        path,
        leaks: body.includes(SUBJECT_NAME) || (body.includes(caseId) && path === '/console/cases'),
      }).toEqual({ path, leaks: false });
      if (path !== '/console' && path !== '/console/statistics')
        expect({ path, status: response.status }).toEqual({
          path,
          status: path === '/console/cases' || path === '/console/access-log' ? 403 : 404,
        });
    }
  });

  it('logs every view of personal data exactly as the API does', async () => {
    const lead = await as('lead-1');
    const page = await (await lead.get(`/console/cases/${caseId}`)).text();
    expect(page).toContain(SUBJECT_NAME);
    const auditor = await as('auditor-1');
    const log = await (await auditor.get(`/console/access-log?caseId=${caseId}&viewer=lead-1`)).text();
    expect(log).toContain('lead-1 (lead, dorset-police)');
    expect(log).toContain('GET /cases/:caseId/history');
  });

  it('ends a session after 30 idle minutes, and at sign-out for good', async () => {
    const visitor = new Visitor(harness.api.url);
    await visitor.signIn('member-1');
    const cookie = visitor.jar.get('harbour_console')!;
    wallClock += 29 * 60_000;
    expect(await (await visitor.get('/console')).text()).toContain('Morgan Member');
    wallClock += 31 * 60_000;
    const expired = await fetch(`${harness.api.url}/console/panels`, {
      redirect: 'manual',
      headers: { cookie: `harbour_console=${cookie}` },
    });
    expect(expired.status).toBe(303);

    const other = new Visitor(harness.api.url);
    await other.signIn('ca-1');
    const kept = other.jar.get('harbour_console')!;
    const csrf = csrfOf(await (await other.get('/console')).text());
    const out = await other.post('/console/sign-out', { _csrf: csrf });
    // The provider asks whether to sign out there too; the console's session is already gone.
    expect(out.url.startsWith(harness.provider.issuer)).toBe(true);
    const replay = await fetch(`${harness.api.url}/console/cases`, {
      redirect: 'manual',
      headers: { cookie: `harbour_console=${kept}` },
    });
    expect(replay.status).toBe(303);
  });

  it('sends a person back only to a console page after sign-in', async () => {
    const visitor = new Visitor(harness.api.url);
    const landed = await visitor.signIn('admin-1', 'https://evil.example/console');
    expect(landed.url).toBe(`${harness.api.url}/console`);
    const deep = new Visitor(harness.api.url);
    expect((await deep.signIn('admin-1', `/console/cases/${caseId}`)).url).toBe(
      `${harness.api.url}/console/cases/${caseId}`,
    );
  });
});
