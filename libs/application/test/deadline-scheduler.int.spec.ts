import { ephemeralPrivacyConfig, type PersonalDataProtector } from '@harbour/privacy';
import { join } from 'node:path';
import {
  caseStreamName,
  decideCase,
  DomainExamples,
  evolveCase,
  initialCaseState,
  type CaseCommand,
} from '@harbour/domain';
import { SqliteEventStore, type EventStore, type RecordedEvent } from '@harbour/event-store';
import { DEADLINE_TIMERS, ProjectionRunner } from '@harbour/projections';
import { SqliteReadStore } from '@harbour/read-store';
import { tempDir } from '@harbour/testing';
import {
  DeadlineScheduler,
  EventSchemaRegistry,
  FakeClock,
  createPersonalDataProtector,
  handleStreamCommand,
} from '../src';
import { uuidFromName } from '@harbour/shared';

const { actors, adultReferralData, commands } = DomainExamples;

// Thursday 2 April 2026, the day before Good Friday: with Good Friday and Easter Monday off, the
// 5th working day after it is Monday 13 April.
const RAISED_AT = '2026-04-02T10:00:00.000Z';
const DUE_AT = '2026-04-13T10:00:00.000Z';
const CASES = 24;

const caseDecider = { initialState: initialCaseState, decide: decideCase, evolve: evolveCase };
const schemas = new EventSchemaRegistry();

describe('DeadlineScheduler: every due timer recorded exactly once', () => {
  let dir: ReturnType<typeof tempDir>;
  let stores: EventStore[];
  let readStore: SqliteReadStore;
  const clock = new FakeClock(new Date(RAISED_AT));
  const caseIds = Array.from({ length: CASES }, (_, i) => uuidFromName(`scheduler-spec-case-${i}`));

  /** Another connection to the same event file, as a second process would have. */
  const openStore = (): EventStore => {
    const store = new SqliteEventStore({ filename: join(dir.path, 'events.db'), pollIntervalMs: 10 });
    stores.push(store);
    return store;
  };
  const schedulerOn = (store: EventStore) =>
    new DeadlineScheduler({ store, readStore, schemas, clock }, { intervalMs: 60_000 });

  async function project(): Promise<void> {
    await new ProjectionRunner(stores[0], readStore, DEADLINE_TIMERS).catchUp();
  }

  async function breachesOf(caseId: string): Promise<RecordedEvent[]> {
    const events: RecordedEvent[] = [];
    for await (const event of stores[0].readStream(caseStreamName(caseId))) events.push(event);
    return events.filter((event) => event.type === 'DeadlineBreached');
  }

  let personalData: PersonalDataProtector;

  beforeEach(async () => {
    dir = tempDir('harbour-scheduler-');
    stores = [];
    readStore = new SqliteReadStore({ filename: join(dir.path, 'read.db') });
    const store = openStore();
    personalData = await createPersonalDataProtector(ephemeralPrivacyConfig(), store, schemas);
    for (const caseId of caseIds) {
      const command: CaseCommand = commands.raiseReferral(adultReferralData(), caseId);
      await handleStreamCommand(
        { store, schemas, personalData },
        caseStreamName(caseId),
        caseDecider,
        command,
        {
          actor: actors.lead,
          occurredAt: RAISED_AT,
          commandId: uuidFromName(`raise:${caseId}`),
          correlationId: caseId,
        },
        { actor: actors.lead, now: RAISED_AT },
        () => undefined,
      );
    }
    await project();
  });

  afterEach(async () => {
    for (const store of stores) await store.close();
    await readStore.close();
    dir.remove();
  });

  it('records nothing before the deadline and one breach per case once it has passed', async () => {
    const sut = schedulerOn(stores[0]);
    clock.set('2026-04-13T09:59:59.000Z');
    expect(await sut.tick()).toEqual({ casesDue: 0, recorded: 0 });

    clock.set(DUE_AT);
    expect(await sut.tick()).toEqual({ casesDue: CASES, recorded: CASES });
    const [breach] = await breachesOf(caseIds[0]);
    expect(breach.data).toEqual({
      caseId: caseIds[0],
      deadlineId: `lead-assessment:${caseIds[0]}`,
      kind: 'lead-assessment',
      startedAt: RAISED_AT,
      dueAt: DUE_AT,
      detectedAt: DUE_AT,
    });
    expect(breach.metadata).toMatchObject({ actor: { role: 'system' }, occurredAt: DUE_AT });

    // The read model has not caught up yet: the rows still say due, the stream says done.
    expect(await sut.tick()).toEqual({ casesDue: CASES, recorded: 0 });
    await project();
    expect(await sut.tick()).toEqual({ casesDue: 0, recorded: 0 });
  });

  it('two schedulers on two connections record each breach once', async () => {
    clock.set('2026-04-14T08:00:00.000Z');
    const [first, second] = [schedulerOn(openStore()), schedulerOn(openStore())];

    await Promise.all([first.tick(), second.tick(), first.tick(), second.tick()]);

    for (const caseId of caseIds) expect(await breachesOf(caseId)).toHaveLength(1);
    await project();
    expect(await first.tick()).toEqual({ casesDue: 0, recorded: 0 });
  });

  it('a scheduler that dies mid-poll is replaced by one that records the rest, each once', async () => {
    clock.set('2026-04-14T08:00:00.000Z');
    const dying = openStore();
    let appends = 0;
    const crashingStore: EventStore = Object.assign(Object.create(dying) as EventStore, {
      appendToStream: (...args: Parameters<EventStore['appendToStream']>) => {
        appends += 1;
        if (appends > CASES / 3) return Promise.reject(new Error('the process died'));
        return dying.appendToStream(...args);
      },
    });

    await expect(schedulerOn(crashingStore).tick()).rejects.toThrow('the process died');
    const recordedBefore = (await Promise.all(caseIds.map(breachesOf))).filter((found) => found.length > 0).length;
    expect(recordedBefore).toBe(CASES / 3);

    const restarted = schedulerOn(openStore());
    expect(await restarted.tick()).toEqual({ casesDue: CASES, recorded: CASES - CASES / 3 });
    for (const caseId of caseIds) expect(await breachesOf(caseId)).toHaveLength(1);
  });

  it('records nothing for a deadline met in time, even when the read model still lists it as due', async () => {
    const store = stores[0];
    const [met, ...missed] = caseIds;
    await handleStreamCommand(
      { store, schemas, personalData },
      caseStreamName(met),
      caseDecider,
      { ...commands.recordLeadAssessment('positive'), caseId: met },
      {
        actor: actors.lead,
        occurredAt: '2026-04-13T09:00:00.000Z',
        commandId: uuidFromName(`assess:${met}`),
        correlationId: met,
      },
      { actor: actors.lead, now: '2026-04-13T09:00:00.000Z' },
      () => undefined,
    );
    clock.set('2026-04-14T08:00:00.000Z');

    // Not projected yet: the row still has the timer due; the stream says it was met.
    expect(await schedulerOn(store).tick()).toEqual({ casesDue: CASES, recorded: missed.length });
    expect(await breachesOf(met)).toHaveLength(0);
  });
});
