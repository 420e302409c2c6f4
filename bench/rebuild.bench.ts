/**
 * Rebuilding every read model from the event store, against a raw loop that reads, parses, folds
 * (with the same pure `evolve` functions) and writes the same rows with better-sqlite3, in the same
 * run (a benchmark, not a test).
 *
 *   npm run bench:rebuild [-- --events 200000 --rounds 1]
 *
 * Goal (issue 4): at least 0.6 of the raw loop's events/s, and memory that does not grow with the
 * number of events (measured at a quarter of the events and at all of them).
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { DomainExamples } from '@harbour/domain';
import { SqliteEventStore, type EventData, type JsonObject } from '@harbour/event-store';
import { CASE_READ_MODELS, ProjectionRunner, type ReadModel } from '@harbour/projections';
import { SqliteReadStore, keyString, type Row } from '@harbour/read-store';
import { tempDir } from '@harbour/testing';
import { parseBenchArgs, printTable } from './bench-support';

const { events: target, rounds } = parseBenchArgs(process.argv.slice(2), { events: 200_000, rounds: 1 });
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;

/** Case streams cloned from the domain's examples with fresh ids: realistic shapes, no real person. */
async function seed(store: SqliteEventStore, count: number): Promise<number> {
  const templates = DomainExamples.exampleCaseStreams().map((stream) => JSON.stringify(stream));
  let written = 0;
  let copy = 0;
  while (written < count) {
    const template = templates[copy % templates.length];
    const ids = new Map<string, string>();
    const events = JSON.parse(
      template.replace(UUID, (id) => ids.get(id) ?? (ids.set(id, randomUUID()), ids.get(id)!)),
    ) as { type: string; data: JsonObject }[];
    const caseId = String(events[0].data.caseId);
    const batch: EventData[] = events.slice(0, count - written).map((event) => ({
      id: randomUUID(),
      type: event.type,
      data: event.data,
      metadata: {
        actor: { userId: 'bench', role: 'lead' },
        workflow: { id: 'nrm-pilot-2015', version: 1 },
        schemaVersion: 1,
      },
    }));
    await store.appendToStream(`case-${caseId}`, batch, { expectedRevision: 'no_stream' });
    written += batch.length;
    copy += 1;
  }
  return written;
}

interface Measurement {
  readonly eventsPerSecond: number;
  readonly peakHeapMb: number;
}

/** Samples the heap while `work` runs: the peak above the heap at the start. */
async function measured(events: number, work: () => Promise<void>): Promise<Measurement> {
  global.gc?.();
  const base = process.memoryUsage().heapUsed;
  let peak = base;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().heapUsed)), 5);
  const started = performance.now();
  await work();
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().heapUsed);
  return { eventsPerSecond: events / seconds, peakHeapMb: (peak - base) / 2 ** 20 };
}

async function harbourRebuild(eventsFile: string, readFile: string): Promise<void> {
  const eventStore = new SqliteEventStore({ filename: eventsFile });
  const readStore = new SqliteReadStore({ filename: readFile });
  await new ProjectionRunner(eventStore, readStore, CASE_READ_MODELS).rebuild();
  await readStore.close();
  await eventStore.close();
}

/**
 * The baseline: page through the events table, parse, fold each batch with the models' own
 * `evolve` into the rows it touches, and write them with plain prepared statements.
 */
function rawRebuild(eventsFile: string, readFile: string): void {
  const events = new Database(eventsFile, { readonly: true });
  const read = new Database(readFile);
  read.pragma('journal_mode = WAL');
  read.pragma('synchronous = FULL');
  const models = CASE_READ_MODELS.readModels as readonly ReadModel[];
  const writers = models.map((model) => {
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
  const page = events.prepare('SELECT * FROM events WHERE position > ? ORDER BY position LIMIT 500').safeIntegers(true);
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
  const writeBatch = read.transaction(
    (rows: Map<string, { writer: (typeof writers)[number]; row: Row; position: bigint }>) => {
      for (const { writer, row, position } of rows.values()) {
        writer.insert.run(
          ...writer.columns.map((column) => (column === 'last_position' ? position : encode(row[column]))),
        );
      }
    },
  );
  let after = 0n;
  for (;;) {
    const rows = page.all(after) as Record<string, unknown>[];
    if (rows.length === 0) break;
    const touched = new Map<string, { writer: (typeof writers)[number]; row: Row; position: bigint }>();
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
      for (const writer of writers) {
        if (!writer.model.handles.includes(event.type)) continue;
        const key = writer.model.keyOf(event);
        if (!key) continue;
        const slot = `${writer.model.table}:${keyString(writer.model, key)}`;
        const current =
          touched.get(slot)?.row ??
          decode(writer.model, writer.select.get(...writer.model.key.map((k) => key[k])) as Record<string, unknown>);
        const next = writer.model.evolve(current, event);
        if (next) touched.set(slot, { writer, row: next, position: event.position });
      }
      after = event.position;
    }
    writeBatch(touched);
  }
  events.close();
  read.close();
}

async function main(): Promise<void> {
  console.log(
    `rebuild benchmark: all read models (${CASE_READ_MODELS.readModels.map((m) => m.table).join(', ')}), SQLite, synchronous=FULL`,
  );
  const results = [];
  for (const events of [Math.round(target / 4), target]) {
    const dir = tempDir('harbour-bench-rebuild-');
    const eventsFile = join(dir.path, 'events.db');
    const store = new SqliteEventStore({ filename: eventsFile });
    const written = await seed(store, events);
    await store.close();
    let harbour: Measurement | undefined;
    let raw: Measurement | undefined;
    for (let round = 0; round < rounds; round++) {
      const h = await measured(written, () => harbourRebuild(eventsFile, join(dir.path, `harbour-${round}.db`)));
      const r = await measured(written, async () => rawRebuild(eventsFile, join(dir.path, `raw-${round}.db`)));
      if (!harbour || h.eventsPerSecond > harbour.eventsPerSecond) harbour = h;
      if (!raw || r.eventsPerSecond > raw.eventsPerSecond) raw = r;
    }
    dir.remove();
    results.push({ events: written, harbour: harbour!, raw: raw! });
    console.log(
      `  ${written.toLocaleString('en-GB')} events: peak heap above start: Harbour ${harbour!.peakHeapMb.toFixed(1)} MiB, raw ${raw!.peakHeapMb.toFixed(1)} MiB`,
    );
  }
  for (const { events, harbour, raw } of results) {
    printTable(
      [
        { name: `raw loop, ${events.toLocaleString('en-GB')} events`, rate: raw.eventsPerSecond },
        {
          name: `Harbour rebuild, ${events.toLocaleString('en-GB')} events`,
          rate: harbour.eventsPerSecond,
          baseline: raw.eventsPerSecond,
          goal: 0.6,
        },
      ],
      'events/s',
    );
  }
  const [small, large] = results;
  const growth = large.harbour.peakHeapMb / Math.max(small.harbour.peakHeapMb, 1);
  console.log(
    `\nmemory: Harbour's peak heap at ${large.events.toLocaleString('en-GB')} events is ${growth.toFixed(2)}x that at ${small.events.toLocaleString('en-GB')} (flat is ~1; 4x the events)`,
  );
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
