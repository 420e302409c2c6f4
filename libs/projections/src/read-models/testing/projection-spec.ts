/**
 * Given/then for read models, in the style of the domain's decider specification:
 *
 *   projectionSpec(sut).given(record(history)).then(rows)
 *
 * `record` turns domain events into `RecordedEvent`s as the write path stores them (stream
 * `case-<caseId>`, revisions per stream, global positions, metadata with actor, business time and
 * workflow); `given` folds them through the model's `keyOf`/`evolve` into an in-memory table, as
 * the runner does against the read store. Rows and events are deep-frozen, so an `evolve` that
 * mutates its input fails here, and each step runs twice to catch a non-deterministic one.
 *
 * For specs only: it uses Jest's `expect` for readable diffs.
 */
import { isDeepStrictEqual } from 'node:util';
import {
  businessTimeOf,
  caseStreamName,
  DomainExamples,
  NRM_PILOT_2015,
  type Actor,
  type CaseEvent,
} from '@harbour/domain';
import type { JsonObject, RecordedEvent } from '@harbour/event-store';
import type { Row } from '@harbour/read-store';
import type { ReadModel } from '../../projection';

const { actors } = DomainExamples;

/** Options of {@link record}. */
export interface RecordOptions {
  /** Who issued each event; by default the role that issues it on the example path. */
  readonly actorOf?: (event: CaseEvent) => Actor;
  /** The first global position: 1000 by default, so positions and revisions never coincide. */
  readonly firstPosition?: bigint;
}

/**
 * Domain events as the event store would hand them to the projector, numbered in the order given
 * (streams may interleave). Recorded time is business time plus 5 seconds, so a model that
 * confuses the two shows it.
 */
export function record(events: readonly CaseEvent[], options: RecordOptions = {}): RecordedEvent[] {
  const actorOf = options.actorOf ?? defaultActor;
  const revisions = new Map<string, bigint>();
  const workflows = new Map<string, JsonObject>();
  let position = options.firstPosition ?? 1000n;
  return events.map((event) => {
    const stream = caseStreamName(event.data.caseId);
    const revision = revisions.has(stream) ? (revisions.get(stream) ?? 0n) + 1n : 0n;
    revisions.set(stream, revision);
    if (event.type === 'ReferralRaised') {
      workflows.set(stream, { id: event.data.workflow.id, version: event.data.workflow.version });
    }
    const id = eventId(position);
    const occurredAt = businessTimeOf(event);
    const actor = actorOf(event);
    const recorded: RecordedEvent = {
      id,
      stream,
      revision,
      position,
      type: event.type,
      data: JSON.parse(JSON.stringify(event.data)) as JsonObject,
      // As handleStreamCommand writes it.
      metadata: {
        actor: { ...actor, panels: [...actor.panels] },
        occurredAt,
        correlationId: id,
        causationId: id,
        commandId: id,
        workflow: workflows.get(stream) ?? { id: NRM_PILOT_2015.id, version: NRM_PILOT_2015.version },
        schemaVersion: 1,
      },
      recordedAt: new Date(Date.parse(occurredAt) + 5000),
    };
    position += 1n;
    return recorded;
  });
}

/** A copy of `event` with other metadata (to test what a model does with odd metadata). */
export function withMetadata(event: RecordedEvent, metadata: JsonObject): RecordedEvent {
  return { ...event, metadata: { ...event.metadata, ...metadata } };
}

function defaultActor(event: CaseEvent): Actor {
  switch (event.type) {
    case 'ReasonableGroundsDecisionMade':
      return actors.competentAuthority;
    case 'DecisionRecorded':
      return event.data.decidedBy.kind === 'competent-authority' ? actors.competentAuthority : actors.chair;
    case 'PanelConvened':
      return actors.chair;
    case 'CaseListedForPanel':
    case 'InformationRequested':
    case 'InformationReceived':
    case 'EvidenceAdded':
    case 'CaseSuspended':
    case 'CaseResumed':
    case 'CaseClosed':
    case 'SecondReviewCompleted':
      return actors.caseManager;
    default:
      return actors.lead;
  }
}

// Deterministic UUID-shaped ids, distinct per position.
function eventId(position: bigint): string {
  return `00000000-0000-4000-8000-${position.toString(16).padStart(12, '0')}`;
}

/** A row pattern for `toMatchObject`: any columns, and any part of a `json` column's value. */
export type RowPattern<T> = T extends readonly (infer Item)[]
  ? readonly RowPattern<Item>[]
  : T extends object
    ? { readonly [Key in keyof T]?: RowPattern<T[Key]> }
    : T;

/** What `given` produced: assert on it with `then` or `thenMatch`, or throw with `thenThrows`. */
export interface ProjectionOutcome<R extends Row> {
  /** The table holds exactly these rows (in any order). */
  then(expected: readonly R[]): void;
  /** The table holds as many rows as given, each matching its pattern (rows ordered by key). */
  thenMatch(expected: readonly RowPattern<R>[]): void;
  /** Projecting throws an error of this class. */
  thenThrows(error: new (...args: never[]) => Error): void;
  /** The rows, ordered by key. */
  rows(): R[];
}

/** The projection specification of one read model (the `sut`). */
export interface ProjectionSpecification<R extends Row> {
  given(events: readonly RecordedEvent[]): ProjectionOutcome<R>;
  /**
   * The event types whose `evolve` changed a row in any `given` so far: a model spec asserts at
   * its end that this equals the model's `handles`, so a newly handled type without a spec fails.
   */
  exercisedTypes(): string[];
}

/** A given/then specification of `model`. */
export function projectionSpec<R extends Row>(model: ReadModel<R>): ProjectionSpecification<R> {
  const exercised = new Set<string>();
  const keyText = (row: Row) => JSON.stringify(model.key.map((column) => row[column]));

  const project = (events: readonly RecordedEvent[]): R[] => {
    const table = new Map<string, R>();
    for (const event of events.map((each) => deepFreeze(structuredClone(each)))) {
      // The runner reads only the handled types; the others must not reach `evolve`.
      if (!model.handles.includes(event.type)) continue;
      const key = model.keyOf(event);
      if (key === undefined) continue;
      const current = table.get(keyText(key)) ?? null;
      const next = model.evolve(current, event);
      if (!isDeepStrictEqual(next, model.evolve(current, event))) {
        throw new Error(`${model.table}: evolve is not deterministic for ${event.type}`);
      }
      if (next === null) {
        table.delete(keyText(key));
        continue;
      }
      if (keyText(next) !== keyText(key)) {
        throw new Error(`${model.table}: ${event.type} keyed ${keyText(key)} but evolve returned ${keyText(next)}`);
      }
      if (next !== current) exercised.add(event.type);
      table.set(keyText(key), deepFreeze(next));
    }
    return [...table.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, row]) => row);
  };

  return {
    given: (events) => ({
      then: (expected) => {
        const byKey = [...expected].sort((a, b) => (keyText(a) < keyText(b) ? -1 : 1));
        expect(project(events)).toEqual(byKey);
      },
      thenMatch: (expected) => {
        const rows = project(events);
        expect(rows).toHaveLength(expected.length);
        expect(rows).toMatchObject(expected as unknown as R[]);
      },
      thenThrows: (error) => {
        expect(() => project(events)).toThrow(error);
      },
      rows: () => project(events),
    }),
    exercisedTypes: () => [...exercised].sort(),
  };
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    // A Date is frozen too, but its setters still work: events never have their time set.
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
