/**
 * How cost grows with the store: Harbour's append throughput (64 appenders in flight) and rebuild
 * throughput (every projection) in a store of 100 k, 1 M and 5 M case events, each compared with
 * the figure at the smallest size in the same run (a benchmark, not a test). The store is filled
 * between sizes with the raw fast path (plain inserts of the same rows): only the measurements go
 * through Harbour.
 *
 *   npm run bench:growth [-- --growth 100000,1000000,5000000 --seconds 3]
 *
 * Goals (issues 10, 21): append throughput at the largest size at least 0.9 of that at the smallest;
 * rebuild time linear, i.e. rebuild events/s at each size at least 0.8 of that at the smallest.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { SqliteEventStore } from '@harbour/event-store';
import { tempDir } from '@harbour/testing';
import { ONE_KIB_PAYLOAD, runBenchmark, withMemorySampled, type BenchSection, type Measurement } from './bench-support';
import { fillStore } from './case-events';
import { harbourRebuild } from './rebuild-loops';

async function appendRate(filename: string, seconds: number, label: string): Promise<number> {
  const store = new SqliteEventStore({ filename });
  let count = 0;
  const deadline = performance.now() + seconds * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: 64 }, async (_, worker) => {
      let expected: bigint | 'no_stream' = 'no_stream';
      while (performance.now() < deadline) {
        const result = await store.appendToStream(
          `bench-${label}-${worker}`,
          [
            {
              id: randomUUID(),
              type: 'BenchmarkEventRecorded',
              data: { n: count, payload: ONE_KIB_PAYLOAD },
              metadata: {},
            },
          ],
          { expectedRevision: expected },
        );
        expected = result.nextRevision;
        count += 1;
      }
    }),
  );
  const rate = count / ((performance.now() - started) / 1000);
  await store.close();
  return rate;
}

runBenchmark(
  { growth: [100_000, 1_000_000, 5_000_000] as readonly number[], seconds: 3 },
  async ({ growth, seconds }): Promise<BenchSection> => {
    const sizes = [...growth].sort((a, b) => a - b);
    const dir = tempDir('harbour-bench-growth-');
    const filename = join(dir.path, 'events.db');
    const results: { events: number; append: number; rebuild: number; rebuildSeconds: number; peakRssMiB: number }[] =
      [];
    try {
      for (const size of sizes) {
        const fillStarted = performance.now();
        const events = await fillStore(filename, size);
        console.log(
          `  filled to ${events.toLocaleString('en-GB')} events in ${((performance.now() - fillStarted) / 1000).toFixed(0)}s`,
        );
        // Rebuild first: the appends below add events of a type no projection reads, which the
        // next fill counts towards the next size.
        const rebuilt = await withMemorySampled(() => harbourRebuild(filename, join(dir.path, `read-${size}.db`)));
        const append = await appendRate(filename, seconds, String(size));
        results.push({
          events,
          append,
          rebuild: events / rebuilt.seconds,
          rebuildSeconds: rebuilt.seconds,
          peakRssMiB: rebuilt.peakRssMiB,
        });
        console.log(`  ${events.toLocaleString('en-GB')} events: append and rebuild measured`);
      }
    } finally {
      dir.remove();
    }
    const [first] = results;
    const n = (events: number) => events.toLocaleString('en-GB');
    const measurements: Measurement[] = [];
    const appendBase = { name: `Harbour append, 64 in flight, store of ${n(first.events)}`, value: first.append };
    const rebuildBase = { name: `Harbour rebuild, ${n(first.events)} events`, value: first.rebuild };
    const rssBase = { name: `Harbour rebuild peak RSS, ${n(first.events)} events`, value: first.peakRssMiB };
    const largest = results[results.length - 1];
    for (const result of results) {
      const isFirst = result === first;
      measurements.push({
        name: `Harbour append, 64 in flight, store of ${n(result.events)}`,
        value: result.append,
        unit: 'events/s',
        better: 'higher',
        ...(isFirst ? {} : { baseline: appendBase, ...(result === largest ? { goal: 0.9 } : {}) }),
      });
    }
    for (const result of results) {
      const isFirst = result === first;
      measurements.push({
        name: `Harbour rebuild, ${n(result.events)} events (${result.rebuildSeconds.toFixed(0)}s)`,
        value: result.rebuild,
        unit: 'events/s',
        better: 'higher',
        ...(isFirst ? {} : { baseline: rebuildBase, goal: 0.8 }),
      });
    }
    for (const result of results) {
      const isFirst = result === first;
      measurements.push({
        name: `Harbour rebuild peak RSS, ${n(result.events)} events`,
        value: result.peakRssMiB,
        unit: 'MiB',
        better: 'lower',
        ...(isFirst ? {} : { baseline: rssBase }),
      });
    }
    return {
      id: 'growth',
      title: `Growth: append and rebuild at ${sizes.map(n).join(', ')} events`,
      measurements,
      notes: [
        `Each figure is compared with the same figure at ${n(first.events)} events in the same run; rebuild time linear means events/s holds (goal >= 0.8 of the smallest size's).`,
        `Append: 64 appenders in flight, 1 KiB events, ${seconds}s into the grown store (WAL, synchronous=FULL). Rebuild: every projection in PROJECTIONS into a fresh read-model file.`,
        'The store is filled between sizes by plain inserts of cloned example case streams (synchronous=NORMAL while filling), not through Harbour.',
      ],
    };
  },
);
