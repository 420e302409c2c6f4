import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { collect, tempDir } from '@harbour/testing';
import { schemaVersionOf } from '@harbour/domain';
import { EVENT_STORE, type EventStore } from '@harbour/event-store';
import { startApi, type ApiHarness, type ApiResponse } from './support/api-harness';
import { MEETING_ID, PANEL_ID, assessment, convening, decision, listing, referral, when } from './support/pilot-path';

/**
 * The two 2015 routes side by side over HTTP: a South West case on the pilot (lead assessment,
 * regional panel) and a London case on the central route (the competent authority decides, no
 * panel), each carried to its decisions; then the routing as configuration, and a bad routing
 * setting stopping start-up.
 */

// A Romanian national: an EEA national, so the UKHTC (not UKVI) decides the central case.
const LONDON = {
  region: 'london',
  policeForceArea: 'metropolitan',
  referringAgency: 'Metropolitan Police',
  subject: { ...(referral().subject as Record<string, unknown>), nationality: 'ROU' },
};
const grounds = (outcome: 'positive' | 'negative') => ({
  outcome,
  rationale: 'The account and the retained passport give reasonable grounds to believe the person is a victim.',
});
// The competent authority decides alone: no votes, no dissent.
const conclusive = (outcome: 'positive' | 'negative') => ({ ...decision(outcome), votes: [] });

describe('the pilot and the central route side by side', () => {
  let api: ApiHarness;
  let lead: string;
  let londonLead: string;
  let caseManager: string;
  let londonCaseManager: string;
  let chair: string;
  let ca: string;
  let otherCa: string;
  let ukvi: string;

  beforeAll(async () => {
    api = await startApi();
    api.clock.set(when.now);
    lead = await api.token('lead', { userId: 'lead-1' });
    londonLead = await api.token('lead', { userId: 'lead-7', region: 'london' });
    caseManager = await api.token('case-manager', { userId: 'cm-1' });
    londonCaseManager = await api.token('case-manager', { userId: 'cm-7', region: 'london' });
    chair = await api.token('panel-chair', { userId: 'chair-1', panels: [PANEL_ID] });
    ca = await api.token('competent-authority', { userId: 'ca-1', agency: 'uk-human-trafficking-centre' });
    otherCa = await api.token('competent-authority', { userId: 'ca-2', agency: 'uk-human-trafficking-centre' });
    ukvi = await api.token('competent-authority', { userId: 'ca-4', agency: 'uk-visas-and-immigration' });
  });
  afterAll(() => api.close());

  const post = (path: string, token: string, body: unknown, at: string) =>
    api.request('POST', path, { token, body, headers: { 'x-occurred-at': at } });

  function expectProblem(response: ApiResponse, status: number, extra: Record<string, unknown> = {}) {
    expect({ status: response.status, body: response.body }).toMatchObject({ status, body: { status, ...extra } });
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  }

  async function ok(path: string, token: string, body: unknown, at: string): Promise<ApiResponse> {
    const response = await post(path, token, body, at);
    expect({ path, status: response.status, body: response.body }).toMatchObject({ path, status: 200 });
    return response;
  }

  async function raise(body: Record<string, unknown>, token: string): Promise<string> {
    const response = await post('/cases', token, body, when.raised);
    expect({ status: response.status, body: response.body }).toMatchObject({ status: 201 });
    return String(response.body.caseId);
  }

  const actionsOf = async (caseId: string, token: string) => {
    const response = await api.request<{ actions: { command: string; path: string }[] }>(
      'GET',
      `/cases/${caseId}/actions`,
      { token },
    );
    expect(response.status).toBe(200);
    return response.body.actions;
  };

  it('allocates a central case by nationality and refuses the other competent authority: 422 wrong-competent-authority', async () => {
    const eea = await raise(referral(LONDON), londonLead);
    const nonEea = await raise(
      referral({ ...LONDON, subject: { ...(referral().subject as Record<string, unknown>), nationality: 'VNM' } }),
      londonLead,
    );
    expectProblem(
      await post(`/cases/${eea}/reasonable-grounds-decision`, ukvi, grounds('positive'), when.assessed),
      422,
      {
        rule: 'wrong-competent-authority',
      },
    );
    expectProblem(
      await post(`/cases/${nonEea}/reasonable-grounds-decision`, ca, grounds('positive'), when.assessed),
      422,
      {
        rule: 'wrong-competent-authority',
      },
    );
    expect((await actionsOf(eea, ukvi)).map((action) => action.command)).toEqual([]);
    const decided = await ok(`/cases/${nonEea}/reasonable-grounds-decision`, ukvi, grounds('positive'), when.assessed);
    const status = await api.request('GET', `/cases/${nonEea}`, {
      token: ukvi,
      headers: { 'x-min-position': String(decided.body.position) },
    });
    expect(status.body).toMatchObject({
      competentAuthority: 'uk-visas-and-immigration',
      assessmentOutcome: 'positive',
    });
  });

  it('carries a pilot case and a central case to their decisions, each under its own workflow', async () => {
    const pilot = await raise(referral(), lead);
    const central = await raise(referral(LONDON), londonLead);

    // Each case offers the first gate of its own route, with the route to call.
    expect(await actionsOf(pilot, lead)).toContainEqual({
      command: 'RecordLeadAssessment',
      method: 'POST',
      path: '/cases/:caseId/lead-assessment',
    });
    expect((await actionsOf(pilot, ca)).map((action) => action.command)).toEqual([]);
    expect(await actionsOf(central, ca)).toContainEqual({
      command: 'MakeReasonableGroundsDecision',
      method: 'POST',
      path: '/cases/:caseId/reasonable-grounds-decision',
    });
    expect((await actionsOf(central, londonLead)).map((action) => action.command)).not.toContain(
      'RecordLeadAssessment',
    );

    // Each route refuses the other's first gate.
    expectProblem(
      await post(`/cases/${pilot}/reasonable-grounds-decision`, ca, grounds('positive'), when.assessed),
      422,
      {
        rule: 'command-not-allowed-in-state',
      },
    );
    expectProblem(await post(`/cases/${central}/lead-assessment`, londonLead, assessment(), when.assessed), 422, {
      rule: 'command-not-allowed-in-state',
    });

    // The pilot: lead assessment, listing, panel, decision.
    await ok(`/cases/${pilot}/lead-assessment`, lead, assessment('positive'), when.assessed);
    await ok(`/cases/${pilot}/panel-listing`, caseManager, listing(), when.listed);
    await ok(`/cases/${pilot}/panel-convening`, chair, convening(), when.meeting);
    const pilotDecided = await ok(`/cases/${pilot}/decisions`, chair, decision('positive'), when.decided);

    // The central route: reasonable grounds, then the conclusive decision from recovery, no panel.
    await ok(`/cases/${central}/reasonable-grounds-decision`, ca, grounds('positive'), when.assessed);
    expectProblem(await post(`/cases/${central}/panel-listing`, londonCaseManager, listing(), when.listed), 422, {
      rule: 'command-not-allowed-in-state',
    });
    expectProblem(await post(`/cases/${central}/decisions`, ca, conclusive('positive'), when.listed), 422, {
      rule: 'recovery-period-not-elapsed',
    });
    expectProblem(await post(`/cases/${central}/decisions`, ca, decision('positive'), when.decided), 422, {
      rule: 'member-not-present',
    });
    expectProblem(await post(`/cases/${central}/decisions`, chair, conclusive('positive'), when.decided), 403);
    const centralDecided = await ok(`/cases/${central}/decisions`, ca, conclusive('positive'), when.decided);

    // The read models, read at the last position, show each case under its workflow.
    const position = String(
      [pilotDecided, centralDecided].map((r) => BigInt(String(r.body.position))).reduce((a, b) => (a > b ? a : b)),
    );
    const summary = (caseId: string, token: string) =>
      api.request('GET', `/cases/${caseId}`, { token, headers: { 'x-min-position': position } });
    expect((await summary(pilot, caseManager)).body).toMatchObject({
      competentAuthority: null,
      status: 'decided-positive',
      region: 'south-west',
      workflow: { id: 'nrm-pilot-2015', version: 1 },
      assessmentOutcome: 'positive',
      panelId: PANEL_ID,
      meetingId: MEETING_ID,
      decisionOutcome: 'positive',
    });
    expect((await summary(central, ca)).body).toMatchObject({
      status: 'decided-positive',
      region: 'london',
      workflow: { id: 'nrm-central-2015', version: 1 },
      competentAuthority: 'uk-human-trafficking-centre',
      assessedAt: when.assessed,
      assessmentOutcome: 'positive',
      recoveryEndsAt: '2015-10-17T09:00:00.000Z',
      panelId: null,
      meetingId: null,
      decisionOutcome: 'positive',
    });

    const decisions = await api.request<Record<string, unknown>[]>('GET', `/cases/${central}/decisions`, {
      token: ca,
      headers: { 'x-min-position': position },
    });
    expect(decisions.status).toBe(200);
    expect(decisions.body).toEqual([
      expect.objectContaining({
        stage: 'reasonable-grounds',
        outcome: 'positive',
        standardOfProof: 'reasonable-grounds-to-believe',
        decidedBy: {
          kind: 'competent-authority',
          decisionMakerId: 'ca-1',
          agency: 'uk-human-trafficking-centre',
          agencyName: 'UK Human Trafficking Centre',
        },
        membersPresent: [],
      }),
      expect.objectContaining({
        stage: 'conclusive-grounds',
        outcome: 'positive',
        standardOfProof: 'balance-of-probabilities',
        decidedBy: {
          kind: 'competent-authority',
          decisionMakerId: 'ca-1',
          agency: 'uk-human-trafficking-centre',
          agencyName: 'UK Human Trafficking Centre',
        },
        membersPresent: [],
        votes: [],
        dissent: [],
      }),
    ]);

    // The competent authority closes its case; the pilot's case manager closes theirs.
    await ok(`/cases/${central}/closure`, ca, { notes: 'Move-on support arranged.' }, when.closed);
    await ok(`/cases/${pilot}/closure`, caseManager, { notes: 'Move-on support arranged.' }, when.closed);

    const store = api.app.get<EventStore>(EVENT_STORE);
    const events = await collect(store.readStream(`case-${central}`));
    expect(events.map((event) => event.type)).toEqual([
      'ReferralRaised',
      'CompetentAuthorityAllocated',
      'ReasonableGroundsDecisionMade',
      'DecisionRecorded',
      'CaseClosed',
    ]);
    for (const event of events) {
      expect(event.metadata).toMatchObject({
        workflow: { id: 'nrm-central-2015', version: 1 },
        schemaVersion: schemaVersionOf(event.type),
      });
    }
  });

  it('lets the competent authority, who holds the central case file, record the information it asked for', async () => {
    const central = await raise(referral(LONDON), londonLead);
    const request = { requestedFrom: 'Metropolitan Police', details: 'The crime report about the person.' };
    await ok(`/cases/${central}/information-requests`, ca, request, when.assessed);
    const store = api.app.get<EventStore>(EVENT_STORE);
    const requested = (await collect(store.readStream(`case-${central}`))).find(
      (e) => e.type === 'InformationRequested',
    );
    const requestId = String((requested?.data as { requestId?: string } | undefined)?.requestId);
    expect((await actionsOf(central, ca)).map((action) => action.command)).toContain('RecordInformationReceived');
    await ok(
      `/cases/${central}/information-responses`,
      ca,
      { requestId, summary: 'The crime report was received.' },
      when.listed,
    );
  });

  it('reviews a negative central decision by another caseworker, and reconsiders a negative RG decision', async () => {
    const negative = await raise(referral(LONDON), londonLead);
    await ok(`/cases/${negative}/reasonable-grounds-decision`, ca, grounds('negative'), when.assessed);
    await ok(
      `/cases/${negative}/reconsideration-requests`,
      londonLead,
      { requestedBy: 'first-responder', grounds: 'New medical evidence supports the account.' },
      when.listed,
    );
    expect((await api.request('GET', `/cases/${negative}/file`, { token: ca })).body).toMatchObject({
      status: 'referred',
    });

    const central = await raise(referral(LONDON), londonLead);
    await ok(`/cases/${central}/reasonable-grounds-decision`, ca, grounds('positive'), when.assessed);
    await ok(`/cases/${central}/decisions`, ca, conclusive('negative'), when.decided);
    const review = { outcome: 'upheld', rationale: 'The decision weighed the evidence on file fairly.' };
    expectProblem(await post(`/cases/${central}/second-review`, ca, review, when.closed), 422, {
      rule: 'second-reviewer-took-part',
    });
    expectProblem(await post(`/cases/${central}/second-review`, caseManager, review, when.closed), 403);
    await ok(`/cases/${central}/second-review`, otherCa, review, when.closed);
    expect((await api.request('GET', `/cases/${central}/file`, { token: ca })).body).toMatchObject({
      status: 'negative-upheld',
      decision: { decidedBy: { kind: 'competent-authority', decisionMakerId: 'ca-1' } },
    });
  });
});

describe('routing referrals by configuration (HARBOUR_WORKFLOW_ROUTES)', () => {
  it('starts new London referrals under the pilot once routed there; a case raised before stays central', async () => {
    const data = tempDir('harbour-routes-');
    try {
      const before = await startApi({ env: { HARBOUR_DATA_DIR: data.path } });
      let central: string;
      try {
        before.clock.set(when.now);
        const londonLead = await before.token('lead', { userId: 'lead-7', region: 'london' });
        const raised = await before.request('POST', '/cases', {
          token: londonLead,
          body: referral(LONDON),
          headers: { 'x-occurred-at': when.raised },
        });
        expect(raised.status).toBe(201);
        central = String(raised.body.caseId);
      } finally {
        await before.close();
      }

      // The same data, London now routed to the pilot.
      const after = await startApi({
        env: { HARBOUR_DATA_DIR: data.path, HARBOUR_WORKFLOW_ROUTES: 'london=nrm-pilot-2015, wales=nrm-central-2015' },
      });
      try {
        after.clock.set(when.now);
        const londonLead = await after.token('lead', { userId: 'lead-7', region: 'london' });
        const ca = await after.token('competent-authority', { userId: 'ca-1', agency: 'uk-human-trafficking-centre' });
        const post = (path: string, token: string, body: unknown, at: string) =>
          after.request('POST', path, { token, body, headers: { 'x-occurred-at': at } });

        const workflows = await after.request<{ items: { id: string; regions: string[] }[] }>('GET', '/workflows', {
          token: ca,
        });
        expect(workflows.body.items.find((w) => w.id === 'nrm-pilot-2015')?.regions).toEqual([
          'south-west',
          'west-yorkshire',
          'london',
        ]);
        const centralRoute = await after.request('GET', '/workflows/nrm-central-2015', { token: ca });
        expect(centralRoute.body.regions).not.toContain('london');
        expect(centralRoute.body.regions).toContain('wales');

        // The case raised before the change runs on under the central route.
        expect(
          (await post(`/cases/${central}/reasonable-grounds-decision`, ca, grounds('positive'), when.assessed)).status,
        ).toBe(200);
        const refused = await post(`/cases/${central}/lead-assessment`, londonLead, assessment(), when.assessed);
        expect({ status: refused.status, rule: refused.body.rule }).toEqual({
          status: 422,
          rule: 'command-not-allowed-in-state',
        });

        // A new London case starts under the pilot.
        const raised = await post('/cases', londonLead, referral(LONDON), when.raised);
        expect(raised.status).toBe(201);
        const pilot = String(raised.body.caseId);
        expect((await post(`/cases/${pilot}/lead-assessment`, londonLead, assessment(), when.assessed)).status).toBe(
          200,
        );
        const store = after.app.get<EventStore>(EVENT_STORE);
        const [pilotRaised] = await collect(store.readStream(`case-${pilot}`));
        const [centralRaised] = await collect(store.readStream(`case-${central}`));
        expect(pilotRaised.data.workflow).toEqual({ id: 'nrm-pilot-2015', version: 1 });
        expect(centralRaised.data.workflow).toEqual({ id: 'nrm-central-2015', version: 1 });
      } finally {
        await after.close();
      }
    } finally {
      data.remove();
    }
  });

  it.each([
    ['atlantis=nrm-pilot-2015', 'HARBOUR_WORKFLOW_ROUTES: unknown region "atlantis"'],
    ['london=nrm-2099', 'HARBOUR_WORKFLOW_ROUTES: unknown workflow "nrm-2099" for london'],
    ['london', 'HARBOUR_WORKFLOW_ROUTES: "london" is not region=workflow-id'],
    ['london=nrm-pilot-2015,london=nrm-central-2015', 'HARBOUR_WORKFLOW_ROUTES: london is routed twice'],
  ])('refuses to build the app with HARBOUR_WORKFLOW_ROUTES=%s', async (setting, message) => {
    await expect(startApi({ env: { HARBOUR_WORKFLOW_ROUTES: setting } })).rejects.toThrow(message);
  });

  it('stops `npm start` with exit code 78 and a message naming the setting', () => {
    const data = tempDir('harbour-bad-routes-');
    try {
      const root = join(__dirname, '../../..');
      const started = spawnSync(process.execPath, ['-r', '@swc-node/register', 'apps/api/src/main.ts'], {
        cwd: root,
        encoding: 'utf8',
        timeout: 60_000,
        env: {
          PATH: process.env.PATH,
          HARBOUR_DATA_DIR: data.path,
          HARBOUR_PORT: '0',
          HARBOUR_JWT_SECRET: 'harbour-test-secret-harbour-test-secret-0123456789',
          HARBOUR_WORKFLOW_ROUTES: 'london=no-such-workflow',
        },
      });
      expect({ status: started.status, stderr: started.stderr }).toEqual({
        status: 78,
        stderr: 'Harbour cannot start: HARBOUR_WORKFLOW_ROUTES: unknown workflow "no-such-workflow" for london\n',
      });
    } finally {
      data.remove();
    }
  });
});
