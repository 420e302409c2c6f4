import { ephemeralPrivacyConfig, retentionPolicyFrom, type PersonalDataProtector } from '@harbour/privacy';
import { caseStreamName, decideCase, DomainExamples, evolveCase, initialCaseState } from '@harbour/domain';
import { SqliteEventStore, type AppendOptions, type EventData, type EventStore } from '@harbour/event-store';
import {
  EventSchemaRegistry,
  applyRetention,
  commandLegalHold,
  createPersonalDataProtector,
  eraseSubject,
  handleStreamCommand,
  type PrivacyDeps,
} from '../src';
import { uuidFromName } from '@harbour/shared';

const { actors, adultReferralData, commands, times } = DomainExamples;
const caseDecider = { initialState: initialCaseState, decide: decideCase, evolve: evolveCase };
const schemas = new EventSchemaRegistry();
const admin = actors.admin;

/**
 * A legal hold against an erasure, in the one interleaving that used to destroy held data: the
 * erasure has decided "nothing is held" and is about to record itself when the hold is placed.
 * Whatever the design, the erasure must not then destroy the key: the hold and the erasure are one
 * serialised decision (issue 15, item 1).
 */
describe('a legal hold placed while an erasure is being decided', () => {
  let store: SqliteEventStore;
  let personalData: PersonalDataProtector;
  let deps: PrivacyDeps;
  /** Runs once, just before the erasure's own append goes through. */
  let beforeErasureAppends: (() => Promise<void>) | undefined;

  beforeEach(async () => {
    store = new SqliteEventStore({ filename: ':memory:' });
    const racing: EventStore = Object.create(store) as EventStore;
    racing.appendToStream = async (stream: string, events: readonly EventData[], options: AppendOptions) => {
      const hook = beforeErasureAppends;
      if (hook && events.some((event) => event.type === 'SubjectDataErased')) {
        beforeErasureAppends = undefined;
        await hook();
      }
      return store.appendToStream(stream, events, options);
    };
    personalData = await createPersonalDataProtector(ephemeralPrivacyConfig(), racing, schemas);
    deps = { store: racing, schemas, personalData };
  });
  afterEach(async () => {
    await personalData.keys.close();
    await store.close();
  });

  async function raiseCase(name: string): Promise<{ caseId: string; subjectId: string }> {
    const caseId = uuidFromName(`race:${name}`);
    const subjectId = uuidFromName(`race-subject:${name}`);
    const data = adultReferralData({ subject: { ...adultReferralData().subject, subjectId } });
    await handleStreamCommand(
      deps,
      caseStreamName(caseId),
      caseDecider,
      commands.raiseReferral(data, caseId),
      { actor: actors.lead, occurredAt: times.raisedAt, commandId: uuidFromName(`raise:${name}`), correlationId: name },
      { actor: actors.lead, now: times.raisedAt },
      () => undefined,
    );
    return { caseId, subjectId };
  }

  const meta = (id: string, actor = admin) => ({
    actor,
    occurredAt: times.later,
    commandId: uuidFromName(id),
    correlationId: id,
  });
  const placeHold = (caseId: string) =>
    commandLegalHold(
      deps,
      {
        type: 'PlaceLegalHold',
        data: { caseId, holdId: uuidFromName(`hold:${caseId}`), reason: 'Civil claim 2024/117.' },
      },
      meta(`hold-command:${caseId}`),
    );

  it('refuses the erasure and keeps the key when the hold lands between its check and its record', async () => {
    const { caseId, subjectId } = await raiseCase('request');
    beforeErasureAppends = async () => {
      await placeHold(caseId);
    };

    const erasure = eraseSubject(
      deps,
      { subjectId, basis: 'request', reason: 'Request ER-1.' },
      meta(`erase:${subjectId}`),
    );

    await expect(erasure).rejects.toMatchObject({ rule: 'legal-hold-blocks-erasure' });
    expect(beforeErasureAppends).toBeUndefined();
    expect(await personalData.keys.keyForReading(subjectId)).not.toBeNull();
  });

  it('refuses a hold on a subject whose erasure is recorded (subject-data-erased)', async () => {
    const { caseId, subjectId } = await raiseCase('after');
    await eraseSubject(deps, { subjectId, basis: 'request', reason: 'Request ER-2.' }, meta(`erase:${subjectId}`));

    await expect(placeHold(caseId)).rejects.toMatchObject({ rule: 'subject-data-erased' });
  });

  it('holds against a retention run racing it the same way', async () => {
    const { caseId, subjectId } = await raiseCase('retention');
    const caseManager = actors.caseManager;
    for (const [command, id] of [
      [commands.recordLeadAssessment('negative'), 'assess'],
      [commands.closeCase(), 'close'],
    ] as const) {
      await handleStreamCommand(
        deps,
        caseStreamName(caseId),
        caseDecider,
        { ...command, caseId },
        { ...meta(`${id}:${caseId}`, id === 'assess' ? actors.lead : caseManager), occurredAt: times.later },
        { actor: id === 'assess' ? actors.lead : caseManager, now: times.later },
        () => undefined,
      );
    }
    beforeErasureAppends = async () => {
      await placeHold(caseId);
    };

    const summary = await applyRetention(deps, retentionPolicyFrom('default=P1D'), new Date('2100-01-01T00:00:00Z'));

    expect(summary).toMatchObject({ erased: 0, skipped: 1 });
    expect(await personalData.keys.keyForReading(subjectId)).not.toBeNull();
  });
});
