import {
  DomainExamples,
  caseStreamName,
  evolveCase,
  initialCaseState,
  subjectStreamName,
  type CaseEvent,
} from '@harbour/domain';
import { SqliteEventStore } from '@harbour/event-store';
import { ERASED, ephemeralPrivacyConfig, retentionPolicyFrom } from '@harbour/privacy';
import { collect } from '@harbour/testing';
import { handleStreamCommand, type Decider } from '../command-handling/handle-stream-command';
import { EventSchemaRegistry } from '../event-schemas/event-schema-registry';
import { uuidFromName } from '@harbour/shared';
import { createPersonalDataProtector } from './personal-data.provider';
import { applyRetention, retentionReport } from './retention';
import { eraseSubject, type PrivacyDeps } from './subject-erasure';

const { actors, historyIn, ids, times } = DomainExamples;
const schemas = new EventSchemaRegistry();
// Withdrawn cases are kept two years, every other outcome six.
const policy = retentionPolicyFrom('withdrawn=P2Y,default=P6Y');

// The example closed case ended (conclusive grounds, positive) at times.reviewedAt, 2015-07-27T09:00Z.
const CLOSED_DUE_AT = '2021-07-27T09:00:00.000Z';
// The example withdrawn case ended at times.suspendedAt, 2015-06-20T09:00Z.
const WITHDRAWN_DUE_AT = '2017-06-20T09:00:00.000Z';
const justBefore = (iso: string) => new Date(new Date(iso).getTime() - 1);

/** Records a history as it is stored: validated, its personal data sealed, chained. */
const recorder: Decider<CaseEvent[], CaseEvent, ReturnType<typeof initialCaseState>, undefined> = {
  initialState: initialCaseState,
  decide: (events) => events,
  evolve: evolveCase,
};

const asCase = (caseId: string, history: CaseEvent[]): CaseEvent[] =>
  history.map((event) => ({ ...event, data: { ...event.data, caseId } }) as CaseEvent);

describe('retention: when a subject falls due for erasure', () => {
  let store: SqliteEventStore;
  let deps: PrivacyDeps;

  beforeEach(async () => {
    // Recorded when the case began (2015), so each ending counts from its business time: retention
    // counts from the recorded time only when that is later (a back-dated ending).
    store = new SqliteEventStore({ filename: ':memory:', now: () => new Date(times.raisedAt) });
    deps = {
      store,
      schemas,
      personalData: await createPersonalDataProtector(ephemeralPrivacyConfig(), store, schemas),
    };
  });
  afterEach(async () => {
    await deps.personalData.keys.close();
    await store.close();
  });

  async function given(caseId: string, history: CaseEvent[]): Promise<void> {
    const commandId = uuidFromName(`retention-spec:${caseId}`);
    await handleStreamCommand(
      deps,
      caseStreamName(caseId),
      recorder,
      asCase(caseId, history),
      { actor: actors.lead, occurredAt: times.raisedAt, commandId, correlationId: commandId },
      undefined,
      () => undefined,
    );
  }

  it('is not due a millisecond before the period has run, and is due from that moment', async () => {
    await given(ids.caseId, historyIn.closed());

    const before = await retentionReport(store, policy, justBefore(CLOSED_DUE_AT));
    expect({ due: before.due, notYetDue: before.notYetDue }).toEqual({ due: [], notYetDue: 1 });

    const at = await retentionReport(store, policy, new Date(CLOSED_DUE_AT));
    expect(at.notYetDue).toBe(0);
    expect(at.due).toEqual([
      {
        subjectId: ids.subjectId,
        caseIds: [ids.caseId],
        outcome: 'conclusive-grounds-positive',
        endedAt: times.reviewedAt,
        period: 'P6Y',
        dueAt: CLOSED_DUE_AT,
        heldCaseIds: [],
      },
    ]);
  });

  it('runs each outcome its own period: a withdrawn case falls due after two years', async () => {
    await given(ids.caseId, historyIn.withdrawn());
    expect((await retentionReport(store, policy, justBefore(WITHDRAWN_DUE_AT))).due).toEqual([]);
    expect((await retentionReport(store, policy, new Date(WITHDRAWN_DUE_AT))).due).toMatchObject([
      { subjectId: ids.subjectId, outcome: 'withdrawn', period: 'P2Y', dueAt: WITHDRAWN_DUE_AT },
    ]);
  });

  it('waits for every case of the subject to end', async () => {
    await given(ids.caseId, historyIn.closed());
    await given(ids.childCaseId, historyIn.recovery());
    const report = await retentionReport(store, policy, new Date('2099-01-01T00:00:00.000Z'));
    expect({ due: report.due, open: report.open, notYetDue: report.notYetDue }).toEqual({
      due: [],
      open: 1,
      notYetDue: 0,
    });
  });

  it('runs the period of the case that ended last, not of the first to end', async () => {
    // Withdrawn on 20 June 2015 (two years), closed on 27 July 2015 (six): due in 2021, not 2017.
    await given(ids.caseId, historyIn.withdrawn());
    await given(ids.childCaseId, historyIn.closed());
    expect((await retentionReport(store, policy, new Date(WITHDRAWN_DUE_AT))).due).toEqual([]);
    expect((await retentionReport(store, policy, new Date(CLOSED_DUE_AT))).due).toMatchObject([
      { subjectId: ids.subjectId, outcome: 'conclusive-grounds-positive', dueAt: CLOSED_DUE_AT },
    ]);
  });

  it('apply stops on a failure that is not a refusal, rather than count the subject as skipped', async () => {
    await given(ids.caseId, historyIn.closed());
    jest.spyOn(deps.personalData.keys, 'destroy').mockRejectedValueOnce(new Error('disk I/O error'));
    await expect(applyRetention(deps, policy, new Date(CLOSED_DUE_AT))).rejects.toThrow('disk I/O error');
  });

  it('finishes an erasure cut short between its record and the destruction of the key', async () => {
    await given(ids.caseId, historyIn.closed());
    const request = { subjectId: ids.subjectId, basis: 'request', reason: 'Request ER-7.' } as const;
    const meta = (commandId: string) => ({
      actor: actors.admin,
      occurredAt: times.later,
      commandId,
      correlationId: commandId,
    });
    jest.spyOn(deps.personalData.keys, 'destroy').mockRejectedValueOnce(new Error('killed'));
    await expect(eraseSubject(deps, request, meta(uuidFromName('erasure-1')))).rejects.toThrow('killed');

    // The admin asks again (another request): the recorded erasure is finished, not refused.
    const finished = await eraseSubject(deps, request, meta(uuidFromName('erasure-2')));
    expect(finished).toMatchObject({ subjectId: ids.subjectId, caseIds: [ids.caseId], completed: true });
    const [referral] = await collect(store.readStream(caseStreamName(ids.caseId), { maxCount: 1 }));
    const [opened] = await deps.personalData.openAll([referral]);
    expect((opened.data.subject as { name: string }).name).toBe(ERASED);
    const records = await collect(store.readStream(subjectStreamName(ids.subjectId)));
    expect(records.map((event) => event.type)).toEqual(['SubjectDataErased']);
  });

  it('apply erases nothing before the due time, and the subject once it is due', async () => {
    await given(ids.caseId, historyIn.closed());
    const early = await applyRetention(deps, policy, justBefore(CLOSED_DUE_AT));
    expect({ erased: early.erased, skipped: early.skipped }).toEqual({ erased: 0, skipped: 0 });
    const stored = await collect(store.readStream(caseStreamName(ids.caseId)));
    const [opened] = await deps.personalData.openAll(stored.slice(0, 1));
    expect((opened.data.subject as { name: string }).name).toBe('Ana Example');

    const due = await applyRetention(deps, policy, new Date(CLOSED_DUE_AT));
    expect({ erased: due.erased, skipped: due.skipped }).toEqual({ erased: 1, skipped: 0 });
    const [erased] = await deps.personalData.openAll(stored.slice(0, 1));
    expect((erased.data.subject as { name: string }).name).toBe(ERASED);
    const after = await retentionReport(store, policy, new Date(CLOSED_DUE_AT));
    expect({ due: after.due, erased: after.erased }).toEqual({ due: [], erased: 1 });
  });
});
