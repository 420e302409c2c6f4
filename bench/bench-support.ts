/**
 * Shared plumbing for the benchmarks: options, the shape every benchmark reports in, the console
 * table, and measuring helpers. Every figure with a goal is a ratio to a baseline measured in the
 * same run: absolute figures on a shared machine are noise.
 */
import { writeFileSync } from 'node:fs';

/** One figure, and what it is compared with. */
export interface Measurement {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  /** Throughput is better higher; latency, time and memory lower. */
  readonly better: 'higher' | 'lower';
  /** The figure measured in the same run that `value` is compared with. */
  readonly baseline?: { readonly name: string; readonly value: number };
  /** The bound on `value / baseline`: the least ratio when higher is better, the most when lower is. */
  readonly goal?: number;
}

/** What one benchmark reports: its figures, and notes on how they were taken. */
export interface BenchSection {
  readonly id: string;
  readonly title: string;
  readonly measurements: readonly Measurement[];
  readonly notes: readonly string[];
}

export function ratioOf(measurement: Measurement): number | undefined {
  return measurement.baseline && measurement.baseline.value > 0
    ? measurement.value / measurement.baseline.value
    : undefined;
}

/** True or false for a figure with a goal, undefined for a baseline or an informative figure. */
export function goalMet(measurement: Measurement): boolean | undefined {
  const ratio = ratioOf(measurement);
  if (ratio === undefined || measurement.goal === undefined) return undefined;
  return measurement.better === 'higher' ? ratio >= measurement.goal : ratio <= measurement.goal;
}

export function goalText(measurement: Measurement): string {
  if (measurement.goal === undefined) return '';
  return `${measurement.better === 'higher' ? '>=' : '<='} ${measurement.goal}`;
}

export function formatValue(value: number, unit: string): string {
  if (unit === 'ms' || unit === 'MiB') return value < 10 ? value.toFixed(2) : value.toFixed(1);
  return Math.round(value).toLocaleString('en-GB');
}

export type OptionValue = number | readonly number[] | boolean | string;

/**
 * `--name value` options over `defaults`, which also give each option's type: a number, a list of
 * numbers (`--growth 100000,1000000`), a flag (`--smoke`, no value) or a string.
 */
export function parseOptions<T extends Record<string, OptionValue>>(argv: readonly string[], defaults: T): T {
  const values: Record<string, OptionValue> = { ...defaults };
  for (let i = 0; i < argv.length; i++) {
    const name = argv[i].replace(/^--/, '');
    if (!argv[i].startsWith('--') || !(name in defaults)) {
      throw new Error(
        `Unknown option ${argv[i]}; known: ${Object.keys(defaults)
          .map((k) => `--${k}`)
          .join(', ')}`,
      );
    }
    const kind = defaults[name];
    if (typeof kind === 'boolean') {
      values[name] = true;
      continue;
    }
    const raw = argv[++i];
    if (raw === undefined) throw new Error(`--${name} needs a value`);
    if (typeof kind === 'string') {
      values[name] = raw;
    } else if (typeof kind === 'number') {
      const value = Number(raw);
      if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} needs a positive number`);
      values[name] = value;
    } else {
      const list = raw.split(',').map(Number);
      if (list.length === 0 || list.some((value) => !Number.isInteger(value) || value <= 0)) {
        throw new Error(`--${name} needs positive whole numbers separated by commas`);
      }
      values[name] = list;
    }
  }
  return values as T;
}

export function printSection(section: BenchSection): void {
  console.log(`\n${section.title}`);
  const width = Math.max(...section.measurements.map((m) => m.name.length), 'measurement'.length);
  console.log(`${'measurement'.padEnd(width)}  ${'value'.padStart(12)}  unit       ratio  goal`);
  for (const m of section.measurements) {
    const ratio = ratioOf(m);
    const met = goalMet(m);
    const verdict = met === undefined ? '' : `${goalText(m)} ${met ? 'met' : 'MISSED'}`;
    console.log(
      `${m.name.padEnd(width)}  ${formatValue(m.value, m.unit).padStart(12)}  ${m.unit.padEnd(9)}  ${
        ratio === undefined ? '     ' : ratio.toFixed(2).padStart(5)
      }  ${verdict}`,
    );
  }
  for (const note of section.notes) console.log(`  note: ${note}`);
}

/**
 * Runs a benchmark as a script: prints its table and, with `--json <file>` (how `bench/run.ts`
 * calls it), writes the section there too.
 */
export function runBenchmark<T extends Record<string, OptionValue>>(
  defaults: T,
  bench: (options: T) => Promise<BenchSection>,
): void {
  const argv = process.argv.slice(2);
  const jsonAt = argv.indexOf('--json');
  const json = jsonAt >= 0 ? argv[jsonAt + 1] : undefined;
  const rest = jsonAt >= 0 ? [...argv.slice(0, jsonAt), ...argv.slice(jsonAt + 2)] : argv;
  let options: T;
  try {
    options = parseOptions(rest, defaults);
  } catch (error) {
    console.error((error as Error).message);
    process.exit(2);
  }
  bench(options)
    .then((section) => {
      printSection(section);
      if (json) writeFileSync(json, JSON.stringify(section, null, 2));
      // Open handles of a peer (sqlite3 callbacks, HTTP keep-alive) must not keep the run waiting.
      process.exit(0);
    })
    .catch((error: unknown) => {
      console.error(error);
      process.exit(1);
    });
}

/** Peak resident set and heap while `work` runs, sampled every few milliseconds. */
export async function withMemorySampled<T>(
  work: () => Promise<T>,
): Promise<{ result: T; seconds: number; peakRssMiB: number; peakHeapMiB: number }> {
  global.gc?.();
  let peakRss = process.memoryUsage.rss();
  let peakHeap = process.memoryUsage().heapUsed;
  const sample = () => {
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
    peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
  };
  // The work is mostly synchronous SQLite and folding: the sampler runs between batches.
  const sampler = setInterval(sample, 5);
  const started = performance.now();
  const result = await work();
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  sample();
  return { result, seconds, peakRssMiB: peakRss / 2 ** 20, peakHeapMiB: peakHeap / 2 ** 20 };
}

export const ONE_KIB_PAYLOAD = 'x'.repeat(1024 - 60);
