/**
 * Runs every benchmark, each in its own process, and writes what they measured:
 * `bench/results/<date>-<host>.json`, a Markdown table beside it, and one SVG bar chart per
 * benchmark. Never part of CI's pass or fail: goals are reported, not asserted.
 *
 *   npm run bench [-- --growth 100000,1000000 --only append,http]
 *   npm run bench:smoke      each benchmark for about a second, results in a temp dir
 *   npm run bench -- --sections <dir>[,<dir>]   no run: the report from the sections kept in these
 *                            directories (`<id>.json`, a later directory's replacing an earlier's),
 *                            e.g. a run's scratch directory after it was stopped, plus a rerun's
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseOptions, type BenchSection } from './bench-support';
import { chartSvg, markdownReport } from './report';

interface Benchmark {
  readonly id: string;
  readonly file: string;
  readonly args: (options: { smoke: boolean; growth: readonly number[] }) => string[];
}

const BENCHMARKS: readonly Benchmark[] = [
  { id: 'append', file: 'append.bench.ts', args: ({ smoke }) => (smoke ? ['--seconds', '1', '--rounds', '1'] : []) },
  { id: 'http', file: 'http.bench.ts', args: ({ smoke }) => (smoke ? ['--seconds', '1'] : []) },
  {
    id: 'key-pool',
    file: 'key-pool.bench.ts',
    args: ({ smoke }) => (smoke ? ['--seconds', '1', '--rounds', '1'] : []),
  },
  { id: 'rebuild', file: 'rebuild.bench.ts', args: ({ smoke }) => (smoke ? ['--events', '4000'] : []) },
  {
    id: 'replay',
    file: 'replay.bench.ts',
    args: ({ smoke }) => (smoke ? ['--seconds', '1', '--rounds', '1', '--background', '2000'] : []),
  },
  {
    id: 'replay-diff',
    file: 'replay-diff.bench.ts',
    args: ({ smoke }) => (smoke ? ['--cases', '200', '--rounds', '1'] : []),
  },
  {
    id: 'ledger',
    file: 'ledger.bench.ts',
    args: ({ smoke }) =>
      smoke ? ['--leaves', '2000', '--seconds', '1', '--proofEvents', '5000', '--samples', '100'] : [],
  },
  {
    id: 'growth',
    file: 'growth.bench.ts',
    args: ({ smoke, growth }) => (smoke ? ['--growth', '2000,4000', '--seconds', '1'] : ['--growth', growth.join(',')]),
  },
];

function main(): void {
  const options = parseOptions(process.argv.slice(2), {
    smoke: false,
    growth: [100_000, 1_000_000, 5_000_000] as readonly number[],
    only: '',
    out: '',
    sections: '',
  });
  const only = options.only ? options.only.split(',') : BENCHMARKS.map((b) => b.id);
  const unknown = only.filter((id) => !BENCHMARKS.some((b) => b.id === id));
  if (unknown.length > 0) throw new Error(`unknown benchmark ${unknown.join(', ')}`);

  const scratch = mkdtempSync(join(tmpdir(), 'harbour-bench-run-'));
  const outDir = options.out || (options.smoke ? scratch : join(__dirname, 'results'));
  mkdirSync(outDir, { recursive: true });
  const started = new Date();
  const sections: BenchSection[] = [];
  const failed: string[] = [];
  const kept = options.sections ? options.sections.split(',') : [];
  for (const benchmark of BENCHMARKS.filter((b) => only.includes(b.id))) {
    if (kept.length > 0) {
      const found = kept.map((dir) => join(dir, `${benchmark.id}.json`)).filter((file) => existsSync(file));
      if (found.length === 0) failed.push(benchmark.id);
      else sections.push(JSON.parse(readFileSync(found[found.length - 1], 'utf8')) as BenchSection);
      continue;
    }
    const json = join(scratch, `${benchmark.id}.json`);
    const args = ['--expose-gc', '-r', '@swc-node/register', join(__dirname, benchmark.file)];
    console.log(`\n== ${benchmark.id}`);
    const benchStarted = performance.now();
    const run = spawnSync(process.execPath, [...args, ...benchmark.args(options), '--json', json], {
      stdio: 'inherit',
    });
    console.log(`== ${benchmark.id}: ${((performance.now() - benchStarted) / 1000).toFixed(0)}s`);
    if (run.status !== 0) {
      failed.push(benchmark.id);
      continue;
    }
    sections.push(JSON.parse(readFileSync(json, 'utf8')) as BenchSection);
  }

  const host = hostname().replace(/[^\w.-]+/g, '-');
  const stem = `${started.toISOString().slice(0, 10)}-${host}`;
  const meta = {
    date: started.toISOString(),
    host,
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    cpus: cpus().length,
    smoke: options.smoke,
    durationSeconds: Math.round((Date.now() - started.getTime()) / 1000),
  };
  const charts: string[] = [];
  for (const section of sections) {
    for (const [unit, svg] of chartSvg(section)) {
      const name = `${stem}-${section.id}${unit ? `-${unit}` : ''}.svg`;
      writeFileSync(join(outDir, name), svg);
      charts.push(name);
    }
  }
  writeFileSync(join(outDir, `${stem}.json`), `${JSON.stringify({ ...meta, sections }, null, 2)}\n`);
  writeFileSync(join(outDir, `${stem}.md`), markdownReport(meta, sections, charts));
  console.log(`\nwrote ${join(outDir, stem)}.json, .md and ${charts.length} charts`);
  if (options.smoke) rmSync(scratch, { recursive: true, force: true });
  if (failed.length > 0) {
    console.error(`benchmarks that did not run to the end: ${failed.join(', ')}`);
    process.exit(1);
  }
}

main();
