import { collect } from '@harbour/testing';
import { EVENT_STORE, type EventStore, type RecordedEvent } from '@harbour/event-store';
import { READ_STORE, type ReadStore } from '@harbour/read-store';
import { CASE_READ_MODELS, DEADLINE_TIMERS } from '@harbour/projections';
import { FakeClock } from '@harbour/application';
import { DeadlineSchedulerHost } from '../src/projections/deadline-scheduler.host';
import { startApi, type ApiHarness } from './support/api-harness';
import { assessment, referral } from './support/pilot-path';

const HOUR_MS = 60 * 60 * 1000;

/**
 * Time travel: cases walked through simulated weeks on a fake clock, the deadline scheduler
 * ticking at every step as it would in production, over real HTTP and a real SQLite file. Each
 * missed deadline is recorded exactly once, met ones never, across weekends and bank holidays.
 */
describe('deadlines over simulated weeks', () => {
  let api: ApiHarness;
  let store: EventStore;
  let readStore: ReadStore;
  let lead: string;
  let caseManager: string;

  beforeEach(async () => {
    api = await startApi({ clock: new FakeClock(new Date('2026-04-02T10:00:00.000Z')) });
    store = api.app.get(EVENT_STORE);
    readStore = api.app.get(READ_STORE);
    lead = await api.token('lead', { userId: 'lead-1' });
    caseManager = await api.token('case-manager', { userId: 'cm-1' });
  });
  afterEach(() => api.close());

  /** Waits until both projections have read everything in the store. */
  async function settle(): Promise<void> {
    const head = await store.headPosition();
    for (const projection of [CASE_READ_MODELS.name, DEADLINE_TIMERS.name]) {
      for (let waited = 0; ((await readStore.checkpoint(projection))?.position ?? -1n) < head; waited += 5) {
        if (waited > 5000) throw new Error(`${projection} did not reach ${head}`);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    }
  }

  /** Moves the clock to `until` in steps, the scheduler polling at each as it would live. */
  async function walk(until: string, stepHours = 6): Promise<void> {
    const end = Date.parse(until);
    for (let at = api.clock.now().getTime(); at <= end; at += stepHours * HOUR_MS) {
      api.clock.set(new Date(at));
      await settle();
      await api.app.get(DeadlineSchedulerHost).scheduler.tick();
    }
    api.clock.set(new Date(end));
    await settle();
  }

  const eventsOf = async (caseId: string): Promise<RecordedEvent[]> => collect(store.readStream(`case-${caseId}`));
  const ofType = async (caseId: string, type: string) => (await eventsOf(caseId)).filter((e) => e.type === type);

  async function raise(token = lead, overrides: Record<string, unknown> = {}): Promise<string> {
    const response = await api.request('POST', '/cases', {
      token,
      body: referral({ consent: { given: true, recordedAt: api.clock.now().toISOString() }, ...overrides }),
    });
    expect(response.status).toBe(201);
    return String(response.body.caseId);
  }

  const command = async (token: string, path: string, body: unknown) => {
    const response = await api.request('POST', path, { token, body });
    expect({ path, status: response.status, body: response.body }).toMatchObject({ status: 200 });
    return response.body;
  };

  const summary = async (caseId: string, token = lead) =>
    (await api.request('GET', `/cases/${caseId}`, { token })).body as Record<string, unknown>;

  const overdueIds = async (overdue: boolean) => {
    const response = await api.request('GET', `/cases?overdue=${overdue}`, { token: caseManager });
    expect(response.status).toBe(200);
    return (response.body.items as { caseId: string }[]).map((item) => item.caseId);
  };

  it('a referral on the Thursday before Easter 2026: the lead assessment is due Monday 13 April, and missed', async () => {
    const caseId = await raise();
    await settle();
    expect(await summary(caseId)).toMatchObject({
      nextDeadline: '2026-04-13T10:00:00.000Z',
      nextDeadlineKind: 'lead-assessment',
      overdue: false,
    });

    // Good Friday, the weekend and Easter Monday pass; nothing is due until Monday 13 April.
    await walk('2026-04-13T09:59:59.000Z');
    expect(await ofType(caseId, 'DeadlineBreached')).toHaveLength(0);
    expect(await overdueIds(true)).toEqual([]);

    await walk('2026-04-17T10:00:00.000Z');
    const breaches = await ofType(caseId, 'DeadlineBreached');
    expect(breaches.map((event) => event.data)).toEqual([
      expect.objectContaining({ kind: 'lead-assessment', dueAt: '2026-04-13T10:00:00.000Z' }),
    ]);
    expect(await overdueIds(true)).toEqual([caseId]);
    expect(await overdueIds(false)).toEqual([]);
    expect(await summary(caseId)).toMatchObject({ overdue: true, nextDeadlineKind: 'lead-assessment' });

    // The lead assesses late, acting on the revision they last read (before the breach was
    // recorded): the system's record does not make that a 412.
    const revisionBeforeBreach = String(breaches[0].revision - 1n);
    const assessed = await api.request('POST', `/cases/${caseId}/lead-assessment`, {
      token: lead,
      body: assessment('positive'),
      headers: { 'if-match': `"${revisionBeforeBreach}"` },
    });
    expect(assessed.status).toBe(200);
    await settle();
    expect(await overdueIds(true)).toEqual([]);
    const after = await summary(caseId);
    expect(after).toMatchObject({ overdue: false, nextDeadlineKind: 'recovery-period' });
    expect(after.deadlines).toEqual([
      expect.objectContaining({ kind: 'lead-assessment', state: 'met-late' }),
      expect.objectContaining({ kind: 'recovery-period', state: 'running', dueAt: '2026-06-01T10:00:00.000Z' }),
    ]);

    // Seven more weeks: the recovery period ends once; the missed assessment stays one breach.
    await walk('2026-06-05T10:00:00.000Z', 12);
    expect(await ofType(caseId, 'DeadlineBreached')).toHaveLength(1);
    const ended = await ofType(caseId, 'RecoveryPeriodEnded');
    expect(ended.map((event) => event.data)).toEqual([
      expect.objectContaining({ startedAt: '2026-04-17T10:00:00.000Z', endedAt: '2026-06-01T10:00:00.000Z' }),
    ]);
    expect(await summary(caseId)).toMatchObject({ nextDeadline: null, overdue: false });
  });

  it('over Christmas and New Year 2026: deadlines met are never breached, the one missed is, once', async () => {
    api.clock.set('2026-12-23T10:00:00.000Z');
    const caseId = await raise();
    // Wednesday 23 December: Christmas Day, Boxing Day (observed Monday 28) and New Year's Day
    // are off, so the 5th working day is Monday 4 January 2027.
    await settle();
    expect(await summary(caseId)).toMatchObject({ nextDeadline: '2027-01-04T10:00:00.000Z' });

    api.clock.set('2026-12-24T10:00:00.000Z');
    for (const requestedFrom of ['Dorset Police', 'UK Visas and Immigration']) {
      await command(caseManager, `/cases/${caseId}/information-requests`, {
        requestedFrom,
        details: 'Records held about the person.',
      });
    }
    const requests = (await ofType(caseId, 'InformationRequested')).map((event) => String(event.data.requestId));
    expect(requests).toHaveLength(2);

    // The lead assesses an hour before the deadline; the first request is answered on the 9th
    // working day; the second is not answered at all (due Tuesday 12 January 2027).
    await walk('2027-01-04T09:00:00.000Z');
    await command(lead, `/cases/${caseId}/lead-assessment`, assessment('negative'));
    await walk('2027-01-11T10:00:00.000Z');
    await command(caseManager, `/cases/${caseId}/information-responses`, {
      requestId: requests[0],
      summary: 'Crime report received.',
    });
    await walk('2027-01-12T09:59:59.000Z');
    expect(await ofType(caseId, 'DeadlineBreached')).toHaveLength(0);

    await walk('2027-01-29T10:00:00.000Z');
    const breaches = await ofType(caseId, 'DeadlineBreached');
    expect(breaches.map((event) => event.data)).toEqual([
      expect.objectContaining({
        kind: 'information-request',
        deadlineId: `information-request:${requests[1]}`,
        dueAt: '2027-01-12T10:00:00.000Z',
      }),
    ]);
    expect(await overdueIds(true)).toEqual([caseId]);
    // A negative assessment starts no recovery period.
    expect(await ofType(caseId, 'RecoveryPeriodEnded')).toHaveLength(0);
  });

  it('a deadline met late by a back-dated command is still recorded as missed, once', async () => {
    const caseId = await raise();
    // Recorded on Wednesday 15 April as having happened on Tuesday 14th, after the deadline,
    // before the scheduler ever polled past it.
    api.clock.set('2026-04-15T09:00:00.000Z');
    const assessed = await api.request('POST', `/cases/${caseId}/lead-assessment`, {
      token: lead,
      body: assessment('positive'),
      headers: { 'x-occurred-at': '2026-04-14T09:00:00.000Z' },
    });
    expect(assessed.status).toBe(200);
    await walk('2026-04-20T10:00:00.000Z');

    expect((await ofType(caseId, 'DeadlineBreached')).map((event) => event.data)).toEqual([
      expect.objectContaining({ kind: 'lead-assessment', dueAt: '2026-04-13T10:00:00.000Z' }),
    ]);
    // Met, late: not overdue.
    expect(await summary(caseId)).toMatchObject({ overdue: false });
  });

  it('both definitions side by side: the pilot lead assessment missed, the central reasonable grounds decision met', async () => {
    const londonLead = await api.token('lead', { userId: 'lead-7', region: 'london' });
    // The referral's nationality (Albanian, outside the EEA) allocates the case to UK Visas and Immigration.
    const competentAuthority = await api.token('competent-authority', {
      userId: 'ca-1',
      agency: 'uk-visas-and-immigration',
    });
    const pilot = await raise();
    const central = await raise(londonLead, {
      region: 'london',
      policeForceArea: 'metropolitan',
      referringAgency: 'Metropolitan Police',
    });
    await settle();
    expect(await summary(central, competentAuthority)).toMatchObject({
      workflow: { id: 'nrm-central-2015' },
      nextDeadline: '2026-04-13T10:00:00.000Z',
      nextDeadlineKind: 'reasonable-grounds-decision',
    });

    // The competent authority decides an hour before the deadline; the pilot's lead never assesses.
    await walk('2026-04-13T09:00:00.000Z');
    await command(competentAuthority, `/cases/${central}/reasonable-grounds-decision`, {
      outcome: 'positive',
      rationale: 'Credible account of forced labour with documentary support.',
    });
    await walk('2026-06-05T10:00:00.000Z', 12);

    expect((await ofType(pilot, 'DeadlineBreached')).map((event) => event.data.kind)).toEqual(['lead-assessment']);
    expect(await ofType(central, 'DeadlineBreached')).toEqual([]);
    expect((await ofType(central, 'RecoveryPeriodEnded')).map((event) => event.data.endedAt)).toEqual([
      '2026-05-28T09:00:00.000Z',
    ]);
    // The auditor lists every region: only the pilot case is overdue.
    const auditor = await api.token('auditor');
    const listed = await api.request('GET', '/cases?overdue=true', { token: auditor });
    expect((listed.body.items as { caseId: string }[]).map((item) => item.caseId)).toEqual([pilot]);
  });
});
