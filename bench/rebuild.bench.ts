/**
 * Rebuilding every read model (every projection in PROJECTIONS) from the event store, against a raw
 * loop that reads, parses, folds (with the same pure `evolve` functions) and writes the same rows
 * with better-sqlite3, in the same run (a benchmark, not a test).
 *
 *   npm run bench:rebuild [-- --events 200000 --rounds 2]
 *
 * Goals (issue 10): at least 0.6 of the raw loop's events/s, and memory that does not grow with
 * the number of events: measured at a quarter of the events and at all of them.
 */
import { join } from 'node:path';
import { tempDir } from '@harbour/testing';
import { runBenchmark, withMemorySampled, type BenchSection, type Measurement } from './bench-support';
import { fillStore } from './case-events';
import { ALL_READ_MODELS, harbourRebuild, rawRebuild } from './rebuild-loops';

interface Run {
  readonly eventsPerSecond: number;
  readonly peakRssMiB: number;
  /** Peak heap above the heap at the start. */
  readonly heapGrowthMiB: number;
}

async function measure(events: number, work: () => Promise<void>): Promise<Run> {
  global.gc?.();
  const heapAtStart = process.memoryUsage().heapUsed / 2 ** 20;
  const { seconds, peakRssMiB, peakHeapMiB } = await withMemorySampled(work);
  return { eventsPerSecond: events / seconds, peakRssMiB, heapGrowthMiB: Math.max(peakHeapMiB - heapAtStart, 0) };
}

const best = (a: Run | undefined, b: Run) => (!a || b.eventsPerSecond > a.eventsPerSecond ? b : a);

runBenchmark({ events: 200_000, rounds: 2 }, async ({ events: target, rounds }): Promise<BenchSection> => {
  console.log(`rebuild benchmark: ${ALL_READ_MODELS.map((m) => m.table).join(', ')}; SQLite, synchronous=FULL`);
  const results: { events: number; harbour: Run; raw: Run }[] = [];
  for (const size of [Math.round(target / 4), target]) {
    const dir = tempDir('harbour-bench-rebuild-');
    const eventsFile = join(dir.path, 'events.db');
    const written = await fillStore(eventsFile, size);
    let harbour: Run | undefined;
    let raw: Run | undefined;
    for (let round = 0; round < rounds; round++) {
      harbour = best(
        harbour,
        await measure(written, () => harbourRebuild(eventsFile, join(dir.path, `harbour-${round}.db`))),
      );
      raw = best(raw, await measure(written, async () => rawRebuild(eventsFile, join(dir.path, `raw-${round}.db`))));
    }
    dir.remove();
    results.push({ events: written, harbour: harbour!, raw: raw! });
    console.log(`  ${written.toLocaleString('en-GB')} events done`);
  }
  const [small, large] = results;
  const measurements: Measurement[] = [];
  for (const { events, harbour, raw } of [large, small]) {
    const n = events.toLocaleString('en-GB');
    const rawFigure = { name: `raw loop, ${n} events`, value: raw.eventsPerSecond };
    measurements.push(
      { ...rawFigure, unit: 'events/s', better: 'higher' },
      {
        name: `Harbour rebuild, ${n} events`,
        value: harbour.eventsPerSecond,
        unit: 'events/s',
        better: 'higher',
        baseline: rawFigure,
        // The goal is set at the full size; the quarter size is there for the memory comparison.
        ...(events === large.events ? { goal: 0.6 } : {}),
      },
    );
  }
  const heapSmall = {
    name: `Harbour peak heap growth, ${small.events.toLocaleString('en-GB')} events`,
    value: small.harbour.heapGrowthMiB,
  };
  const rssSmall = {
    name: `Harbour peak RSS, ${small.events.toLocaleString('en-GB')} events`,
    value: small.harbour.peakRssMiB,
  };
  measurements.push(
    { ...heapSmall, unit: 'MiB', better: 'lower' },
    {
      name: `Harbour peak heap growth, ${large.events.toLocaleString('en-GB')} events`,
      value: large.harbour.heapGrowthMiB,
      unit: 'MiB',
      better: 'lower',
      // Four times the events: flat memory is a ratio near 1; the goal allows for GC timing.
      baseline: { name: heapSmall.name, value: Math.max(heapSmall.value, 1) },
      goal: 1.5,
    },
    { ...rssSmall, unit: 'MiB', better: 'lower' },
    {
      name: `Harbour peak RSS, ${large.events.toLocaleString('en-GB')} events`,
      value: large.harbour.peakRssMiB,
      unit: 'MiB',
      better: 'lower',
      baseline: rssSmall,
      goal: 1.5,
    },
    {
      name: `raw loop peak RSS, ${large.events.toLocaleString('en-GB')} events`,
      value: large.raw.peakRssMiB,
      unit: 'MiB',
      better: 'lower',
    },
  );
  return {
    id: 'rebuild',
    title: `Rebuild: every read model (${ALL_READ_MODELS.map((m) => m.table).join(', ')})`,
    measurements,
    notes: [
      `Synthetic case streams cloned from the domain examples; best of ${rounds} round(s) per size.`,
      'Harbour rebuilds each projection in PROJECTIONS into shadow tables and swaps them in, one projection after another (each reads $all); the raw loop makes one pass for all models with no checkpoint, parking or swap.',
      'Memory: heap growth is the peak heap above the heap at the start (flat memory: about the same at 4x the events); RSS is sampled every 5 ms.',
    ],
  };
});
