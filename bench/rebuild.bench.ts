/**
 * Rebuilding every read model (every projection in PROJECTIONS) from the event store, against a raw
 * loop that reads, parses, folds (with the same pure `evolve` functions) and writes the same rows
 * with better-sqlite3, in the same run (a benchmark, not a test).
 *
 *   npm run bench:rebuild [-- --events 200000 --rounds 2]
 *
 * Goals (issue 21): at least 0.8 of the raw loop's events/s, and memory that does not grow with
 * the number of events (at most 1.2 times, heap after a forced collection and peak RSS): measured
 * at a quarter of the events and at all of them.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { tempDir } from '@harbour/testing';
import { runBenchmark, type BenchSection, type Measurement } from './bench-support';
import { fillStore } from './case-events';
import { ALL_READ_MODELS, harbourRebuild, rawRebuild } from './rebuild-loops';
import { GC_EVERY_BATCHES } from './rebuild-memory';

interface Run {
  readonly eventsPerSecond: number;
}

interface Memory {
  /** The largest heap found right after a forced full collection, at batch boundaries: the live set. */
  readonly liveHeapMiB: number;
  readonly peakRssMiB: number;
}

async function measure(events: number, work: () => Promise<void>): Promise<Run> {
  global.gc?.();
  const started = performance.now();
  await work();
  return { eventsPerSecond: events / ((performance.now() - started) / 1000) };
}

/**
 * Memory, in a process of its own per size (see rebuild-memory.ts), so that the larger size does
 * not inherit what the smaller left behind, and not timed (forced collections slow it).
 */
function measureMemory(eventsFile: string, readFile: string): Memory {
  const child = spawnSync(
    process.execPath,
    ['--expose-gc', '-r', '@swc-node/register', join(__dirname, 'rebuild-memory.ts'), eventsFile, readFile],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
  );
  if (child.status !== 0) throw new Error(`the memory run failed (${child.status})`);
  return JSON.parse(child.stdout.trim().split('\n').pop()!) as Memory;
}

const best = (a: Run | undefined, b: Run) => (!a || b.eventsPerSecond > a.eventsPerSecond ? b : a);

runBenchmark({ events: 200_000, rounds: 2 }, async ({ events: target, rounds }): Promise<BenchSection> => {
  console.log(`rebuild benchmark: ${ALL_READ_MODELS.map((m) => m.table).join(', ')}; SQLite, synchronous=FULL`);
  const results: { events: number; harbour: Run; raw: Run; memory: Memory }[] = [];
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
    const memory = measureMemory(eventsFile, join(dir.path, 'harbour-memory.db'));
    dir.remove();
    results.push({ events: written, harbour: harbour!, raw: raw!, memory });
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
        ...(events === large.events ? { goal: 0.8 } : {}),
      },
    );
  }
  const heapSmall = {
    name: `Harbour live heap (after forced GC), ${small.events.toLocaleString('en-GB')} events`,
    value: small.memory.liveHeapMiB,
  };
  const rssSmall = {
    name: `Harbour peak RSS, ${small.events.toLocaleString('en-GB')} events`,
    value: small.memory.peakRssMiB,
  };
  measurements.push(
    { ...heapSmall, unit: 'MiB', better: 'lower' },
    {
      name: `Harbour live heap (after forced GC), ${large.events.toLocaleString('en-GB')} events`,
      value: large.memory.liveHeapMiB,
      unit: 'MiB',
      better: 'lower',
      // Four times the events: flat memory is a ratio near 1.
      baseline: heapSmall,
      goal: 1.2,
    },
    { ...rssSmall, unit: 'MiB', better: 'lower' },
    {
      name: `Harbour peak RSS, ${large.events.toLocaleString('en-GB')} events`,
      value: large.memory.peakRssMiB,
      unit: 'MiB',
      better: 'lower',
      baseline: rssSmall,
      goal: 1.2,
    },
  );
  return {
    id: 'rebuild',
    title: `Rebuild: every read model (${ALL_READ_MODELS.map((m) => m.table).join(', ')})`,
    measurements,
    notes: [
      `Synthetic case streams cloned from the domain examples; best of ${rounds} round(s) per size.`,
      'Harbour rebuilds every projection in PROJECTIONS in one pass over $all (ProjectionRunner.rebuildTogether), each into its own shadow tables and checkpoint, then swaps each in; the raw loop makes one pass for all models with no checkpoint, parking or swap.',
      `Memory, in one more rebuild per size, untimed, in a fresh process of its own: the live heap is the largest heap left right after a forced full collection (every ${GC_EVERY_BATCHES} batches of 2,000 events, and at the end), so it is what the rebuild keeps alive, not when V8 chose to collect; peak RSS is the process's high-water mark (getrusage). Flat memory: about the same at 4x the events.`,
    ],
  };
});
