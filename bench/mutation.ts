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
 *
 * Incremental: each lib keeps `<lib>.incremental.json`, so a rerun tests only the mutants whose
 * code or covering tests changed. HARBOUR_MUTATION_CONCURRENCY sets the test processes (default 1).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const LIBS = ['domain', 'event-store', 'audit', 'privacy', 'application'] as const;
/** The goals issue 25 sets: the pure core and the store carry more weight. */
const GOAL: Record<string, number> = { domain: 80, 'event-store': 80, audit: 70, privacy: 70, application: 70 };
const ROOT = join(__dirname, '..');
const OUT = join(ROOT, 'bench', 'results', 'mutation');

/** The statuses of mutation-testing-report-schema, which every Stryker report uses. */
interface Report {
  readonly files: Record<string, { readonly mutants: readonly { readonly status: string }[] }>;
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
}

export function scoreOf(lib: string, report: Report): Score {
  const count: Record<string, number> = {};
  for (const file of Object.values(report.files)) {
    for (const mutant of file.mutants) count[mutant.status] = (count[mutant.status] ?? 0) + 1;
  }
  const n = (status: string) => count[status] ?? 0;
  const detected = n('Killed') + n('Timeout');
  const valid = detected + n('Survived') + n('NoCoverage');
  return {
    lib,
    files: Object.keys(report.files).length,
    killed: n('Killed'),
    timeout: n('Timeout'),
    survived: n('Survived'),
    noCoverage: n('NoCoverage'),
    invalid: n('CompileError') + n('RuntimeError'),
    score: valid === 0 ? 0 : (100 * detected) / valid,
  };
}

function summary(): string {
  const rows = LIBS.filter((lib) => existsSync(join(OUT, `${lib}.json`))).map((lib) =>
    scoreOf(lib, JSON.parse(readFileSync(join(OUT, `${lib}.json`), 'utf8')) as Report),
  );
  const lines = [
    '# Mutation score',
    '',
    'Written by `npm run test:mutation` (Stryker, stryker.config.mjs). Score = (killed + timeout) /',
    '(killed + timeout + survived + no coverage); mutants the type checker refuses are not counted.',
    'Each lib has an HTML report beside this file.',
    '',
    '| lib | files | score | goal | killed | timeout | survived | no coverage | not valid | report |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
    ...rows.map(
      (s) =>
        `| ${s.lib} | ${s.files} | ${s.score.toFixed(1)} % | ${GOAL[s.lib]} % | ${s.killed} | ${s.timeout} | ${s.survived} | ` +
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
  const forwarded = firstOption === -1 ? [] : args.slice(firstOption).filter((arg) => arg !== '--summary');
  const unknown = only.filter((lib) => !(LIBS as readonly string[]).includes(lib));
  if (unknown.length > 0) throw new Error(`unknown lib ${unknown.join(', ')} (known: ${LIBS.join(', ')})`);
  const failed: string[] = [];
  if (!args.includes('--summary')) {
    for (const lib of only.length > 0 ? only : LIBS) {
      console.log(`\n== mutation testing: libs/${lib}`);
      const stryker = join(ROOT, 'node_modules', '@stryker-mutator', 'core', 'bin', 'stryker.js');
      const run = spawnSync(
        'nice',
        ['-n', '19', process.execPath, stryker, 'run', 'stryker.config.mjs', ...forwarded],
        {
          cwd: ROOT,
          env: { ...process.env, HARBOUR_MUTATION_LIB: lib },
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
