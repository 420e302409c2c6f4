import { randomUUID } from 'node:crypto';
import type { EventStore, JsonObject, RecordedEvent } from '@harbour/event-store';
import { foldInMemory, type FailurePolicy, type Projection, type ReadModel } from '@harbour/projections';
import type { ReadStore, Row } from '@harbour/read-store';

/**
 * A small projection for runner tests, with the shapes that matter:
 * - `stream_counters`: one row per stream, counting `Counted`; `Reset` deletes the row; `Tagged`
 *   needs the row (out of order it throws, so it parks, and a retry after the `Counted` applies);
 *   `Poison` always throws; `Unchanged` returns the row as it is (no write);
 * - `applications`: one row per event id, counting how often the event was applied: any count
 *   above 1 is an event applied twice.
 * `Ignored` events are handled by neither model (the runner's filter skips them).
 */
export const COUNTER_EVENT_TYPES = ['Counted', 'Reset', 'Tagged', 'Poison', 'Unchanged'] as const;

export function counterProjection(
  name: string,
  options: { onFailure?: FailurePolicy; version?: number; weight?: number } = {},
): Projection {
  const weight = options.weight ?? 1;
  const counters: ReadModel = {
    table: `${name.replace(/-/g, '_')}_stream_counters`,
    columns: {
      stream: { type: 'text' },
      count: { type: 'integer' },
      last_revision: { type: 'integer' },
      tags: { type: 'json' },
      first_at: { type: 'timestamp' },
      tagged: { type: 'boolean' },
      note: { type: 'text', nullable: true },
    },
    key: ['stream'],
    indexes: [['count'], ['first_at']],
    handles: ['Counted', 'Reset', 'Tagged', 'Poison', 'Unchanged'],
    keyOf: (event) => ({ stream: event.stream }),
    evolve: (row, event) => {
      switch (event.type) {
        case 'Counted':
          return {
            stream: event.stream,
            count: Number(row?.count ?? 0) + weight,
            last_revision: Number(event.revision),
            tags: row?.tags ?? [],
            first_at: row?.first_at ?? String(event.data.at),
            tagged: row?.tagged ?? false,
            note: null,
          };
        case 'Reset':
          return null;
        case 'Tagged':
          if (row === null) throw new Error('Tagged before the stream was counted');
          return { ...row, tags: [...(row.tags as string[]), String(event.data.tag)], tagged: true };
        case 'Poison':
          throw new Error('poison event');
        default:
          return row;
      }
    },
  };
  const applications: ReadModel = {
    table: `${name.replace(/-/g, '_')}_applications`,
    columns: { event_id: { type: 'text' }, applications: { type: 'integer' } },
    key: ['event_id'],
    handles: ['Counted', 'Tagged'],
    keyOf: (event) => ({ event_id: event.id }),
    evolve: (row, event) => ({ event_id: event.id, applications: Number(row?.applications ?? 0) + 1 }),
  };
  return {
    name,
    version: options.version ?? 1,
    readModels: [counters, applications],
    onFailure: options.onFailure ?? 'park',
  };
}

export type CounterEventType = (typeof COUNTER_EVENT_TYPES)[number] | 'Ignored';

/** Appends one event of `type` to `stream`. */
export async function appendEvent(store: EventStore, stream: string, type: CounterEventType, data: JsonObject = {}) {
  return store.appendToStream(
    stream,
    [{ id: randomUUID(), type, data: { at: '2015-04-01T10:00:00+01:00', tag: 'tag', ...data } }],
    { expectedRevision: 'any' },
  );
}

/** Every event in the store, in position order. */
export async function allEvents(store: EventStore): Promise<RecordedEvent[]> {
  const events: RecordedEvent[] = [];
  for await (const event of store.readAll()) events.push(event);
  return events;
}

/** Every table of the projection as the read store holds it, keyed by table name. */
export async function storedTables(readStore: ReadStore, projection: Projection): Promise<Map<string, Row[]>> {
  const tables = new Map<string, Row[]>();
  for (const model of projection.readModels) tables.set(model.table, await readStore.select(model, { limit: 100_000 }));
  return tables;
}

/** What the tables must hold after every event in the store: the in-memory fold. */
export async function expectedTables(eventStore: EventStore, projection: Projection): Promise<Map<string, Row[]>> {
  return new Map(foldInMemory(projection, await allEvents(eventStore)).tables);
}

/** Polls `check` until it holds, or fails after `timeoutMs` with `what`. */
export async function eventually(check: () => Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** The application counts of every event id: all 1 when no event was applied twice. */
export function applicationCounts(tables: Map<string, Row[]>, projection: Projection): number[] {
  return (tables.get(projection.readModels[1].table) ?? []).map((row) => Number(row.applications));
}
