/**
 * The ledger (issue 18), each figure against a baseline measured in the same run (a benchmark,
 * not a test):
 *
 *   npm run bench -- --only ledger        or   node -r @swc-node/register bench/ledger.bench.ts
 *
 * - Tree maintenance (leaf and node hashes, and storing them in ledger.db) in leaves per second,
 *   as a ratio to a raw loop hashing the same leaf entries with Node's SHA-256: goal >= 0.5.
 * - Appends to the SQLite event store (16 appenders in flight) while the ledger keeps up with them
 *   in the same process (from its worker thread, as the API runs it), as a ratio to the same appends without it: goal >= 0.9.
 * - Inclusion and consistency proofs on a ledger of `--proofEvents` leaves (1,000,000 by default):
 *   stored nodes read per proof (O(log n)) and the p99 time per proof.
 */
import { createHash, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import {
  SqliteLedger,
  consistencyProof,
  inclusionProof,
  ledgerEntry,
  startLedgerKeeper,
  type NodeReader,
} from '@harbour/audit';
import { SqliteEventStore, type RecordedEvent } from '@harbour/event-store';
import { tempDir } from '@harbour/testing';
import { ONE_KIB_PAYLOAD, runBenchmark, type Measurement } from './bench-support';

/** Events as the store would hand them to the ledger, made in memory. */
const LEAF_PREFIX = Buffer.from([0x00]);

function syntheticEvents(count: number, from = 0): RecordedEvent[] {
  const recordedAt = new Date('2026-12-01T09:00:00.000Z');
  return Array.from({ length: count }, (_, i) => ({
    id: randomUUID(),
    stream: `case-${(from + i) % 997}`,
    revision: BigInt(Math.floor((from + i) / 997)),
    position: BigInt(from + i),
    type: 'BenchmarkEventRecorded',
    data: { n: from + i, payload: ONE_KIB_PAYLOAD },
    metadata: { bench: true },
    recordedAt,
  }));
}

function treeMaintenance(leaves: number): { raw: number; rawBytes: number; tree: number } {
  const events = syntheticEvents(leaves);
  // The raw loop: each event's leaf hashed with Node's SHA-256 (its entry made, then hashed), nothing kept.
  let started = performance.now();
  for (const event of events) createHash('sha256').update(LEAF_PREFIX).update(ledgerEntry(event)).digest();
  const raw = leaves / ((performance.now() - started) / 1000);
  // And over entries made beforehand: SHA-256 alone.
  const entries = events.map(ledgerEntry);
  started = performance.now();
  for (const entry of entries) createHash('sha256').update(LEAF_PREFIX).update(entry).digest();
  const rawBytes = leaves / ((performance.now() - started) / 1000);
  const dir = tempDir('harbour-bench-ledger-');
  const ledger = new SqliteLedger(join(dir.path, 'ledger.db'));
  try {
    started = performance.now();
    for (let at = 0; at < leaves; at += 1000) ledger.appendEvents(events.slice(at, at + 1000));
    const tree = leaves / ((performance.now() - started) / 1000);
    return { raw, rawBytes, tree };
  } finally {
    ledger.close();
    dir.remove();
  }
}

async function appendThroughput(seconds: number, withLedger: boolean): Promise<number> {
  const dir = tempDir('harbour-bench-ledger-');
  const store = new SqliteEventStore({ filename: join(dir.path, 'events.db') });
  const ledger = new SqliteLedger(join(dir.path, 'ledger.db'));
  // As the API's ledger host runs it: a worker thread catches up, idles a quarter of a second, again.
  const keeper = withLedger
    ? startLedgerKeeper({
        ledgerFilename: join(dir.path, 'ledger.db'),
        eventsFilename: join(dir.path, 'events.db'),
        report: (message) => {
          if (message.kind !== 'caught-up') console.error(`ledger: ${message.kind}: ${message.message}`);
        },
        onFailed: (error) => console.error(`ledger worker failed: ${error.message}`),
      })
    : undefined;
  let count = 0;
  const deadline = performance.now() + seconds * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: 16 }, async (_, worker) => {
      for (let revision = 0; performance.now() < deadline; revision += 1) {
        await store.appendToStream(
          `case-${worker}`,
          [{ id: randomUUID(), type: 'BenchmarkEventRecorded', data: { payload: ONE_KIB_PAYLOAD }, metadata: {} }],
          { expectedRevision: revision === 0 ? 'no_stream' : BigInt(revision - 1) },
        );
        count += 1;
      }
    }),
  );
  const rate = count / ((performance.now() - started) / 1000);
  await keeper?.stop();
  if (withLedger) await ledger.catchUp(store);
  const kept = ledger.size();
  ledger.close();
  await store.close();
  dir.remove();
  if (withLedger && kept !== count) throw new Error(`the ledger holds ${kept} of ${count} events`);
  return rate;
}

function proofs(size: number, samples: number): Measurement[] {
  const dir = tempDir('harbour-bench-ledger-');
  const ledger = new SqliteLedger(join(dir.path, 'ledger.db'));
  try {
    for (let at = 0; at < size; at += 10_000) ledger.appendEvents(syntheticEvents(Math.min(10_000, size - at), at));
    let reads = 0;
    const read: NodeReader = (level, index) => {
      reads += 1;
      return ledger.read(level, index);
    };
    const measure = (prove: () => unknown) => {
      const before = reads;
      const started = performance.now();
      prove();
      return { ms: performance.now() - started, reads: reads - before };
    };
    const inclusion: { ms: number; reads: number }[] = [];
    const consistency: { ms: number; reads: number }[] = [];
    for (let i = 0; i < samples; i += 1) {
      const treeSize = size - Math.floor(Math.random() * 1000);
      inclusion.push(measure(() => inclusionProof(read, Math.floor(Math.random() * treeSize), treeSize)));
      const from = 1 + Math.floor(Math.random() * (size - 1));
      consistency.push(measure(() => consistencyProof(read, from, size)));
    }
    const p99 = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length * 0.99)];
    const log2 = Math.ceil(Math.log2(size));
    return Object.entries({ inclusion, consistency }).flatMap(([kind, measured]): Measurement[] => [
      {
        name: `${kind} proof p99 (${size} leaves)`,
        value: p99(measured.map((m) => m.ms)),
        unit: 'ms',
        better: 'lower',
      },
      {
        name: `${kind} proof nodes read, most (log2 n = ${log2})`,
        value: Math.max(...measured.map((m) => m.reads)),
        unit: 'nodes',
        better: 'lower',
      },
    ]);
  } finally {
    ledger.close();
    dir.remove();
  }
}

runBenchmark({ leaves: 100_000, seconds: 5, proofEvents: 1_000_000, samples: 2000 }, async (options) => {
  const maintenance = treeMaintenance(options.leaves);
  const without = await appendThroughput(options.seconds, false);
  const withLedger = await appendThroughput(options.seconds, true);
  return {
    id: 'ledger',
    title: 'Ledger: tree maintenance, appends beside it, proofs',
    measurements: [
      { name: 'raw loop: each leaf hashed (SHA-256)', value: maintenance.raw, unit: 'leaves/s', better: 'higher' },
      {
        name: 'tree maintenance (leaves, nodes, ledger.db)',
        value: maintenance.tree,
        unit: 'leaves/s',
        better: 'higher',
        baseline: { name: 'raw loop: each leaf hashed (SHA-256)', value: maintenance.raw },
        goal: 0.5,
      },
      {
        name: 'SHA-256 alone over entries made beforehand',
        value: maintenance.rawBytes,
        unit: 'leaves/s',
        better: 'higher',
      },
      {
        name: 'tree maintenance, against SHA-256 alone',
        value: maintenance.tree,
        unit: 'leaves/s',
        better: 'higher',
        baseline: { name: 'SHA-256 alone over entries made beforehand', value: maintenance.rawBytes },
      },
      { name: 'appends, no ledger (16 in flight)', value: without, unit: 'events/s', better: 'higher' },
      {
        name: 'appends, ledger keeping up (16 in flight)',
        value: withLedger,
        unit: 'events/s',
        better: 'higher',
        baseline: { name: 'appends, no ledger (16 in flight)', value: without },
        goal: 0.9,
      },
      ...proofs(options.proofEvents, options.samples),
    ],
    notes: [
      `${options.leaves} leaves of 1 KiB events for tree maintenance. The raw loop hashes each event's leaf as the ` +
        'tree does, SHA-256(0x00 ‖ entry), the entry (canonical JSON of the event) made in the loop, and keeps ' +
        'nothing; the tree adds the interior nodes and writes leaves and nodes to ledger.db. Against SHA-256 alone ' +
        'over entries made beforehand (no canonical JSON) the ratio is shown without a goal',
      `appends for ${options.seconds} s each way, 16 appenders in flight, the ledger caught up by a worker thread every 250 ms as the API does`,
      `proofs: ${options.samples} of each, random leaves and tree sizes, on a ledger of ${options.proofEvents} leaves read from ledger.db`,
    ],
  };
});
