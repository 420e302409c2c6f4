/**
 * Append throughput of the embedded SQLite store against raw better-sqlite3 loops writing the
 * same rows to the same kind of file, and against Emmett's SQLite event store, in the same run (a
 * benchmark, not a test).
 *
 *   npm run bench:append [-- --seconds 3 --rounds 3]
 *
 * Goals (issue 10): one appender >= 0.9 of raw one-row-per-transaction; 64 appenders in flight
 * >= 0.8 of raw 64-rows-per-transaction, and >= 30x Emmett with 64 in flight.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SqliteEventStore, type EventData } from '@harbour/event-store';
import { tempDir } from '@harbour/testing';
import { ONE_KIB_PAYLOAD, runBenchmark, type BenchSection } from './bench-support';
import { loadEmmettSqlite, type EmmettSqliteEventStore } from './emmett-peer';

function oneKibEvent(n: number): EventData {
  return {
    id: randomUUID(),
    type: 'BenchmarkEventRecorded',
    data: { n, payload: ONE_KIB_PAYLOAD },
    metadata: { bench: true },
  };
}

/** A store file with Harbour's schema, settings and nothing else. */
async function freshFile(): Promise<{ filename: string; remove: () => void }> {
  const dir = tempDir('harbour-bench-');
  const filename = join(dir.path, 'events.db');
  await new SqliteEventStore({ filename }).close();
  return { filename, remove: dir.remove };
}

/**
 * Appends from `appenders` loops until `seconds` pass; the events per second committed. An append
 * that resolves `false` failed and is not counted.
 */
async function appendLoops(
  seconds: number,
  appenders: number,
  append: (worker: number, n: number) => Promise<boolean | void>,
): Promise<number> {
  let count = 0;
  const deadline = performance.now() + seconds * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: appenders }, async (_, worker) => {
      while (performance.now() < deadline) {
        if ((await append(worker, count)) !== false) count += 1;
      }
    }),
  );
  return count / ((performance.now() - started) / 1000);
}

async function rawLoop(seconds: number, perTransaction: number): Promise<number> {
  const { filename, remove } = await freshFile();
  const db = new Database(filename);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
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

async function harbour(seconds: number, appenders: number): Promise<number> {
  const { filename, remove } = await freshFile();
  const store = new SqliteEventStore({ filename });
  const expected = new Map<number, bigint>();
  const rate = await appendLoops(seconds, appenders, async (worker, n) => {
    const result = await store.appendToStream(`bench-${worker}`, [oneKibEvent(n)], {
      expectedRevision: expected.get(worker) ?? 'no_stream',
    });
    expected.set(worker, result.nextRevision);
  });
  await store.close();
  remove();
  return rate;
}

/**
 * Emmett's store opens a connection per append and closes it after, sharing one handle between
 * callers and setting no busy timeout: appends left to run concurrently fail (SQLITE_BUSY, "Database
 * is closed"). So its 64 appenders take turns, as an application using it would have to make them.
 */
async function emmett(seconds: number, appenders: number): Promise<{ rate: number; failures: number }> {
  const { getSQLiteEventStore } = loadEmmettSqlite();
  const dir = tempDir('harbour-bench-emmett-');
  const store: EmmettSqliteEventStore = getSQLiteEventStore({ fileName: join(dir.path, 'emmett.db') });
  let turn: Promise<unknown> = Promise.resolve();
  const expected = new Map<number, bigint>();
  let failures = 0;
  const rate = await appendLoops(seconds, appenders, (worker, n) => {
    const append = turn.then(async () => {
      try {
        const result = await store.appendToStream(
          `bench-${worker}`,
          [{ type: 'BenchmarkEventRecorded', data: { n, payload: ONE_KIB_PAYLOAD }, metadata: { bench: true } }],
          { expectedStreamVersion: expected.get(worker) ?? 0n },
        );
        expected.set(worker, result.nextExpectedStreamVersion);
        return true;
      } catch {
        // Even taking turns, a commit now and then meets the previous append's connection still
        // closing (SQLITE_BUSY): counted, not fatal, and the append is not counted as done.
        failures += 1;
        return false;
      }
    });
    turn = append;
    return append;
  });
  dir.remove();
  return { rate, failures };
}

runBenchmark({ seconds: 3, rounds: 3 }, async ({ seconds, rounds }): Promise<BenchSection> => {
  console.log(`append benchmark: 1 KiB events, WAL, synchronous=FULL, ${seconds}s per measurement, best of ${rounds}`);
  const best = { raw1: 0, raw64: 0, one: 0, many: 0, emmett1: 0, emmett64: 0 };
  let emmettFailures = 0;
  const emmettRate = async (appenders: number) => {
    const { rate, failures } = await emmett(seconds, appenders);
    emmettFailures += failures;
    return rate;
  };
  for (let round = 1; round <= rounds; round++) {
    // Interleaved, so a slow phase of the shared machine hits baselines and subjects alike.
    best.raw1 = Math.max(best.raw1, await rawLoop(seconds, 1));
    best.one = Math.max(best.one, await harbour(seconds, 1));
    best.raw64 = Math.max(best.raw64, await rawLoop(seconds, 64));
    best.many = Math.max(best.many, await harbour(seconds, 64));
    best.emmett1 = Math.max(best.emmett1, await emmettRate(1));
    best.emmett64 = Math.max(best.emmett64, await emmettRate(64));
    console.log(`  round ${round}/${rounds} done`);
  }
  const unit = 'events/s';
  const raw1 = { name: 'raw better-sqlite3, 1 row per transaction', value: best.raw1 };
  const raw64 = { name: 'raw better-sqlite3, 64 rows per transaction', value: best.raw64 };
  const emmett64 = { name: 'Emmett SQLite, 64 appenders', value: best.emmett64 };
  return {
    id: 'append',
    title: 'Append: 1 KiB events, WAL, synchronous=FULL',
    measurements: [
      { ...raw1, unit, better: 'higher' },
      { name: 'Harbour, 1 appender', value: best.one, unit, better: 'higher', baseline: raw1, goal: 0.9 },
      { ...raw64, unit, better: 'higher' },
      {
        name: 'Harbour, 64 appenders in flight',
        value: best.many,
        unit,
        better: 'higher',
        baseline: raw64,
        goal: 0.8,
      },
      { name: 'Emmett SQLite, 1 appender', value: best.emmett1, unit, better: 'higher' },
      { ...emmett64, unit, better: 'higher' },
      {
        name: 'Harbour, 64 appenders in flight (against Emmett)',
        value: best.many,
        unit,
        better: 'higher',
        baseline: emmett64,
        goal: 30,
      },
    ],
    notes: [
      `${seconds}s per measurement, best of ${rounds} interleaved rounds; one event per append, a stream per appender.`,
      'Emmett: @event-driven-io/emmett-sqlite 0.38.5 (the newest the registry serves with a matching @event-driven-io/emmett), node sqlite3 5.1.7, its own WAL file at the compiled-in synchronous default (FULL). Its appenders take turns: run concurrently on one store they fail with SQLITE_BUSY and "Database is closed".',
      `Emmett appends that failed even so (SQLITE_BUSY on commit while its previous connection closes), not counted: ${emmettFailures}.`,
    ],
  };
});
