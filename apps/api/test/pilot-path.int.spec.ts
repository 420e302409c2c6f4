import { randomUUID } from 'node:crypto';
import { collect } from '@harbour/testing';
import { EVENT_STORE, type EventStore } from '@harbour/event-store';
import { startApi, type ApiHarness, type ApiResponse } from './support/api-harness';
import { MEMBERS, PANEL_ID, assessment, convening, decision, listing, referral, when } from './support/pilot-path';

/**
 * The pilot scheme over real HTTP against a real SQLite file: one referral carried from raised to
 * closed, and every refusal on the way, with status codes and problem bodies.
 */
describe('the pilot path over HTTP', () => {
  let api: ApiHarness;
  let lead: string;
  let caseManager: string;
  let chair: string;

  beforeAll(async () => {
    api = await startApi();
    api.clock.set(when.now);
    lead = await api.token('lead', { userId: 'lead-1' });
    caseManager = await api.token('case-manager', { userId: 'cm-1' });
    chair = await api.token('panel-chair', { userId: 'chair-1', panels: [PANEL_ID] });
  });
  afterAll(() => api.close());

  const post = (path: string, token: string, body: unknown, at: string, headers: Record<string, string> = {}) =>
    api.request('POST', path, { token, body, headers: { 'x-occurred-at': at, ...headers } });

  function expectProblem(response: ApiResponse, status: number, extra: Record<string, unknown> = {}) {
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(response.body).toMatchObject({
      status,
      type: expect.stringMatching(/^https:\/\//),
      title: expect.any(String),
      ...extra,
    });
    expect(response.status).toBe(status);
  }

  async function raise(body = referral(), token = lead): Promise<string> {
    const response = await post('/cases', token, body, when.raised);
    expect(response.status).toBe(201);
    return String(response.body.caseId);
  }

  async function toListed(): Promise<string> {
    const caseId = await raise();
    expect((await post(`/cases/${caseId}/lead-assessment`, lead, assessment(), when.assessed)).status).toBe(200);
    expect((await post(`/cases/${caseId}/panel-listing`, caseManager, listing(), when.listed)).status).toBe(200);
    return caseId;
  }

  async function toConvened(): Promise<string> {
    const caseId = await toListed();
    expect((await post(`/cases/${caseId}/panel-convening`, chair, convening(), when.meeting)).status).toBe(200);
    return caseId;
  }

  it('carries a referral from ReferralRaised to CaseClosed', async () => {
    const raised = await post('/cases', lead, referral(), when.raised);
    expect(raised.status).toBe(201);
    const caseId = String(raised.body.caseId);
    expect(raised.headers.get('location')).toBe(`/cases/${caseId}`);
    expect(raised.headers.get('etag')).toBe('"0"');
    expect(raised.body).toMatchObject({ revision: '0', position: expect.stringMatching(/^\d+$/) });

    const actions = await api.request('GET', `/cases/${caseId}/actions`, { token: lead });
    expect(actions.status).toBe(200);
    expect(actions.body).toMatchObject({ status: 'referred', workflow: { id: 'nrm-pilot-2015', version: 1 } });
    expect((actions.body.actions as { command: string }[]).map((a) => a.command)).toContain('RecordLeadAssessment');

    const steps: Array<[string, string, unknown, string]> = [
      [
        `/cases/${caseId}/immediate-support`,
        lead,
        { kinds: ['accommodation', 'medical'], provider: 'The Salvation Army' },
        when.raised,
      ],
      [`/cases/${caseId}/lead-assessment`, lead, assessment('positive'), when.assessed],
      [
        `/cases/${caseId}/evidence`,
        caseManager,
        { kind: 'police-report', description: 'Crime report 55/1234/15' },
        when.listed,
      ],
      [`/cases/${caseId}/panel-listing`, caseManager, listing(), when.listed],
      [`/cases/${caseId}/panel-convening`, chair, convening(), when.meeting],
      [`/cases/${caseId}/decisions`, chair, decision('positive'), when.decided],
      [`/cases/${caseId}/closure`, caseManager, { notes: 'Move-on support arranged.' }, when.closed],
    ];
    let revision = 0;
    let lastPosition = '';
    for (const [path, token, body, at] of steps) {
      const response = await post(path, token, body, at, { 'if-match': `"${revision}"` });
      expect({ path, status: response.status, body: response.body }).toMatchObject({ path, status: 200 });
      revision = Number(response.body.revision);
      lastPosition = String(response.body.position);
      expect(response.headers.get('etag')).toBe(`"${revision}"`);
    }

    const closed = await api.request('GET', `/cases/${caseId}/file`, { token: caseManager });
    expect(closed.status).toBe(200);
    expect(closed.headers.get('etag')).toBe(`"${revision}"`);
    expect(closed.body).toMatchObject({ caseId, status: 'closed', workflow: { id: 'nrm-pilot-2015', version: 1 } });

    // The read model, read with the position the last command returned, agrees.
    const summary = await api.request('GET', `/cases/${caseId}`, {
      token: caseManager,
      headers: { 'x-min-position': lastPosition },
    });
    expect(summary.status).toBe(200);
    expect(summary.headers.get('etag')).toBe(`"${revision}"`);
    expect(summary.body).toMatchObject({ caseId, status: 'closed', decisionOutcome: 'positive', region: 'south-west' });
    expect(summary.body).not.toHaveProperty('subject');
    const decisions = await api.request<Record<string, unknown>[]>('GET', `/cases/${caseId}/decisions`, {
      token: caseManager,
      headers: { 'x-min-position': lastPosition },
    });
    expect(decisions.status).toBe(200);
    expect(decisions.body).toHaveLength(1);
    expect(decisions.body[0]).toMatchObject({ outcome: 'positive', standardOfProof: 'balance-of-probabilities' });

    const store = api.app.get<EventStore>(EVENT_STORE);
    const events = await collect(store.readStream(`case-${caseId}`));
    expect(events.map((e) => e.type)).toEqual([
      'ReferralRaised',
      'ImmediateSupportArranged',
      'LeadAssessmentRecorded',
      'EvidenceAdded',
      'CaseListedForPanel',
      'PanelConvened',
      'DecisionRecorded',
      'CaseClosed',
    ]);
    const decided = events.find((e) => e.type === 'DecisionRecorded')!;
    expect(decided.data).toMatchObject({ outcome: 'positive', standardOfProof: 'balance-of-probabilities' });
    expect(decided.metadata).toMatchObject({
      actor: { userId: 'chair-1', role: 'panel-chair' },
      occurredAt: when.decided,
      workflow: { id: 'nrm-pilot-2015', version: 1 },
      schemaVersion: 1,
    });

    const after = await post(
      `/cases/${caseId}/evidence`,
      caseManager,
      { kind: 'other', description: 'Late' },
      when.now,
    );
    expectProblem(after, 422, { rule: 'case-closed' });
  });

  it('takes a negative decision through second review and reconsideration', async () => {
    const caseId = await toConvened();
    expect((await post(`/cases/${caseId}/decisions`, chair, decision('negative'), when.decided)).status).toBe(200);

    const tookPart = await post(
      `/cases/${caseId}/second-review`,
      chair,
      { outcome: 'upheld', rationale: 'The decision stands on the evidence.' },
      when.closed,
    );
    expectProblem(tookPart, 422, { rule: 'second-reviewer-took-part' });

    const review = await post(
      `/cases/${caseId}/second-review`,
      caseManager,
      { outcome: 'upheld', rationale: 'The decision stands on the evidence.' },
      when.closed,
    );
    expect(review.status).toBe(200);
    const reconsider = await post(
      `/cases/${caseId}/reconsideration-requests`,
      lead,
      { requestedBy: 'first-responder', grounds: 'New medical evidence supports the account.' },
      when.now,
    );
    expect(reconsider.status).toBe(200);
    expect((await api.request('GET', `/cases/${caseId}/file`, { token: lead })).body).toMatchObject({
      status: 'recovery',
    });
  });

  it('suspends, resumes and withdraws an adult referral; a child cannot withdraw', async () => {
    const caseId = await raise();
    expect(
      (await post(`/cases/${caseId}/suspension`, caseManager, { reason: 'subject-missing' }, when.assessed)).status,
    ).toBe(200);
    expect((await api.request('GET', `/cases/${caseId}/file`, { token: lead })).body).toMatchObject({
      status: 'suspended',
    });
    expect((await post(`/cases/${caseId}/resumption`, caseManager, {}, when.assessed)).status).toBe(200);
    expect((await post(`/cases/${caseId}/withdrawal`, lead, { basis: 'written-request' }, when.assessed)).status).toBe(
      200,
    );
    expect((await api.request('GET', `/cases/${caseId}/file`, { token: lead })).body).toMatchObject({
      status: 'withdrawn',
    });

    const child = await raise(
      referral({
        ageGroup: 'child',
        ageGroupAtExploitation: 'child',
        consent: { given: false },
        localAuthorityContact: { authority: 'Dorset Council', name: 'Duty social worker' },
        subject: { ...(referral().subject as object), dateOfBirth: '2001-05-05' },
      }),
    );
    expectProblem(await post(`/cases/${child}/withdrawal`, lead, { basis: 'written-request' }, when.assessed), 422, {
      rule: 'only-adults-may-withdraw',
    });
  });

  it('files an anonymous Duty to Notify report, and refuses one for a child', async () => {
    const dtn = {
      region: 'south-west',
      policeForceArea: 'dorset',
      ageGroup: 'adult',
      gender: 'male',
      nationality: 'VNM',
      exploitationTypes: ['criminal'],
      exploitationLocation: 'uk',
      reportingAgency: 'Dorset Police',
      firstResponderType: 'police',
      refusalReason: 'fear-of-exploiters',
    };
    const dorsetLead = await api.token('lead', { userId: 'lead-1', agency: 'dorset-police' });
    const filed = await post('/duty-to-notify-reports', dorsetLead, dtn, when.now);
    expect(filed.status).toBe(201);
    expect(filed.body).toMatchObject({ reportId: expect.any(String), revision: '0', anonymous: true });
    expectProblem(await post('/duty-to-notify-reports', dorsetLead, { ...dtn, ageGroup: 'child' }, when.now), 422, {
      rule: 'dtn-adults-only',
    });
  });

  describe('refusals', () => {
    it('adult referral without consent: 422 adult-consent-required', async () => {
      expectProblem(await post('/cases', lead, referral({ consent: { given: false } }), when.raised), 422, {
        rule: 'adult-consent-required',
      });
    });

    it('child referral without a local authority contact: 422', async () => {
      const body = referral({ ageGroup: 'child', ageGroupAtExploitation: 'child', consent: { given: false } });
      body.subject = { ...(body.subject as object), dateOfBirth: '2001-05-05' };
      expectProblem(await post('/cases', lead, body, when.raised), 422, {
        rule: 'child-needs-local-authority-contact',
      });
    });

    it("an adult's support from children's services: 422 support-provider-for-age-group", async () => {
      const caseId = await raise();
      expectProblem(
        await post(
          `/cases/${caseId}/immediate-support`,
          lead,
          { kinds: ['accommodation'], provider: 'Dorset Council' },
          when.assessed,
        ),
        422,
        { rule: 'support-provider-for-age-group' },
      );
    });

    it('a police force outside the region: 422 force-not-in-region', async () => {
      expectProblem(await post('/cases', lead, referral({ policeForceArea: 'west-yorkshire' }), when.raised), 422, {
        rule: 'force-not-in-region',
      });
    });

    it('a lead raising a referral in another region: 403', async () => {
      const other = await api.token('lead', { region: 'west-yorkshire' });
      expectProblem(await post('/cases', other, referral(), when.raised), 403);
    });

    it('a lead acting on a case outside their region: 403; reading it: 404, as for an unknown case', async () => {
      const caseId = await raise();
      const other = await api.token('lead', { region: 'west-yorkshire' });
      expectProblem(await post(`/cases/${caseId}/lead-assessment`, other, assessment(), when.assessed), 403);
      expectProblem(await api.request('GET', `/cases/${caseId}/file`, { token: other }), 404);
    });

    it('a role that may not issue the command: 403', async () => {
      const caseId = await raise();
      expectProblem(await post(`/cases/${caseId}/lead-assessment`, caseManager, assessment(), when.assessed), 403);
    });

    it('a command on a case that does not exist: 404', async () => {
      expectProblem(await post(`/cases/${randomUUID()}/lead-assessment`, lead, assessment(), when.assessed), 404);
      expectProblem(await api.request('GET', `/cases/${randomUUID()}`, { token: lead }), 404);
    });

    it('a panel with less than 7 days notice, unless urgent with a reason: 422 panel-notice-7-days', async () => {
      const caseId = await raise();
      await post(`/cases/${caseId}/lead-assessment`, lead, assessment(), when.assessed);
      const short = listing({ meetingAt: '2015-10-05T10:00:00.000Z' });
      expectProblem(await post(`/cases/${caseId}/panel-listing`, caseManager, short, when.listed), 422, {
        rule: 'panel-notice-7-days',
      });
      const urgent = { ...short, urgent: true, urgencyReason: 'Subject is about to leave the country' };
      expect((await post(`/cases/${caseId}/panel-listing`, caseManager, urgent, when.listed)).status).toBe(200);
    });

    it('a panel without quorum: 422 panel-quorum-5', async () => {
      const caseId = await toListed();
      expectProblem(
        await post(`/cases/${caseId}/panel-convening`, chair, convening(MEMBERS.slice(0, 4)), when.meeting),
        422,
        {
          rule: 'panel-quorum-5',
        },
      );
    });

    it('a conflicted member does not count toward quorum and may not vote', async () => {
      const caseId = await toListed();
      const conflicted = MEMBERS.map((m, i) => (i === 0 ? { ...m, conflictDeclared: true } : m));
      expectProblem(await post(`/cases/${caseId}/panel-convening`, chair, convening(conflicted), when.meeting), 422, {
        rule: 'panel-quorum-5',
      });
      const six = [
        ...conflicted,
        { memberId: 'm-bf', agency: 'Border Force', discipline: 'border-force', conflictDeclared: false },
      ];
      expect((await post(`/cases/${caseId}/panel-convening`, chair, convening(six), when.meeting)).status).toBe(200);
      const withConflictedVote = {
        ...decision('positive', six),
        votes: six.map((m) => ({ memberId: m.memberId, vote: 'positive' })),
      };
      expectProblem(await post(`/cases/${caseId}/decisions`, chair, withConflictedVote, when.decided), 422, {
        rule: 'conflicted-member-excluded',
      });
    });

    it('a chair who declared a conflict cannot convene: 422 panel-needs-independent-chair', async () => {
      const caseId = await toListed();
      expectProblem(
        await post(
          `/cases/${caseId}/panel-convening`,
          chair,
          { ...convening(), chairDeclaredConflict: true },
          when.meeting,
        ),
        422,
        { rule: 'panel-needs-independent-chair' },
      );
    });

    it('a panel chair not on the listed panel: 403', async () => {
      const caseId = await toListed();
      const stranger = await api.token('panel-chair', { panels: ['west-yorkshire-panel'] });
      expectProblem(await post(`/cases/${caseId}/panel-convening`, stranger, convening(), when.meeting), 403);
    });

    it('a decision before the recovery period ran, without rationale, or before convening: 422', async () => {
      const listed = await toListed();
      expectProblem(await post(`/cases/${listed}/decisions`, chair, decision(), when.decided), 422, {
        rule: 'needs-convened-panel',
      });
      const caseId = await toConvened();
      expectProblem(
        await post(`/cases/${caseId}/decisions`, chair, { ...decision(), rationale: 'Too short.' }, when.decided),
        422,
        {
          rule: 'written-rationale-required',
        },
      );
      // A panel that sat on 10 October, before the recovery period ended on 17 October.
      const early = await raise();
      await post(`/cases/${early}/lead-assessment`, lead, assessment(), when.assessed);
      const meetingAt = '2015-10-10T10:00:00.000Z';
      await post(`/cases/${early}/panel-listing`, caseManager, listing({ meetingAt }), when.listed);
      expect((await post(`/cases/${early}/panel-convening`, chair, convening(), meetingAt)).status).toBe(200);
      expectProblem(await post(`/cases/${early}/decisions`, chair, decision(), '2015-10-12T10:00:00.000Z'), 422, {
        rule: 'recovery-period-not-elapsed',
      });
      // And never dated before the entries already on the case.
      expectProblem(await post(`/cases/${caseId}/decisions`, chair, decision(), '2015-10-10T10:00:00.000Z'), 422, {
        rule: 'business-time-before-last-entry',
      });
    });

    it('a decision without a positive lead assessment: 422', async () => {
      const caseId = await raise();
      await post(`/cases/${caseId}/lead-assessment`, lead, assessment('negative'), when.assessed);
      expectProblem(await post(`/cases/${caseId}/panel-listing`, caseManager, listing(), when.listed), 422, {
        rule: 'needs-positive-lead-assessment',
      });
    });

    it('a stale If-Match: 412 with the current revision; a stale write: nothing appended', async () => {
      const caseId = await raise();
      const stale = await post(`/cases/${caseId}/lead-assessment`, lead, assessment(), when.assessed, {
        'if-match': '"7"',
      });
      expectProblem(stale, 412, { currentRevision: '0' });
      expect((await api.request('GET', `/cases/${caseId}/file`, { token: lead })).headers.get('etag')).toBe('"0"');
    });

    it('no token: 401 with WWW-Authenticate', async () => {
      const response = await api.request('POST', '/cases', { body: referral() });
      expectProblem(response, 401);
      expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
    });

    it('an auditor or analyst issues no command: 403', async () => {
      for (const role of ['auditor', 'analyst'] as const) {
        expectProblem(await post('/cases', await api.token(role), referral(), when.raised), 403);
      }
    });
  });

  describe('Idempotency-Key', () => {
    it('a retry returns the first response and writes nothing', async () => {
      const headers = { 'idempotency-key': `raise-${randomUUID()}` };
      const first = await post('/cases', lead, referral(), when.raised, headers);
      const retry = await post('/cases', lead, referral(), when.raised, headers);
      expect(first.status).toBe(201);
      expect(retry.status).toBe(201);
      expect(retry.body).toEqual(first.body);
      expect(retry.headers.get('idempotent-replayed')).toBe('true');
      const store = api.app.get<EventStore>(EVENT_STORE);
      expect(await collect(store.readStream(`case-${String(first.body.caseId)}`))).toHaveLength(1);
    });

    it('the same key with another body is 422 idempotency-key-reused', async () => {
      const headers = { 'idempotency-key': `raise-${randomUUID()}` };
      expect((await post('/cases', lead, referral(), when.raised, headers)).status).toBe(201);
      expectProblem(
        await post('/cases', lead, referral({ account: 'A different account of events.' }), when.raised, headers),
        422,
        {
          rule: 'idempotency-key-reused',
        },
      );
    });

    it('a command stored whose answer was lost: a retry answers as stored, another body is 422', async () => {
      const store = api.app.get<EventStore>(EVENT_STORE);
      const append = store.appendToStream.bind(store);
      // The append commits, then the request fails before it is answered, as when the process or
      // the connection dies there: the key is released, and only the stored events remember it.
      const lostAnswer = jest.spyOn(store, 'appendToStream').mockImplementationOnce(async (...args) => {
        await append(...args);
        throw new Error('the answer was lost after the append');
      });
      const headers = { 'idempotency-key': `lost-${randomUUID()}` };
      try {
        expect((await post('/cases', lead, referral(), when.raised, headers)).status).toBe(500);
      } finally {
        lostAnswer.mockRestore();
      }
      const [stored] = await collect(store.readAll({ direction: 'backwards', maxCount: 1 }));
      expect(stored.type).toBe('ReferralRaised');

      const other = referral({ account: 'A different account of events.' });
      expectProblem(await post('/cases', lead, other, when.raised, headers), 422, { rule: 'idempotency-key-reused' });
      const retry = await post('/cases', lead, referral(), when.raised, headers);
      expect({ status: retry.status, etag: retry.headers.get('etag'), body: retry.body }).toEqual({
        status: 201,
        etag: '"0"',
        body: { caseId: stored.data.caseId, revision: '0', position: String(stored.position) },
      });
      expect(await collect(store.readStream(stored.stream))).toHaveLength(1);
    });

    it('keys are per user: another user may use the same key', async () => {
      const key = { 'idempotency-key': `shared-${randomUUID()}` };
      const a = await post('/cases', lead, referral(), when.raised, key);
      const b = await post('/cases', await api.token('lead', { userId: 'lead-2' }), referral(), when.raised, key);
      expect(a.status).toBe(201);
      expect(b.status).toBe(201);
      expect(b.body.caseId).not.toBe(a.body.caseId);
    });
  });
});
