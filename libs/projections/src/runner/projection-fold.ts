import type { RecordedEvent } from '@harbour/event-store';
import {
  LAST_POSITION_COLUMN,
  canonicalKey,
  canonicalRow,
  keyString,
  type ColumnValue,
  type Row,
  type RowChange,
} from '@harbour/read-store';
import { handledEventTypes, type Projection, type ReadModel } from '../projection';
import { describeError } from './projection-runner.errors';

/** One row of one model as a batch sees it. */
export interface RowSlot {
  readonly key: Row;
  /** The current row, or null when there is none. Frozen: `evolve` must return a new row. */
  row: Row | null;
  /** Whether the row was in the store when the batch began (so that a null needs a delete). */
  readonly stored: boolean;
  /** The position of the event that last changed it in this batch, if one did. */
  changedAt?: bigint;
}

export type RowSlots = Map<ReadModel, Map<string, RowSlot>>;

/** The rows an event changes, one per model that handles it, or why it cannot say. */
export interface EventPlan {
  readonly event: RecordedEvent;
  readonly targets: readonly { readonly model: ReadModel; readonly key: Row; readonly keyString: string }[];
  readonly keyError?: unknown;
}

/** An event that could not be applied. */
export interface EventFailure {
  readonly event: RecordedEvent;
  readonly error: unknown;
}

export interface FoldOutcome {
  /** Events applied, in order. */
  readonly applied: number;
  /** Events that failed under the `park` policy, skipped. */
  readonly parked: readonly EventFailure[];
  /** Under the `stop` policy: the event the fold stopped before. */
  readonly failure?: EventFailure;
  /** The last event applied or parked: where the checkpoint may go. */
  readonly lastPosition?: bigint;
}

const modelsByType = new WeakMap<Projection, Map<string, ReadModel[]>>();

/** The models that handle each event type, computed once per projection. */
function modelsFor(projection: Projection, type: string): readonly ReadModel[] {
  let byType = modelsByType.get(projection);
  if (!byType) {
    byType = new Map();
    for (const model of projection.readModels) {
      for (const handled of model.handles) byType.set(handled, [...(byType.get(handled) ?? []), model]);
    }
    modelsByType.set(projection, byType);
  }
  return byType.get(type) ?? [];
}

/** Which rows each event changes: what a batch must load before folding. */
export function planEvents(projection: Projection, events: readonly RecordedEvent[]): EventPlan[] {
  return events.map((event) => {
    try {
      const targets: { model: ReadModel; key: Row; keyString: string }[] = [];
      for (const model of modelsFor(projection, event.type)) {
        const rawKey = model.keyOf(event);
        if (rawKey === undefined) continue;
        const key = Object.freeze(canonicalKey(model, rawKey));
        targets.push({ model, key, keyString: keyString(model, key) });
      }
      return { event, targets };
    } catch (keyError) {
      return { event, targets: [], keyError };
    }
  });
}

/**
 * Applies planned events, in order, to the slots (which hold every row the plans name that exists;
 * a missing slot is an absent row). An event is applied to all its models or to none: a throw from
 * any model's `evolve`, or a row that does not fit its table, fails the whole event, which is
 * then parked or stops the fold, per the projection's policy.
 *
 * `evolve` returning the very row it was given means "no change": the row keeps its lineage.
 */
export function foldEvents(projection: Projection, plans: readonly EventPlan[], slots: RowSlots): FoldOutcome {
  let applied = 0;
  let lastPosition: bigint | undefined;
  const parked: EventFailure[] = [];
  for (const { event, targets, keyError } of plans) {
    const next: { slot: RowSlot; row: Row | null }[] = [];
    try {
      if (keyError !== undefined) throw keyError;
      for (const { model, key, keyString: k } of targets) {
        const slot = slotOf(slots, model, k, key);
        const evolved = model.evolve(slot.row, event);
        if (evolved === slot.row) continue;
        let row: Row | null = null;
        if (evolved !== null) {
          row = Object.freeze(canonicalRow(model, evolved));
          if (keyString(model, row) !== k) throw new Error(`${model.table}: evolve changed the key of the row`);
        }
        next.push({ slot, row });
      }
    } catch (error) {
      if (projection.onFailure === 'stop') return { applied, parked, failure: { event, error }, lastPosition };
      parked.push({ event, error });
      lastPosition = event.position;
      continue;
    }
    for (const { slot, row } of next) {
      slot.row = row;
      slot.changedAt = event.position;
    }
    applied += 1;
    lastPosition = event.position;
  }
  return { applied, parked, lastPosition };
}

function slotOf(slots: RowSlots, model: ReadModel, k: string, key: Row): RowSlot {
  let byKey = slots.get(model);
  if (!byKey) {
    byKey = new Map();
    slots.set(model, byKey);
  }
  let slot = byKey.get(k);
  if (!slot) {
    slot = { key, row: null, stored: false };
    byKey.set(k, slot);
  }
  return slot;
}

/** The store changes that bring the rows where the fold left them. */
export function changesOf(slots: RowSlots): RowChange[] {
  const changes: RowChange[] = [];
  for (const [model, byKey] of slots) {
    for (const slot of byKey.values()) {
      if (slot.changedAt === undefined) continue;
      if (slot.row !== null)
        changes.push({ kind: 'upsert', table: model.table, row: slot.row, position: slot.changedAt });
      else if (slot.stored) changes.push({ kind: 'delete', table: model.table, key: slot.key });
    }
  }
  return changes;
}

/** A parked event as the read store keeps it. */
export function parkedRecord(projection: string, failure: EventFailure, parkedAt: Date) {
  return {
    projection,
    position: failure.event.position,
    eventId: failure.event.id,
    stream: failure.event.stream,
    type: failure.event.type,
    error: describeError(failure.error),
    parkedAt: parkedAt.toISOString(),
  };
}

/** What `foldInMemory` ends with. */
export interface InMemoryFold {
  /**
   * Every model's rows, with `last_position` as a decimal string, in key order: what
   * `ReadStore.select(model, { limit })` returns after the same events.
   */
  readonly tables: ReadonlyMap<string, Row[]>;
  /** Events parked (under the `park` policy), in position order, as the store would keep them. */
  readonly parked: readonly { position: bigint; eventId: string; stream: string; type: string; error: string }[];
  /** Where the checkpoint would stand: the last event applied or parked, or -1. */
  readonly checkpoint: bigint;
  /** Under the `stop` policy: the event the projection would stop at. */
  readonly failure?: EventFailure;
}

/**
 * The projection applied to `events` (in position order) entirely in memory, with the runner's
 * own fold: the reference that incremental runs and rebuilds are compared with. Events of types
 * the projection does not handle are skipped, as the runner's filter would.
 */
export function foldInMemory(projection: Projection, events: Iterable<RecordedEvent>): InMemoryFold {
  const handled = new Set(handledEventTypes(projection));
  const slots: RowSlots = new Map();
  const parked: InMemoryFold['parked'][number][] = [];
  let checkpoint = -1n;
  let failure: EventFailure | undefined;
  let pending: RecordedEvent[] = [];
  const flush = (): boolean => {
    const outcome = foldEvents(projection, planEvents(projection, pending), slots);
    pending = [];
    for (const item of outcome.parked) {
      const { projection: _, parkedAt: __, ...record } = parkedRecord(projection.name, item, new Date(0));
      parked.push(record);
    }
    if (outcome.lastPosition !== undefined) checkpoint = outcome.lastPosition;
    failure = outcome.failure;
    return failure === undefined;
  };
  for (const event of events) {
    if (!handled.has(event.type)) continue;
    pending.push(event);
    // Folding in slices keeps the plans' memory bounded for long histories.
    if (pending.length === 1000 && !flush()) break;
  }
  if (failure === undefined) flush();

  const tables = new Map<string, Row[]>();
  for (const model of projection.readModels) {
    const rows = [...(slots.get(model)?.values() ?? [])]
      .filter((slot): slot is RowSlot & { row: Row; changedAt: bigint } => slot.row !== null)
      .sort((a, b) => compareKeys(model, a.key, b.key))
      .map((slot) => ({ ...slot.row, [LAST_POSITION_COLUMN]: slot.changedAt.toString() }));
    tables.set(model.table, rows);
  }
  return { tables, parked, checkpoint, failure };
}

/** Key order as both SQL dialects sort it: numbers by value, text bytewise (UTF-8), false before true. */
export function compareKeys(model: ReadModel, a: Row, b: Row): number {
  for (const column of model.key) {
    const c = compareValues(a[column], b[column]);
    if (c !== 0) return c;
  }
  return 0;
}

function compareValues(a: ColumnValue, b: ColumnValue): number {
  if (typeof a === 'string' && typeof b === 'string') return Buffer.compare(Buffer.from(a), Buffer.from(b));
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  return 0;
}
