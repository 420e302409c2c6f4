import type { RecordedEvent } from '@harbour/event-store';
import type { Row, TableSpec } from '@harbour/read-store';

/**
 * One read model (one table): a pure fold of the events it handles into rows. `keyOf` names the
 * row an event changes; `evolve` returns the new row, or `null` to delete it. The same `evolve`
 * serves live projection, rebuilds, replays and tests.
 */
export interface ReadModel<R extends Row = Row> extends TableSpec {
  /** Event types this model reacts to; others are never passed to `evolve`. */
  readonly handles: readonly string[];
  /** The key of the row `event` changes (key columns only), or undefined when it changes none. */
  readonly keyOf: (event: RecordedEvent) => Row | undefined;
  readonly evolve: (row: R | null, event: RecordedEvent) => R | null;
}

/** What the runner does with an event whose `evolve` throws. */
export type FailurePolicy = 'park' | 'stop';

/**
 * Read models projected together from one checkpoint. Bump `version` when a model's shape or
 * logic changes: the projection then needs a rebuild.
 */
export interface Projection {
  readonly name: string;
  readonly version: number;
  readonly readModels: readonly ReadModel[];
  readonly onFailure: FailurePolicy;
}

/** Every event type any of the projection's models handles: the runner reads only these. */
export function handledEventTypes(projection: Projection): string[] {
  return [...new Set(projection.readModels.flatMap((model) => model.handles))];
}
