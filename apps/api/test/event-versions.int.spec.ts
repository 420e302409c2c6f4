import { EVENT_STORE, type EventStore, type JsonObject, type RecordedEvent } from '@harbour/event-store';
import { PERSONAL_DATA } from '@harbour/application';
import { chainEvents, headHashOf } from '@harbour/audit';
import type { PersonalDataProtector } from '@harbour/privacy';
import { collect } from '@harbour/testing';
import { startApi, type ApiHarness } from './support/api-harness';
import { MEETING_ID, PANEL_ID, assessment, listing, referral, when } from './support/pilot-path';

/**
 * LeadAssessmentRecorded v2: new events are written as v2, and a v1 event stored by an earlier
 * build still loads everywhere: when the next command is decided, in the audit history and its
 * replay, and in the read models.
 */
describe('stored event versions', () => {
  let api: ApiHarness;
  let store: EventStore;
  let lead: string;
  let caseManager: string;
  let auditor: string;

  beforeAll(async () => {
    api = await startApi();
    api.clock.set(when.now);
    store = api.app.get<EventStore>(EVENT_STORE);
    lead = await api.token('lead', { userId: 'lead-1' });
    caseManager = await api.token('case-manager', { userId: 'cm-1' });
    auditor = await api.token('auditor', { userId: 'auditor-1' });
  });
  afterAll(() => api.close());

  const post = (path: string, token: string, body: unknown, at: string) =>
    api.request('POST', path, { token, body, headers: { 'x-occurred-at': at } });

  async function raise(): Promise<string> {
    const response = await post('/cases', lead, referral(), when.raised);
    expect(response.status).toBe(201);
    return String(response.body.caseId);
  }

  const streamOf = (caseId: string) => collect(store.readStream(`case-${caseId}`));

  it('writes a new lead assessment as v2, naming the standard of proof and the guidance', async () => {
    const caseId = await raise();
    expect((await post(`/cases/${caseId}/lead-assessment`, lead, assessment(), when.assessed)).status).toBe(200);

    const [raised, assessed] = await streamOf(caseId);
    expect(raised.metadata.schemaVersion).toBe(2);
    expect(raised.data).toMatchObject({ referringAgency: 'dorset-police' });
    expect(assessed.metadata.schemaVersion).toBe(2);
    expect(assessed.data).toMatchObject({
      standardOfProof: 'reasonable-grounds-to-believe',
      guidanceVersion: 'nrm-competent-bodies-guidance-2015',
    });
  });

  it('loads a v1 assessment an earlier build stored: for the next command, the audit history and the read models', async () => {
    const caseId = await raise();
    const [raised] = await streamOf(caseId);
    await appendAsEarlierBuild(raised, {
      caseId,
      assessmentId: '0b6f3c1e-8a2d-4e5f-9a6b-7c8d9e0f1a2b',
      assessedAt: when.assessed,
      assessorId: 'lead-1',
      outcome: 'positive',
      rationale: assessment().rationale,
      recoveryPeriod: { startsAt: when.assessed, endsAt: '2015-10-17T09:00:00.000Z', days: 45 },
    });

    // The write side folds it: listing needs the positive assessment's recovery period.
    const listed = await post(`/cases/${caseId}/panel-listing`, caseManager, listing(), when.listed);
    expect(listed.status).toBe(200);
    const stream = await streamOf(caseId);
    expect(stream.map((event) => [event.type, event.metadata.schemaVersion])).toEqual([
      ['ReferralRaised', 2],
      ['LeadAssessmentRecorded', 1],
      ['CaseListedForPanel', 1],
    ]);

    // The audit replay folds it with the same decoding.
    const asAssessed = await api.request('GET', `/cases/${caseId}/state?revision=1`, { token: auditor });
    expect(asAssessed.status).toBe(200);
    expect(asAssessed.body.state).toMatchObject({ status: 'recovery' });
    const history = await api.request('GET', `/cases/${caseId}/history`, { token: auditor });
    expect(history.status).toBe(200);
    expect((history.body.items as { type: string }[]).map((item) => item.type)).toEqual([
      'ReferralRaised',
      'LeadAssessmentRecorded',
      'CaseListedForPanel',
    ]);

    // The read models project it.
    const read = await api.request('GET', `/cases/${caseId}`, {
      token: caseManager,
      headers: { 'x-min-position': String(listed.body.position) },
    });
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ status: 'listed', panelId: PANEL_ID });
  });

  it('loads a panel an earlier build convened with free-text organisations: the panel decides, reads name the registry organisations', async () => {
    const caseId = await raise();
    expect((await post(`/cases/${caseId}/lead-assessment`, lead, assessment(), when.assessed)).status).toBe(200);
    expect((await post(`/cases/${caseId}/panel-listing`, caseManager, listing(), when.listed)).status).toBe(200);
    const listed = (await streamOf(caseId)).at(-1) as RecordedEvent;
    const v1Member = (memberId: string, agency: string, discipline: string) => ({
      memberId,
      agency,
      discipline,
      conflictDeclared: false,
    });
    await appendAsEarlierBuild(
      listed,
      {
        caseId,
        panelId: PANEL_ID,
        meetingId: MEETING_ID,
        convenedAt: when.meeting,
        chair: { chairId: 'chair-1', agency: 'Independent chair' },
        members: [
          v1Member('m-police', 'Dorset Police', 'police'),
          v1Member('m-nhs', 'NHS Dorset', 'health'),
          v1Member('m-la', 'dorset council', 'local-authority'),
          v1Member('m-glaa', 'Gangmasters Licensing Authority', 'gangmasters-licensing-authority'),
          v1Member('m-ukvi', 'UKVI', 'uk-visas-and-immigration'),
        ],
      },
      {
        type: 'PanelConvened',
        occurredAt: when.meeting,
        actor: {
          userId: 'chair-1',
          role: 'panel-chair',
          agency: 'Independent chair',
          region: 'south-west',
          panels: [PANEL_ID],
        },
      },
    );
    const [stored] = (await streamOf(caseId)).slice(-1);
    expect(stored.metadata.schemaVersion).toBe(1);

    // The write side folds it: the presiding chair records the panel's decision.
    const chair = await api.token('panel-chair', {
      userId: 'chair-1',
      agency: 'independent-chair',
      panels: [PANEL_ID],
    });
    const members = ['m-police', 'm-nhs', 'm-la', 'm-glaa', 'm-ukvi'];
    const decided = await post(
      `/cases/${caseId}/decisions`,
      chair,
      {
        outcome: 'positive',
        rationale: 'On the balance of probabilities the panel finds the person was a victim of labour exploitation.',
        evidenceReliedOn: [],
        votes: members.map((memberId) => ({ memberId, vote: 'positive' })),
        dissent: [],
      },
      when.decided,
    );
    expect({ status: decided.status, body: decided.body }).toMatchObject({ status: 200 });

    // The read models: registry ids with their names; the name the registry does not know, as typed.
    const decisions = await api.request<{ membersPresent: Record<string, unknown>[] }[]>(
      'GET',
      `/cases/${caseId}/decisions`,
      { token: caseManager, headers: { 'x-min-position': String(decided.body.position) } },
    );
    expect(decisions.status).toBe(200);
    expect(decisions.body[0].membersPresent).toEqual([
      { memberId: 'm-police', agency: 'dorset-police', agencyName: 'Dorset Police', discipline: 'police' },
      { memberId: 'm-nhs', agency: 'NHS Dorset', agencyName: null, discipline: 'health' },
      { memberId: 'm-la', agency: 'dorset-council', agencyName: 'Dorset Council', discipline: 'local-authority' },
      { memberId: 'm-glaa', agency: 'glaa', agencyName: 'GLAA', discipline: 'gangmasters-licensing-authority' },
      {
        memberId: 'm-ukvi',
        agency: 'uk-visas-and-immigration',
        agencyName: 'UK Visas and Immigration',
        discipline: 'uk-visas-and-immigration',
      },
    ]);
    // Nothing stored was rewritten.
    const after = await streamOf(caseId);
    expect(after.find((event) => event.type === 'PanelConvened')?.data).toMatchObject({
      chair: { agency: 'Independent chair' },
    });
  });

  /** What a build before v2 appended: v1 data, sealed and chained as the write path does. */
  async function appendAsEarlierBuild(
    previous: RecordedEvent,
    data: JsonObject,
    {
      type = 'LeadAssessmentRecorded',
      occurredAt = when.assessed,
      actor = { userId: 'lead-1', role: 'lead', agency: 'Dorset Police', region: 'south-west', panels: [] },
    }: { type?: string; occurredAt?: string; actor?: JsonObject } = {},
  ): Promise<void> {
    const personalData = api.app.get<PersonalDataProtector>(PERSONAL_DATA);
    const [sealed] = await personalData.seal(previous.stream, [{ type, schemaVersion: 1, data }]);
    const metadata: JsonObject = {
      actor,
      occurredAt,
      correlationId: 'a1b2c3d4-0000-4000-8000-000000000001',
      causationId: crypto.randomUUID(),
      commandId: crypto.randomUUID(),
      workflow: previous.metadata.workflow ?? null,
      schemaVersion: 1,
    };
    const chained = chainEvents(headHashOf(previous), [{ id: crypto.randomUUID(), type, data: sealed, metadata }]);
    await store.appendToStream(previous.stream, chained, { expectedRevision: previous.revision });
  }
});
