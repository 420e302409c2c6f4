/**
 * One rebuild's memory, measured in a process of its own so that nothing an earlier measurement
 * left behind (V8's grown heap, freed but unreturned malloc pages) counts: prints
 * `{ liveHeapMiB, peakRssMiB }` as JSON. Run by rebuild.bench.ts and growth.bench.ts:
 *
 *   node --expose-gc -r @swc-node/register bench/rebuild-memory.ts <events.db> <read-models.db>
 *
 * The live heap is the largest heap left right after a forced full collection, taken at batch
 * boundaries: what the rebuild keeps alive, not when V8 chose to collect, so reruns agree. Peak
 * RSS is the kernel's high-water mark for the process (getrusage), minus what it held before the
 * rebuild began (modules loaded, the heap at rest).
 */
import { harbourRebuild } from './rebuild-loops';

/** Forces a full collection every this many batches (of 2,000 events), and reads the heap left. */
export const GC_EVERY_BATCHES = 4;

async function main(): Promise<void> {
  const [eventsFile, readFile] = process.argv.slice(2);
  if (!eventsFile || !readFile) throw new Error('usage: rebuild-memory.ts <events.db> <read-models.db>');
  if (!global.gc) throw new Error('run with node --expose-gc');
  const gc = global.gc;
  gc();
  let liveHeap = process.memoryUsage().heapUsed;
  let batches = 0;
  await harbourRebuild(eventsFile, readFile, () => {
    if (++batches % GC_EVERY_BATCHES !== 0) return;
    gc();
    liveHeap = Math.max(liveHeap, process.memoryUsage().heapUsed);
  });
  gc();
  liveHeap = Math.max(liveHeap, process.memoryUsage().heapUsed);
  // maxRSS is in KiB.
  const peakRssMiB = process.resourceUsage().maxRSS / 1024;
  console.log(JSON.stringify({ liveHeapMiB: liveHeap / 2 ** 20, peakRssMiB, batches }));
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
