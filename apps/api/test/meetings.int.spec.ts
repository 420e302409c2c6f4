import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import {
  DecisionLettersProcessManager,
  EventSchemaRegistry,
  LetterStore,
  NotificationSender,
  PERSONAL_DATA,
  smtpTransport,
} from '@harbour/application';
import { EVENT_STORE, type EventStore } from '@harbour/event-store';
import type { PersonalDataProtector } from '@harbour/privacy';
import { collect } from '@harbour/testing';
import { startApi, type ApiHarness, type ApiResponse } from './support/api-harness';
import { PANEL_ID, assessment, referral, when } from './support/pilot-path';
import { startSmtpSink } from './support/smtp-sink';

/**
 * One panel meeting over real HTTP against a real SQLite file: scheduled, three cases on the
 * agenda, packs issued, attendance recorded; one case decided, one deferred and relisted to the
 * next meeting, one adjourned; minutes approved. With the refusals a chair would meet on the way.
 * README "Panel meetings" walks through the same steps.
 */
describe('a panel meeting over HTTP', () => {
  let api: ApiHarness;
  let lead: string;
  let caseManager: string;
  let chair: string;
  let member: string;
  let stranger: string;
  const MEETING = randomUUID();
  const NEXT_MEETING = randomUUID();

  const MEMBERS = [
    { memberId: 'm-police', organisationId: 'dorset-police', discipline: 'police' },
    { memberId: 'm-nhs', organisationId: 'nhs-south-west', discipline: 'health' },
    { memberId: 'm-la', organisationId: 'dorset-council', discipline: 'local-authority' },
    { memberId: 'm-glaa', organisationId: 'glaa', discipline: 'gangmasters-licensing-authority' },
    { memberId: 'm-ukvi', organisationId: 'uk-visas-and-immigration', discipline: 'uk-visas-and-immigration' },
    { memberId: 'm-bf', organisationId: 'border-force', discipline: 'border-force' },
  ];
  const everyone = MEMBERS.map((m) => m.memberId);

  beforeAll(async () => {
    api = await startApi();
    api.clock.set(when.now);
    lead = await api.token('lead', { userId: 'lead-1' });
    caseManager = await api.token('case-manager', { userId: 'cm-1' });
    chair = await api.token('panel-chair', { userId: 'chair-1', panels: [PANEL_ID] });
    member = await api.token('panel-member', { userId: 'm-nhs', panels: [PANEL_ID] });
    stranger = await api.token('panel-member', { userId: 'm-elsewhere', panels: [PANEL_ID] });
  });
  afterAll(() => api.close());

  const post = (path: string, token: string, body: unknown, at: string) =>
    api.request('POST', path, { token, body, headers: { 'x-occurred-at': at } });
  const ok = async (response: Promise<ApiResponse>, status = 200) => {
    const answer = await response;
    if (answer.status !== status) throw new Error(`${answer.status}: ${JSON.stringify(answer.body)}`);
    return answer;
  };
  function expectProblem(response: ApiResponse, status: number, rule?: string) {
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(response.status).toBe(status);
    if (rule) expect(response.body).toMatchObject({ rule });
  }

  const schedule = (meetingId: string, meetingAt: string) => ({
    meetingId,
    panelId: PANEL_ID,
    meetingAt,
    venue: { kind: 'remote', details: 'https://meet.example/south-west-panel' },
    chairId: 'chair-1',
    members: MEMBERS,
  });

  async function listedCase(): Promise<string> {
    const raised = await ok(post('/cases', lead, referral(), when.raised), 201);
    const caseId = String(raised.body.caseId);
    await ok(post(`/cases/${caseId}/lead-assessment`, lead, assessment(), when.assessed));
    await ok(
      post(
        `/cases/${caseId}/panel-listing`,
        caseManager,
        { panelId: PANEL_ID, meetingId: MEETING, meetingAt: when.meeting, urgent: false },
        when.listed,
      ),
    );
    return caseId;
  }

  const votes = (vote: string, ids = everyone) => ids.map((memberId) => ({ memberId, vote }));
  const decided = (caseId: string, voteList: unknown[], outcome = 'positive') => ({
    caseId,
    outcome: 'decided',
    decision: {
      decisionId: randomUUID(),
      outcome,
      rationale: 'On the balance of probabilities the panel finds the person was a victim of labour exploitation.',
      evidenceReliedOn: [],
      dissent: [],
    },
    votes: voteList,
  });

  it('walks one meeting: three cases, packs, attendance, decided, deferred and relisted, adjourned, minutes', async () => {
    // Scheduled, with members from registry organisations.
    await ok(post('/meetings', caseManager, schedule(MEETING, when.meeting), when.listed), 201);
    const [decidedCase, deferredCase, adjournedCase] = [await listedCase(), await listedCase(), await listedCase()];

    // Three cases on the agenda, a pack for each.
    for (const caseId of [decidedCase, deferredCase, adjournedCase]) {
      await ok(post(`/meetings/${MEETING}/agenda`, caseManager, { caseId }, when.listed));
      await ok(post(`/meetings/${MEETING}/packs`, caseManager, { caseId }, when.listed));
    }
    const pack = await ok(api.request('GET', `/meetings/${MEETING}/packs/${decidedCase}`, { token: member }));
    expect(pack.body).toMatchObject({
      caseId: decidedCase,
      summary: { ageGroup: 'adult', exploitationTypes: ['labour'] },
    });
    expect(JSON.stringify(pack.body)).not.toMatch(/07700|contact|Synthetic Person/);
    // The read is in the access log.
    const auditor = await api.token('auditor', { userId: 'auditor-1' });
    const log = await ok(
      api.request('GET', `/audit/access?caseId=${decidedCase}&from=2015-10-20T00:00:00Z&to=2015-11-10T00:00:00Z`, {
        token: auditor,
      }),
    );
    expect(JSON.stringify(log.body)).toContain('GET /meetings/:meetingId/packs/:caseId');

    // Attendance: everyone; the Border Force member declares a conflict on the adjourned case.
    await ok(
      post(
        `/meetings/${MEETING}/attendance`,
        chair,
        {
          attendees: everyone.map((memberId) => ({ memberId, conflicts: memberId === 'm-bf' ? [adjournedCase] : [] })),
        },
        when.meeting,
      ),
    );

    // Decided: the case records the decision and which meeting made it.
    await ok(post(`/meetings/${MEETING}/outcomes`, chair, decided(decidedCase, votes('positive')), when.decided));
    const onCase = await ok(api.request('GET', `/cases/${decidedCase}/file`, { token: chair }));
    expect(JSON.stringify(onCase.body)).toContain(MEETING);
    expect(onCase.body).toMatchObject({ status: 'decided-positive' });

    // Deferred with a reason: the case stays listed and goes on the next meeting's agenda.
    await ok(
      post(
        `/meetings/${MEETING}/outcomes`,
        chair,
        {
          caseId: deferredCase,
          outcome: 'deferred',
          votes: [],
          reason: 'Awaiting the answer to an information request',
        },
        when.decided,
      ),
    );
    await ok(post('/meetings', caseManager, schedule(NEXT_MEETING, '2015-11-10T10:00:00.000Z'), when.decided), 201);
    await ok(post(`/meetings/${NEXT_MEETING}/agenda`, caseManager, { caseId: deferredCase }, when.decided));
    const relisted = await ok(api.request('GET', `/cases/${deferredCase}/file`, { token: caseManager }));
    expect(relisted.body).toMatchObject({ status: 'listed', listing: { meetingId: NEXT_MEETING } });

    // Adjourned.
    await ok(
      post(
        `/meetings/${MEETING}/outcomes`,
        chair,
        { caseId: adjournedCase, outcome: 'adjourned', votes: [], reason: 'Time ran out' },
        when.decided,
      ),
    );

    await ok(
      post(
        `/meetings/${MEETING}/minutes`,
        chair,
        { minutes: `Decided ${decidedCase}; deferred ${deferredCase}; adjourned ${adjournedCase}.` },
        when.decided,
      ),
    );
    // Letters: the process manager turns the decision into a letter; the sender emails it over a
    // real SMTP server to the recipients the person and the definition allow.
    const smtp = await startSmtpSink();
    const letters = new LetterStore(join(api.config.dataDir, 'walk-letters.db'));
    try {
      const store = api.app.get<EventStore>(EVENT_STORE);
      const schemas = api.app.get(EventSchemaRegistry);
      const manager = new DecisionLettersProcessManager({
        store,
        schemas,
        personalData: api.app.get<PersonalDataProtector>(PERSONAL_DATA),
        letters,
        clock: api.clock,
        organisationMailbox: (id) => (id === 'dorset-police' ? 'modern-slavery@dorset-police.example' : undefined),
        messageIdDomain: 'letters.harbour.test',
      });
      const transport = smtpTransport({
        host: '127.0.0.1',
        port: smtp.port,
        secure: false,
        from: 'decisions@harbour.test',
      });
      await manager.tick();
      await new NotificationSender({ store, schemas, letters, clock: api.clock, transport }).tick();
      transport.close();
      const correspondence = await collect(store.readStream(`correspondence-${decidedCase}`));
      const conclusive = correspondence.find(
        (event) =>
          event.type === 'DecisionLetterIssued' &&
          (event.data as { decisionKind: string }).decisionKind === 'conclusive-grounds',
      );
      expect(conclusive?.data).toMatchObject({
        outcome: 'positive',
        recipients: [
          // Safe to post, but no postal address on file, and email marked unsafe: withheld.
          { recipient: 'person', channel: 'withheld' },
          { recipient: 'first-responder', channel: 'email' },
        ],
      });
      const emailed = [...smtp.mailbox.values()].filter((mail) => String(mail.parsed.subject).includes(decidedCase));
      expect(emailed.map((mail) => mail.to)).toContain('modern-slavery@dorset-police.example');
      expect(
        String(emailed.find((mail) => String(mail.parsed.html).includes('Conclusive grounds'))?.parsed.html),
      ).toContain(MEETING);
      expect(correspondence.filter((event) => event.type === 'NotificationSent').length).toBeGreaterThanOrEqual(2);
    } finally {
      letters.close();
      await smtp.close();
    }

    const meeting = await ok(api.request('GET', `/meetings/${MEETING}`, { token: member }));
    expect(meeting.body).toMatchObject({
      status: 'minuted',
      agenda: [
        { caseId: decidedCase, status: 'decided', packIssued: true },
        { caseId: deferredCase, status: 'deferred', packIssued: true },
        { caseId: adjournedCase, status: 'adjourned', packIssued: true },
      ],
    });
  });

  describe('refusals', () => {
    const REFUSALS = randomUUID();
    let caseId: string;

    beforeAll(async () => {
      await ok(post('/meetings', caseManager, schedule(REFUSALS, when.meeting), when.listed), 201);
      const raised = await ok(post('/cases', lead, referral(), when.raised), 201);
      caseId = String(raised.body.caseId);
      await ok(post(`/cases/${caseId}/lead-assessment`, lead, assessment(), when.assessed));
      await ok(
        post(
          `/cases/${caseId}/panel-listing`,
          caseManager,
          { panelId: PANEL_ID, meetingId: REFUSALS, meetingAt: when.meeting, urgent: false },
          when.listed,
        ),
      );
      await ok(post(`/meetings/${REFUSALS}/agenda`, caseManager, { caseId }, when.listed));
      await ok(post(`/meetings/${REFUSALS}/packs`, caseManager, { caseId }, when.listed));
    });

    const attend = (ids: string[], conflicted: string[] = []) =>
      ok(
        post(
          `/meetings/${REFUSALS}/attendance`,
          chair,
          {
            attendees: ids.map((memberId) => ({ memberId, conflicts: conflicted.includes(memberId) ? [caseId] : [] })),
          },
          when.meeting,
        ),
      );

    it('refuses a decision without a quorum of the meeting present and unconflicted', async () => {
      await attend(everyone, ['m-glaa', 'm-ukvi']);
      const response = await post(
        `/meetings/${REFUSALS}/outcomes`,
        chair,
        decided(caseId, votes('positive', ['m-police', 'm-nhs', 'm-la', 'm-bf'])),
        when.decided,
      );
      expectProblem(response, 422, 'panel-quorum-5');
    });

    it('refuses a decision when a discipline the definition names is missing, and names it', async () => {
      const noHealth = everyone.filter((id) => id !== 'm-nhs');
      await attend(noHealth);
      const response = await post(
        `/meetings/${REFUSALS}/outcomes`,
        chair,
        decided(caseId, votes('positive', noHealth)),
        when.decided,
      );
      expectProblem(response, 422, 'panel-discipline-missing');
      expect(String(response.body.detail)).toContain('health');
    });

    it('refuses an outcome the votes do not support, and nothing is written to the case', async () => {
      await attend(everyone);
      const split = everyone.map((memberId, i) => ({ memberId, vote: i < 2 ? 'positive' : 'negative' }));
      expectProblem(
        await post(`/meetings/${REFUSALS}/outcomes`, chair, decided(caseId, split, 'positive'), when.decided),
        422,
        'votes-do-not-support-outcome',
      );
      const tie = everyone.map((memberId, i) => ({ memberId, vote: i < 3 ? 'positive' : 'negative' }));
      expectProblem(
        await post(`/meetings/${REFUSALS}/outcomes`, chair, decided(caseId, tie, 'positive'), when.decided),
        422,
        'votes-do-not-support-outcome',
      );
      const state = await ok(api.request('GET', `/cases/${caseId}/file`, { token: caseManager }));
      expect(state.body).toMatchObject({ status: 'listed' });
    });

    it('refuses a pack to someone not on that meeting (403), and an unissued pack is 404', async () => {
      expectProblem(await api.request('GET', `/meetings/${REFUSALS}/packs/${caseId}`, { token: stranger }), 403);
      expectProblem(await api.request('GET', `/meetings/${REFUSALS}/packs/${randomUUID()}`, { token: member }), 404);
      expectProblem(await api.request('GET', `/meetings/${REFUSALS}/packs/${caseId}`, { token: caseManager }), 403);
    });

    it('answers bad input with 4xx problem details, never 500', async () => {
      expectProblem(
        await post(`/meetings/${REFUSALS}/outcomes`, chair, { caseId, outcome: 'maybe', votes: [] }, when.decided),
        400,
      );
      expectProblem(
        await post(
          `/meetings/${REFUSALS}/outcomes`,
          chair,
          { caseId: 'nope', outcome: 'deferred', votes: 'x' },
          when.decided,
        ),
        400,
      );
      expectProblem(
        await post(`/meetings/${REFUSALS}/outcomes`, chair, { caseId, outcome: 'decided', votes: [] }, when.decided),
        422,
      );
      expectProblem(
        await post(`/meetings/${REFUSALS}/outcomes`, chair, { caseId, outcome: 'deferred', votes: [] }, when.decided),
        422,
        'outcome-needs-reason',
      );
      expectProblem(await post(`/meetings/not-a-uuid/attendance`, chair, { attendees: [] }, when.meeting), 400);
      expectProblem(await post(`/meetings/${randomUUID()}/attendance`, chair, { attendees: [] }, when.meeting), 404);
      expectProblem(
        await post(
          '/meetings',
          caseManager,
          { ...schedule(randomUUID(), when.meeting), members: [{ ...MEMBERS[0], organisationId: 'acme-police' }] },
          when.listed,
        ),
        422,
        'unknown-organisation',
      );
      expectProblem(
        await post(
          '/meetings',
          caseManager,
          { ...schedule(randomUUID(), when.meeting), panelId: 'nowhere-panel' },
          when.listed,
        ),
        422,
        'unknown-panel',
      );
      expectProblem(await post(`/meetings/${REFUSALS}/attendance`, member, { attendees: [] }, when.meeting), 403);
      expectProblem(await api.request('GET', `/meetings/${randomUUID()}`, { token: member }), 404);
    });
  });
});
