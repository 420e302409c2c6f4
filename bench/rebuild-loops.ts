/**
 * The two ways of building every read model from an event store file: Harbour's projection runner,
 * and the raw loop it is measured against.
 */
import Database from 'better-sqlite3';
import { SqliteEventStore } from '@harbour/event-store';
import { PROJECTIONS, ProjectionRunner, type ReadModel } from '@harbour/projections';
import { SqliteReadStore, keyString, type Row } from '@harbour/read-store';

/** Every read model Harbour keeps: those of every projection the projector runs. */
export const ALL_READ_MODELS: readonly ReadModel[] = PROJECTIONS.flatMap((projection) => projection.readModels);

/**
 * Rebuilds every projection into a new read-store file in one pass over `$all`, as `harbour rebuild` does.
 * `onBatch` is called after each committed batch (the memory measurement samples there).
 */
export async function harbourRebuild(eventsFile: string, readFile: string, onBatch?: () => void): Promise<void> {
  const eventStore = new SqliteEventStore({ filename: eventsFile });
  const readStore = new SqliteReadStore({ filename: readFile });
  try {
    await ProjectionRunner.rebuildTogether(
      PROJECTIONS.map((projection) => new ProjectionRunner(eventStore, readStore, projection)),
      { onProgress: onBatch },
    );
  } finally {
    await readStore.close();
    await eventStore.close();
  }
}

type Writer = {
  readonly model: ReadModel;
  readonly columns: string[];
  readonly insert: Database.Statement;
  readonly select: Database.Statement;
};
type Touched = Map<string, { writer: Writer; row: Row; position: bigint }>;

/**
 * The baseline: one pass over the events table in pages, parse, fold each page with the models'
 * own `evolve` into the rows it touches, and write them with plain prepared statements in one
 * transaction per page, synchronous=FULL. No checkpoints, no parking, no shadow tables.
 */
export function rawRebuild(eventsFile: string, readFile: string): void {
  const events = new Database(eventsFile, { readonly: true });
  const read = new Database(readFile);
  read.pragma('journal_mode = WAL');
  read.pragma('synchronous = FULL');
  const writers: Writer[] = ALL_READ_MODELS.map((model) => {
    const columns = [...Object.keys(model.columns), 'last_position'];
    // The same table as Harbour's: primary key and the model's secondary indexes.
    read.exec(`CREATE TABLE ${model.table} (${columns.join(', ')}, PRIMARY KEY (${model.key.join(', ')}))`);
    (model.indexes ?? []).forEach((index, i) =>
      read.exec(`CREATE INDEX ${model.table}_raw_${i} ON ${model.table} (${index.join(', ')})`),
    );
    const insert = read.prepare(
      `INSERT OR REPLACE INTO ${model.table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`,
    );
    const select = read.prepare(`SELECT * FROM ${model.table} WHERE ${model.key.map((k) => `${k} = ?`).join(' AND ')}`);
    return { model, columns, insert, select };
  });
  const page = events
    .prepare('SELECT * FROM events WHERE position > ? ORDER BY position LIMIT 2000')
    .safeIntegers(true);
  const decode = (model: ReadModel, stored: Record<string, unknown> | undefined): Row | null => {
    if (!stored) return null;
    const row: Record<string, unknown> = {};
    for (const [column, spec] of Object.entries(model.columns)) {
      const value = stored[column];
      row[column] =
        spec.type === 'json' && typeof value === 'string'
          ? JSON.parse(value)
          : spec.type === 'boolean' && value !== null
            ? value === 1
            : value;
    }
    return row as Row;
  };
  const encode = (value: unknown) =>
    value === null || value === undefined
      ? null
      : typeof value === 'object'
        ? JSON.stringify(value)
        : typeof value === 'boolean'
          ? value
            ? 1
            : 0
          : value;
  const writeBatch = read.transaction((rows: Touched) => {
    for (const { writer, row, position } of rows.values()) {
      writer.insert.run(
        ...writer.columns.map((column) => (column === 'last_position' ? position : encode(row[column]))),
      );
    }
  });
  const handles = writers.map((writer) => new Set(writer.model.handles));
  let after = 0n;
  for (;;) {
    const rows = page.all(after) as Record<string, unknown>[];
    if (rows.length === 0) break;
    const touched: Touched = new Map();
    for (const stored of rows) {
      const event = {
        id: String(stored.id),
        stream: String(stored.stream),
        revision: stored.revision as bigint,
        position: stored.position as bigint,
        type: String(stored.type),
        data: JSON.parse(String(stored.data)),
        metadata: JSON.parse(String(stored.metadata)),
        recordedAt: new Date(String(stored.recorded_at)),
      };
      writers.forEach((writer, w) => {
        if (!handles[w].has(event.type)) return;
        const key = writer.model.keyOf(event);
        if (!key) return;
        const slot = `${writer.model.table}:${keyString(writer.model, key)}`;
        const current =
          touched.get(slot)?.row ??
          decode(writer.model, writer.select.get(...writer.model.key.map((k) => key[k])) as Record<string, unknown>);
        const next = writer.model.evolve(current, event);
        if (next) touched.set(slot, { writer, row: next, position: event.position });
      });
      after = event.position;
    }
    writeBatch(touched);
  }
  events.close();
  read.close();
}
