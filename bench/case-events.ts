/**
 * Synthetic case events for the benchmarks, cloned from the domain's example streams with fresh
 * ids (realistic shapes, no real person), and the raw fast path that fills a store with them.
 */
import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import { DomainExamples } from '@harbour/domain';
import { SqliteEventStore, type JsonObject } from '@harbour/event-store';

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;

const METADATA = JSON.stringify({
  actor: { userId: 'bench', role: 'lead' },
  workflow: { id: 'nrm-pilot-2015', version: 1 },
  schemaVersion: 1,
});

let templates: string[] | undefined;

/** One example case stream with every id replaced by a fresh one. */
export function freshCaseStream(copy: number): { caseId: string; events: { type: string; data: JsonObject }[] } {
  templates ??= DomainExamples.exampleCaseStreams().map((stream) => JSON.stringify(stream));
  const ids = new Map<string, string>();
  const events = JSON.parse(
    templates[copy % templates.length].replace(UUID, (id) => ids.get(id) ?? (ids.set(id, randomUUID()), ids.get(id)!)),
  ) as { type: string; data: JsonObject }[];
  return { caseId: String(events[0].data.caseId), events };
}

/**
 * Adds whole case streams to the store file until it holds at least `total` events, with plain
 * inserts in large transactions: the same rows `appendToStream` writes, at the speed of SQLite
 * itself, so that a store of millions of events takes a minute, not an hour. Returns the count.
 */
export async function fillStore(filename: string, total: number): Promise<number> {
  // Creates the file with Harbour's schema and settings, if it is new.
  await new SqliteEventStore({ filename }).close();
  const db = new Database(filename);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    const insert = db.prepare(
      'INSERT INTO events (id, stream, revision, type, data, metadata, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    let count = (db.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n;
    const writeCases = db.transaction((until: number) => {
      const recordedAt = new Date().toISOString();
      let copy = count;
      while (count < until) {
        const { caseId, events } = freshCaseStream(copy++);
        events.forEach((event, revision) => {
          insert.run(
            randomUUID(),
            `case-${caseId}`,
            revision,
            event.type,
            JSON.stringify(event.data),
            METADATA,
            recordedAt,
          );
        });
        count += events.length;
      }
    });
    while (count < total) writeCases(Math.min(total, count + 20_000));
    db.pragma('wal_checkpoint(TRUNCATE)');
    return count;
  } finally {
    db.close();
  }
}
