/**
 * Mutation testing: runs Stryker (stryker.config.mjs) once per lib, one lib at a time, at the
 * lowest CPU priority, then writes `bench/results/mutation/summary.md` with each lib's score from
 * the JSON reports. Never part of CI: like the benchmarks it reports, it does not pass or fail.
 *
 *   npm run test:mutation                          every lib (hours on 2 cores)
 *   npm run test:mutation -- domain event-store    only these
 *   npm run test:mutation -- --summary             only rewrite the summary from the last reports
 *   npm run test:mutation -- event-store --mutate libs/event-store/src/sqlite/sqlite-event-store.ts
 *                                                  other options go to Stryker (here: one file only)
 *   npm run test:mutation -- domain --sample 150   a seeded random sample of 150 of the lib's
 *                                                  mutants (--seed S, default 25), for a lib that
 *                                                  cannot finish in the time there is: the summary
 *                                                  labels it a sample, with a 95 % interval
 *
 * Incremental: each lib keeps `<lib>.incremental.json`, so a rerun tests only the mutants whose
 * code or covering tests changed. HARBOUR_MUTATION_CONCURRENCY sets the test processes (default 1).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const LIBS = ['domain', 'event-store', 'audit', 'privacy', 'application'] as const;
/** The goals issue 25 sets: the pure core and the store carry more weight. */
const GOAL: Record<string, number> = { domain: 80, 'event-store': 80, audit: 70, privacy: 70, application: 70 };
const ROOT = join(__dirname, '..');
const OUT = join(ROOT, 'bench', 'results', 'mutation');

/** The parts of mutation-testing-report-schema (every Stryker JSON report) read here. */
interface Report {
  readonly files: Record<string, { readonly mutants: readonly ReportMutant[] }>;
}
interface Position {
  readonly line: number;
  readonly column: number;
}
interface ReportMutant {
  readonly status: string;
  readonly mutatorName: string;
  readonly replacement?: string;
  /** 1-based lines and columns, as the schema has them. */
  readonly location: { readonly start: Position; readonly end: Position };
}
/** bench/mutation-sample.mjs's output: the sampled mutants, located as the instrumenter does (0-based). */
interface Sample {
  readonly seed: number;
  readonly population: number;
  readonly files: number;
  readonly size: number;
  readonly mutants: readonly {
    readonly fileName: string;
    readonly mutatorName: string;
    readonly replacement: string;
    readonly location: { readonly start: Position; readonly end: Position };
  }[];
}

export interface Score {
  readonly lib: string;
  /** The files mutated: all of the lib's, or those a `--mutate` option chose. */
  readonly files: number;
  readonly killed: number;
  readonly timeout: number;
  readonly survived: number;
  readonly noCoverage: number;
  /** Mutants the compiler refused, or that crashed the runner: not counted either way. */
  readonly invalid: number;
  /** (killed + timeout) / (killed + timeout + survived + no coverage), as Stryker computes it. */
  readonly score: number;
  /** For a sample: its size, the lib's mutant count, the 95 % interval of the score, the static mutants skipped. */
  readonly sample?: {
    readonly size: number;
    readonly population: number;
    readonly seed: number;
    readonly low: number;
    readonly high: number;
    readonly ignored: number;
    readonly missing: number;
  };
}

function tally(lib: string, files: number, statuses: readonly string[]): Score {
  const count: Record<string, number> = {};
  for (const status of statuses) count[status] = (count[status] ?? 0) + 1;
  const n = (status: string) => count[status] ?? 0;
  const detected = n('Killed') + n('Timeout');
  const valid = detected + n('Survived') + n('NoCoverage');
  return {
    lib,
    files,
    killed: n('Killed'),
    timeout: n('Timeout'),
    survived: n('Survived'),
    noCoverage: n('NoCoverage'),
    invalid: n('CompileError') + n('RuntimeError'),
    score: valid === 0 ? 0 : (100 * detected) / valid,
  };
}

export function scoreOf(lib: string, report: Report): Score {
  const statuses = Object.values(report.files).flatMap((file) => file.mutants.map((mutant) => mutant.status));
  return tally(lib, Object.keys(report.files).length, statuses);
}

/** Wilson score interval, 95 %: sound for small samples and scores near 0 or 100 %. */
export function wilson(detected: number, valid: number): { low: number; high: number } {
  if (valid === 0) return { low: 0, high: 100 };
  const z = 1.96;
  const p = detected / valid;
  const centre = (p + (z * z) / (2 * valid)) / (1 + (z * z) / valid);
  const half = (z / (1 + (z * z) / valid)) * Math.sqrt((p * (1 - p)) / valid + (z * z) / (4 * valid * valid));
  return { low: 100 * Math.max(0, centre - half), high: 100 * Math.min(1, centre + half) };
}

/**
 * The score over the sampled mutants only: Stryker also tests other mutators' mutants on a sampled
 * node, which would bias the sample, so each sampled mutant is looked up by file, place, mutator and
 * replacement. Static mutants (ignored unless HARBOUR_MUTATION_STATIC=1) count neither way.
 */
export function sampleScoreOf(lib: string, report: Report, sample: Sample): Score {
  const key = (file: string, start: Position, end: Position, mutator: string, replacement: string) =>
    `${file}:${start.line}:${start.column}-${end.line}:${end.column}:${mutator}:${replacement}`;
  const found = new Map<string, string>();
  for (const [file, { mutants }] of Object.entries(report.files)) {
    for (const m of mutants) {
      const at = (p: Position) => ({ line: p.line - 1, column: p.column - 1 });
      found.set(key(file, at(m.location.start), at(m.location.end), m.mutatorName, m.replacement ?? ''), m.status);
    }
  }
  const statuses = sample.mutants.map(
    (m) => found.get(key(m.fileName, m.location.start, m.location.end, m.mutatorName, m.replacement)) ?? 'Missing',
  );
  const score = tally(lib, sample.files, statuses);
  const detected = score.killed + score.timeout;
  const { low, high } = wilson(detected, detected + score.survived + score.noCoverage);
  return {
    ...score,
    sample: {
      size: sample.size,
      population: sample.population,
      seed: sample.seed,
      low,
      high,
      ignored: statuses.filter((s) => s === 'Ignored').length,
      missing: statuses.filter((s) => s === 'Missing').length,
    },
  };
}

function summary(): string {
  const rows = LIBS.filter((lib) => existsSync(join(OUT, `${lib}.json`))).map((lib) => {
    const report = JSON.parse(readFileSync(join(OUT, `${lib}.json`), 'utf8')) as Report;
    const sample = join(OUT, `${lib}.sample.json`);
    return existsSync(sample)
      ? sampleScoreOf(lib, report, JSON.parse(readFileSync(sample, 'utf8')) as Sample)
      : scoreOf(lib, report);
  });
  const scope = (s: Score) =>
    s.sample
      ? `random sample: ${s.sample.size} of ${s.sample.population} mutants (seed ${s.sample.seed}` +
        `${s.sample.ignored > 0 ? `; ${s.sample.ignored} static, not run` : ''}` +
        `${s.sample.missing > 0 ? `; ${s.sample.missing} not in the report` : ''})`
      : 'every mutant of these files';
  const score = (s: Score) =>
    s.sample
      ? `${s.score.toFixed(1)} % (95 % CI ${s.sample.low.toFixed(0)}–${s.sample.high.toFixed(0)} %)`
      : `${s.score.toFixed(1)} %`;
  const lines = [
    '# Mutation score',
    '',
    'Written by `npm run test:mutation` (Stryker, stryker.config.mjs). Score = (killed + timeout) /',
    '(killed + timeout + survived + no coverage); mutants the type checker refuses are not counted.',
    'Each lib has an HTML report beside this file. A lib marked "random sample" was not run in full:',
    'its score is over a seeded random sample of its mutants (bench/mutation-sample.mjs), with a 95 %',
    'Wilson interval, and its counts are the sampled mutants only (the HTML report shows every mutant',
    'Stryker ran, including others on the same nodes).',
    '',
    'The survivors that matter, and the tests written to kill them: [survivors.md](survivors.md).',
    '',
    '| lib | files | scope | score | goal | killed | timeout | survived | no coverage | not valid | report |',
    '| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
    ...rows.map(
      (s) =>
        `| ${s.lib} | ${s.files} | ${scope(s)} | ${score(s)} | ${GOAL[s.lib]} % | ${s.killed} | ${s.timeout} | ${s.survived} | ` +
        `${s.noCoverage} | ${s.invalid} | [${s.lib}.html](${s.lib}.html) |`,
    ),
    '',
  ];
  return lines.join('\n');
}

function main(): void {
  const args = process.argv.slice(2);
  // Lib names come first; from the first option on, everything but --summary goes to Stryker.
  const firstOption = args.findIndex((arg) => arg.startsWith('--'));
  const only = firstOption === -1 ? args : args.slice(0, firstOption);
  const options = firstOption === -1 ? [] : args.slice(firstOption);
  const valueOf = (name: string) => {
    const at = options.indexOf(name);
    return at === -1 ? undefined : options[at + 1];
  };
  const sampleSize = valueOf('--sample');
  const seed = valueOf('--seed') ?? '25';
  const forwarded = options.filter(
    (arg, i) =>
      arg !== '--summary' &&
      !['--sample', '--seed'].includes(arg) &&
      !['--sample', '--seed'].includes(options[i - 1] ?? ''),
  );
  const unknown = only.filter((lib) => !(LIBS as readonly string[]).includes(lib));
  if (unknown.length > 0) throw new Error(`unknown lib ${unknown.join(', ')} (known: ${LIBS.join(', ')})`);
  const failed: string[] = [];
  if (!args.includes('--summary')) {
    for (const lib of only.length > 0 ? only : LIBS) {
      console.log(
        `\n== mutation testing: libs/${lib}${sampleSize ? ` (random sample of ${sampleSize}, seed ${seed})` : ''}`,
      );
      const samplePath = join(OUT, `${lib}.sample.json`);
      if (sampleSize) {
        const drawn = spawnSync(process.execPath, [join(ROOT, 'bench', 'mutation-sample.mjs'), lib, sampleSize, seed], {
          cwd: ROOT,
          stdio: 'inherit',
        });
        if (drawn.status !== 0) {
          failed.push(lib);
          continue;
        }
      } else if (existsSync(samplePath)) {
        // A full run replaces the sample: its report is the lib's score from now on.
        rmSync(samplePath);
      }
      const stryker = join(ROOT, 'node_modules', '@stryker-mutator', 'core', 'bin', 'stryker.js');
      const run = spawnSync(
        'nice',
        ['-n', '19', process.execPath, stryker, 'run', 'stryker.config.mjs', ...forwarded],
        {
          cwd: ROOT,
          env: { ...process.env, HARBOUR_MUTATION_LIB: lib, HARBOUR_MUTATION_SAMPLE: sampleSize ? '1' : '0' },
          stdio: 'inherit',
        },
      );
      if (run.status !== 0) failed.push(lib);
    }
  }
  const text = summary();
  writeFileSync(join(OUT, 'summary.md'), text);
  console.log(`\n${text}`);
  if (failed.length > 0) {
    console.error(`Stryker could not run for: ${failed.join(', ')}`);
    process.exitCode = 1;
  }
}

if (require.main === module) main();
