import { labelOf } from '../src/console/command-form';
import { startConsole, Visitor, csrfOf, hiddenFieldsOf, type ConsoleHarness } from './support/console-harness';
import { MEETING_ID, WALK } from './support/console-walk';
import { assessment, referral } from './support/pilot-path';

describe('Harbour Console: sign-in and pages', () => {
  let harness: ConsoleHarness;
  beforeAll(async () => {
    harness = await startConsole();
  });
  afterAll(() => harness.close());

  it('signs a person in through the OpenID provider (code flow with PKCE) and names them on every page', async () => {
    const visitor = new Visitor(harness.api.url);
    const page = await visitor.signIn('lead-1');
    expect(page.status).toBe(200);
    expect(page.url).toBe(`${harness.api.url}/console`);
    const html = await page.text();
    expect(html).toContain('Signed in as <strong>Lee Lead</strong> (lead, south-west, dorset-police)');
    expect(csrfOf(html)).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });
});

describe('Harbour Console: one referral from raised to closed through the pages, without JavaScript', () => {
  let harness: ConsoleHarness;
  beforeAll(async () => {
    harness = await startConsole();
  });
  afterAll(() => harness.close());

  it('takes the case through every step as the person whose job it is, each signed in through the provider', async () => {
    const visitors = new Map<string, Visitor>();
    let caseId = '';
    for (const step of WALK) {
      let visitor = visitors.get(step.login);
      if (!visitor) {
        visitor = new Visitor(harness.api.url);
        expect((await visitor.signIn(step.login)).status).toBe(200);
        visitors.set(step.login, visitor);
      }
      let formUrl: string;
      if (step.command === 'RaiseReferral') {
        formUrl = '/console/referrals/new';
      } else {
        // The case page lists what this person may do next; the step's command must be there.
        const casePage = await (await visitor.get(`/console/cases/${caseId}`)).text();
        expect(casePage).toContain(`href="/console/cases/${caseId}/commands/${step.command}"`);
        formUrl = `/console/cases/${caseId}/commands/${step.command}`;
      }
      const form = await (await visitor.get(formUrl)).text();
      const action = step.command === 'RaiseReferral' ? '/console/referrals' : formUrl;
      const hidden = hiddenFieldsOf(form, action);
      const result = await visitor.post(action, { ...hidden, ...step.answers, _occurredAt: step.occurredAt });
      const html = await result.text();
      expect({ step: step.command, status: result.status, errors: errorSummaryOf(html) }).toEqual({
        step: step.command,
        status: 200,
        errors: [],
      });
      expect(html).toContain(`${labelOf(step.command)}: done.`);
      caseId = /\/console\/cases\/([0-9a-f-]{36})/.exec(result.url)![1];
    }
    const closed = await (await visitors.get('cm-1')!.get(`/console/cases/${caseId}`)).text();
    expect(closed).toMatch(/<h1 class="govuk-heading-l">Closed/);

    // The events name who did each step, as the provider signed them in.
    const token = await harness.api.token('auditor');
    const history = await harness.api.request<{ items: { type: string; who: { userId: string } }[] }>(
      'GET',
      `/cases/${caseId}/history`,
      { token },
    );
    const actors = history.body.items.filter((entry) => entry.who).map((entry) => [entry.type, entry.who.userId]);
    expect(actors).toEqual([
      ['ReferralRaised', 'lead-1'],
      ['ImmediateSupportArranged', 'lead-1'],
      ['LeadAssessmentRecorded', 'lead-1'],
      ['CaseListedForPanel', 'cm-1'],
      ['PanelConvened', 'chair-1'],
      ['DecisionRecorded', 'chair-1'],
      ['CaseClosed', 'cm-1'],
    ]);
  });
});

/** The error summary's messages, if the page has one. */
function errorSummaryOf(html: string): string[] {
  const start = html.indexOf('govuk-error-summary__list');
  if (start === -1) return [];
  const list = html.slice(start, html.indexOf('</ul>', start));
  return [...list.matchAll(/<li>\s*(?:<a[^>]*>)?([^<]+)/g)].map((match) => match[1].trim());
}

describe('Harbour Console: refusals and concurrent changes', () => {
  let harness: ConsoleHarness;
  let caseId: string;
  beforeAll(async () => {
    harness = await startConsole();
    const lead = await harness.api.token('lead', { userId: 'lead-1' });
    const raised = await harness.api.request<{ caseId: string }>('POST', '/cases', {
      token: lead,
      body: referral(),
      headers: { 'x-occurred-at': '2015-09-01T09:00:00Z' },
    });
    caseId = raised.body.caseId;
    const assessed = await harness.api.request('POST', `/cases/${caseId}/lead-assessment`, {
      token: lead,
      body: assessment(),
      headers: { 'x-occurred-at': '2015-09-02T09:00:00Z', 'if-match': '"0"' },
    });
    expect(assessed.status).toBe(200);
  });
  afterAll(() => harness.close());

  it('shows a refused command as a GOV.UK error summary naming the rule, keeping every answer', async () => {
    const cm = new Visitor(harness.api.url);
    await cm.signIn('cm-1');
    const url = `/console/cases/${caseId}/commands/ListCaseForPanel`;
    const hidden = hiddenFieldsOf(await (await cm.get(url)).text(), url);
    // A meeting three days after the listing: the pilot wants seven days' notice.
    const refused = await cm.post(url, {
      ...hidden,
      panelId: 'south-west-panel',
      meetingId: MEETING_ID,
      meetingAt: '2015-10-04T10:00:00Z',
      urgent: 'false',
      _occurredAt: '2015-10-01T09:00:00Z',
    });
    expect(refused.status).toBe(422);
    const html = await refused.text();
    expect(html).toContain('govuk-error-summary');
    expect(html).toContain('Rule: <strong>Panel notice 7 days</strong>');
    expect(html).toContain('value="2015-10-04T10:00:00Z"');
    expect(await revisionOf(harness, caseId)).toBe('1');
  });

  it('says the case changed since the form was opened, and what changed, instead of overwriting', async () => {
    const lead = new Visitor(harness.api.url);
    await lead.signIn('lead-1');
    const url = `/console/cases/${caseId}/commands/AddEvidence`;
    const hidden = hiddenFieldsOf(await (await lead.get(url)).text(), url);
    expect(hidden._revision).toBe('1');
    // Meanwhile someone else records something on the case.
    const other = await harness.api.token('lead', { userId: 'lead-2' });
    const support = await harness.api.request('POST', `/cases/${caseId}/immediate-support`, {
      token: other,
      body: { kinds: ['accommodation'], provider: 'The Salvation Army' },
      headers: { 'x-occurred-at': '2015-09-03T09:00:00Z', 'if-match': '"1"' },
    });
    expect(support.status).toBe(200);
    const stale = await lead.post(url, {
      ...hidden,
      kind: 'police-report',
      description: 'Statement taken at the car wash.',
      _occurredAt: '2015-09-03T10:00:00Z',
    });
    expect(stale.status).toBe(412);
    const html = await stale.text();
    expect(html).toContain('This case changed since you opened it');
    expect(html).toMatch(/Immediate support arranged by lead-2 \(lead\)/);
    // The form now carries the new revision: submitting it again, as it is, records the evidence.
    const again = await lead.post(url, {
      ...hiddenFieldsOf(html, url),
      kind: 'police-report',
      description: 'Statement taken at the car wash.',
      _occurredAt: '2015-09-03T10:00:00Z',
    });
    expect(again.status).toBe(200);
    expect(await again.text()).toContain('Add evidence: done.');
  });
});

async function revisionOf(harness: ConsoleHarness, caseId: string): Promise<string> {
  const token = await harness.api.token('auditor');
  const history = await harness.api.request<{ headRevision: string }>('GET', `/cases/${caseId}/history`, { token });
  return history.body.headRevision;
}
