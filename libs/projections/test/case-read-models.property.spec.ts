import fc from 'fast-check';
import { EventSchemaRegistry } from '@harbour/application';
import {
  CASE_COMMAND_TYPES,
  CASE_STATUSES,
  caseFileOf,
  caseStreamName,
  evolveCase,
  initialCaseState,
  type CaseEvent,
  type CaseState,
} from '@harbour/domain';
import { SqliteEventStore, type RecordedEvent } from '@harbour/event-store';
import { CASE_READ_MODELS, ProjectionRunner, compareKeys, foldInMemory } from '@harbour/projections';
import { PostgresReadStore, SqliteReadStore, type ReadStore, type Row } from '@harbour/read-store';
import {
  DATABASE_URL,
  createTestSchema,
  describeWithPostgres,
} from '../../read-store/test/support/postgres-test-database';
import {
  CaseWorkflowSimulation,
  SimulationCoverage,
  caseProfileArbitrary,
  stepArbitrary,
} from './support/case-workflow.simulation';
import { allEvents, storedTables } from './support/counter.projection';

/**
 * The real case read models, projected from valid workflows over several cases: incrementally
 * (catch-ups at random points, random batch sizes, fresh and long-lived runners), by a blue/green
 * rebuild, and by folding in memory, all three give the same `case_status`, `decision_history`
 * and `panel_schedule`, which also agree with each case's stream folded by the domain.
 *
 * fast-check picks the seed; a failure prints it with the shrunk counterexample. Set
 * `HARBOUR_PROPERTY_STATS=1` to print which commands and statuses the runs covered.
 */

const projection = CASE_READ_MODELS;
const schemas = new EventSchemaRegistry();

/** A read store for one run, and how to get rid of it. */
type ReadStoreFactory = () => Promise<{ readonly store: ReadStore; dispose(): Promise<void> }>;

const runArbitrary = fc.record({
  profiles: fc.array(caseProfileArbitrary, { minLength: 2, maxLength: 6 }),
  // Full-size arrays: cases need a dozen steps or so to reach a panel, a review and beyond.
  steps: fc.array(stepArbitrary, { minLength: 1, maxLength: 100, size: 'max' }),
  /** The batch size of the long-lived incremental runner (and of its final catch-up). */
  batchSize: fc.integer({ min: 1, max: 25 }),
  rebuildBatchSize: fc.integer({ min: 1, max: 25 }),
  /** The rebuilt store first catches up at the first split, so the rebuild swaps over live tables. */
  rebuildOverLiveTables: fc.boolean(),
});
type Run = typeof runArbitrary extends fc.Arbitrary<infer T> ? T : never;

async function checkRun(run: Run, createReadStore: ReadStoreFactory, coverage: SimulationCoverage): Promise<void> {
  const eventStore = new SqliteEventStore({ filename: ':memory:' });
  const created: Awaited<ReturnType<ReadStoreFactory>>[] = [];
  try {
    const incremental = await createReadStore().then((store) => (created.push(store), store));
    const rebuilt = await createReadStore().then((store) => (created.push(store), store));
    coverage.runs += 1;
    const simulation = new CaseWorkflowSimulation(eventStore, schemas, run.profiles);
    const longLived = new ProjectionRunner(eventStore, incremental.store, projection, { batchSize: run.batchSize });
    let applied = 0;
    let splits = 0;
    for (const [index, choice] of run.steps.entries()) {
      const outcome = await simulation.step(index, choice);
      coverage.record(outcome);
      if (outcome.kind === 'applied') applied += 1;
      if (choice.catchUp === null) continue;
      const { batchSize, freshRunner } = choice.catchUp;
      const runner = freshRunner
        ? new ProjectionRunner(eventStore, incremental.store, projection, { batchSize })
        : longLived;
      await runner.catchUp();
      if (splits === 0 && run.rebuildOverLiveTables) {
        await new ProjectionRunner(eventStore, rebuilt.store, projection, { batchSize }).catchUp();
      }
      splits += 1;
      coverage.catchUps += 1;
    }
    expect(applied).toBeGreaterThan(0);

    await longLived.catchUp();
    await new ProjectionRunner(eventStore, rebuilt.store, projection, { batchSize: run.rebuildBatchSize }).rebuild();

    const events = await allEvents(eventStore);
    coverage.events += events.length;
    const fold = foldInMemory(projection, events);
    expect(fold.failure).toBeUndefined();
    expect(fold.parked).toEqual([]);
    const expected = new Map(fold.tables);
    expect(foldStreamByStream(events)).toEqual(expected);

    expect(await storedTables(incremental.store, projection)).toEqual(expected);
    expect(await storedTables(rebuilt.store, projection)).toEqual(expected);
    const head = await eventStore.headPosition();
    for (const { store } of [incremental, rebuilt]) {
      expect(await store.parkedEvents()).toEqual([]);
      expect((await store.checkpoint(projection.name))?.position).toBe(head);
    }

    expectAgreementWithTheDomain(expected, events, simulation.caseIds);
  } finally {
    for (const store of created) await store.dispose();
    await eventStore.close();
  }
}

/**
 * Each case stream folded on its own, the tables merged in key order: every row belongs to one
 * case, so the interleaving of streams (and where batches cut them) must not matter.
 */
function foldStreamByStream(events: readonly RecordedEvent[]): Map<string, Row[]> {
  const tables = new Map<string, Row[]>(projection.readModels.map((model) => [model.table, []]));
  for (const stream of groupByStream(events).values()) {
    const fold = foldInMemory(projection, stream);
    expect(fold.parked).toEqual([]);
    for (const [table, rows] of fold.tables) tables.get(table)?.push(...rows);
  }
  for (const model of projection.readModels) tables.get(model.table)?.sort((a, b) => compareKeys(model, a, b));
  return tables;
}

/** Each case's stream folded by the domain's `evolveCase`: the read models must say the same. */
function expectAgreementWithTheDomain(tables: Map<string, Row[]>, events: readonly RecordedEvent[], caseIds: string[]) {
  const streams = groupByStream(events);
  const rowsOf = (table: string, caseId: string) => (tables.get(table) ?? []).filter((row) => row.case_id === caseId);
  for (const caseId of caseIds) {
    const stream = streams.get(caseStreamName(caseId)) ?? [];
    const state = stream.reduce<CaseState>(
      (current, event) => evolveCase(current, { type: event.type, data: event.data } as unknown as CaseEvent),
      initialCaseState(),
    );
    const [status, ...moreStatuses] = rowsOf('case_status', caseId);
    const decisions = rowsOf('decision_history', caseId);
    const [listing, ...moreListings] = rowsOf('panel_schedule', caseId);
    expect(moreStatuses).toEqual([]);
    expect(moreListings).toEqual([]);
    if (state.status === 'none') {
      expect([status, listing, decisions]).toEqual([undefined, undefined, []]);
      continue;
    }
    const file = caseFileOf(state);
    const open = state.status === 'suspended' ? state.resumeTo : state;
    expect(status).toMatchObject({
      status: state.status,
      status_before_suspension: state.status === 'suspended' ? state.resumeTo.status : null,
      region: file.region,
      age_group: file.ageGroup,
      panel_id: file.panelId ?? null,
      revision: Number(stream[stream.length - 1].revision),
    });

    // Conclusive decisions, and the central route's reasonable grounds decisions.
    const decided = stream
      .filter((event) => event.type === 'DecisionRecorded' || event.type === 'ReasonableGroundsDecisionMade')
      .map((event) => event.data.decisionId);
    expect(decisions.map((row) => row.decision_id).sort()).toEqual([...decided].sort());
    if ('decision' in open) {
      expect(status.decision_id).toBe(open.decision.decisionId);
      const row = decisions.find((candidate) => candidate.decision_id === open.decision.decisionId);
      expect(row?.outcome).toBe(open.decision.outcome);
      const review = row?.second_review as {
        reviewId: string;
        outcome: string;
        reviewer: { reviewerId: string };
      } | null;
      const onFile = 'review' in open ? open.review : undefined;
      expect(
        review && { reviewId: review.reviewId, outcome: review.outcome, reviewerId: review.reviewer.reviewerId },
      ).toEqual(onFile ?? null);
    }

    const everListed = stream.some((event) => event.type === 'CaseListedForPanel');
    expect(listing !== undefined).toBe(everListed);
    if ('listing' in open) {
      expect(listing).toMatchObject({
        panel_id: open.listing.panelId,
        meeting_id: open.listing.meetingId,
        status: open.status === 'listed' ? 'listed' : 'convened',
        case_suspended: state.status === 'suspended',
      });
    }
  }
}

function groupByStream(events: readonly RecordedEvent[]): Map<string, RecordedEvent[]> {
  const streams = new Map<string, RecordedEvent[]>();
  for (const event of events) streams.set(event.stream, [...(streams.get(event.stream) ?? []), event]);
  return streams;
}

/**
 * Runs the property. With `checkCoverage`, then checks the runs reached every command and every
 * status, so a generator that stops reaching part of the workflow fails rather than passing
 * vacuously (asserted on the 40-run SQLite property, where each is reached a dozen times or more).
 */
async function assertProperty(
  createReadStore: ReadStoreFactory,
  { numRuns, label, checkCoverage }: { numRuns: number; label: string; checkCoverage: boolean },
): Promise<void> {
  const coverage = new SimulationCoverage();
  // The run in hand when the time limit interrupts fast-check keeps going: it is awaited, so it
  // closes its stores before the test ends.
  let inFlight: Promise<void> | undefined;
  try {
    await fc.assert(
      fc.asyncProperty(runArbitrary, (run) => (inFlight = checkRun(run, createReadStore, coverage))),
      // A failure's shrinking stops after the budget and is reported with what it found so far.
      { numRuns, plugins: [fc.interruptAfterTimeLimit(60_000, { failOnInterrupt: true })] },
    );
  } finally {
    await inFlight?.catch(() => undefined);
  }
  if (process.env.HARBOUR_PROPERTY_STATS === '1') console.log(`${label}: ${coverage.summary()}`);
  if (!checkCoverage) return;
  expect(CASE_COMMAND_TYPES.filter((type) => !coverage.commands.has(type))).toEqual([]);
  expect(CASE_STATUSES.filter((status) => !coverage.statuses.has(status))).toEqual([]);
}

describe('case read models (property): incremental = rebuild = fold of the streams', () => {
  it('on SQLite', async () => {
    await assertProperty(
      async () => {
        const store = new SqliteReadStore({ filename: ':memory:' });
        return { store, dispose: () => store.close() };
      },
      { numRuns: 40, label: 'SQLite', checkCoverage: true },
    );
  }, 90_000);
});

describeWithPostgres('case read models (property) on PostgreSQL', () => {
  it('on PostgreSQL, a schema of its own per read store', async () => {
    await assertProperty(
      async () => {
        const schema = await createTestSchema();
        const store = new PostgresReadStore({
          connectionString: DATABASE_URL,
          schema: schema.schema,
          maxConnections: 2,
        });
        return {
          store,
          dispose: async () => {
            await store.close();
            await schema.drop();
          },
        };
      },
      { numRuns: 15, label: 'PostgreSQL', checkCoverage: false },
    );
  }, 90_000);
});
