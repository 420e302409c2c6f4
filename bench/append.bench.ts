/**
 * Append throughput of the embedded SQLite store against raw better-sqlite3 loops writing the
 * same rows to the same kind of file, in the same run (a benchmark, not a test).
 *
 *   npm run bench:append [-- --seconds 3 --rounds 2]
 *
 * Goals (issue 2): one appender >= 0.9 of raw one-row-per-transaction; 64 appenders in flight
 * >= 0.8 of raw 64-rows-per-transaction.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SqliteEventStore, type EventData } from '@harbour/event-store';
import { tempDir } from '@harbour/testing';
import { parseBenchArgs, printTable, type Row } from './bench-support';

const { seconds, rounds } = parseBenchArgs(process.argv.slice(2), { seconds: 3, rounds: 2 });
const PAYLOAD = 'x'.repeat(1024 - 60);

function oneKibEvent(n: number): EventData {
  return { id: randomUUID(), type: 'BenchmarkEventRecorded', data: { n, payload: PAYLOAD }, metadata: { bench: true } };
}

/** A store file with Harbour's schema, settings and nothing else. */
async function freshFile(): Promise<{ filename: string; remove: () => void }> {
  const dir = tempDir('harbour-bench-');
  const filename = join(dir.path, 'events.db');
  await new SqliteEventStore({ filename }).close();
  return { filename, remove: dir.remove };
}

function openRaw(filename: string): Database.Database {
  const db = new Database(filename);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  return db;
}

async function rawLoop(perTransaction: number): Promise<number> {
  const { filename, remove } = await freshFile();
  const db = openRaw(filename);
  const insert = db.prepare(
    'INSERT INTO events (id, stream, revision, type, data, metadata, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const revisions = new Map<string, number>();
  const writeBatch = db.transaction((events: EventData[], offset: number) => {
    const recordedAt = new Date().toISOString();
    events.forEach((event, i) => {
      const stream = `bench-${(offset + i) % 64}`;
      const revision = (revisions.get(stream) ?? -1) + 1;
      revisions.set(stream, revision);
      insert.run(
        event.id,
        stream,
        revision,
        event.type,
        JSON.stringify(event.data),
        JSON.stringify(event.metadata),
        recordedAt,
      );
    });
  });
  let count = 0;
  const deadline = performance.now() + seconds * 1000;
  const started = performance.now();
  while (performance.now() < deadline) {
    const events = Array.from({ length: perTransaction }, (_, i) => oneKibEvent(count + i));
    writeBatch.immediate(events, count);
    count += perTransaction;
  }
  const rate = count / ((performance.now() - started) / 1000);
  db.close();
  remove();
  return rate;
}

async function harbour(appenders: number): Promise<number> {
  const { filename, remove } = await freshFile();
  const store = new SqliteEventStore({ filename });
  let count = 0;
  const deadline = performance.now() + seconds * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: appenders }, async (_, worker) => {
      const stream = `bench-${worker}`;
      let expected: bigint | 'no_stream' = 'no_stream';
      while (performance.now() < deadline) {
        const result = await store.appendToStream(stream, [oneKibEvent(count)], { expectedRevision: expected });
        expected = result.nextRevision;
        count += 1;
      }
    }),
  );
  const rate = count / ((performance.now() - started) / 1000);
  await store.close();
  remove();
  return rate;
}

async function main(): Promise<void> {
  console.log(`append benchmark: 1 KiB events, WAL, synchronous=FULL, ${seconds}s per measurement, best of ${rounds}`);
  const best = { raw1: 0, raw64: 0, one: 0, many: 0 };
  for (let round = 1; round <= rounds; round++) {
    // Interleaved, so a slow phase of the shared machine hits baseline and subject alike.
    best.raw1 = Math.max(best.raw1, await rawLoop(1));
    best.one = Math.max(best.one, await harbour(1));
    best.raw64 = Math.max(best.raw64, await rawLoop(64));
    best.many = Math.max(best.many, await harbour(64));
    process.stdout.write(`  round ${round}/${rounds} done\n`);
  }
  const rows: Row[] = [
    { name: 'raw better-sqlite3, 1 row per transaction', rate: best.raw1 },
    { name: 'Harbour, 1 appender', rate: best.one, baseline: best.raw1, goal: 0.9 },
    { name: 'raw better-sqlite3, 64 rows per transaction', rate: best.raw64 },
    { name: 'Harbour, 64 appenders in flight', rate: best.many, baseline: best.raw64, goal: 0.8 },
  ];
  printTable(rows, 'events/s');
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
