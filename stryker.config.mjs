// Mutation testing (Stryker): `npm run test:mutation [lib...]` runs bench/mutation.ts, which runs
// Stryker once per lib with HARBOUR_MUTATION_LIB set. Not part of CI: it takes hours on 2 cores.
import process from 'node:process';
import { mutateGlobs, sampleRanges } from './bench/mutation-sample.mjs';

/**
 * Per lib: which specs judge its mutants, its own, so the score says how well the lib's specs
 * guard it (and a mutant runs seconds of tests, not minutes). Privacy's protector is specified in
 * application, where it meets the event schemas; application's pipeline over HTTP in the pilot-path
 * API spec; its own in-process integration specs (scheduler, replay diff, the erasure race) count too. Specs that spawn processes are left out: a mutant active in Jest is not active in a
 * child process, so they could only slow the run.
 */
const LIBS = {
  domain: { tests: ['libs/domain/**/*.spec.ts'] },
  'event-store': { tests: ['libs/event-store/**/*.spec.ts'] },
  audit: { tests: ['libs/audit/**/*.spec.ts'] },
  privacy: { tests: ['libs/privacy/**/*.spec.ts', 'libs/application/src/privacy/*.spec.ts'] },
  application: {
    tests: [
      'libs/application/src/**/*.spec.ts',
      'libs/application/test/*.int.spec.ts',
      'apps/api/test/pilot-path.int.spec.ts',
    ],
  },
};

const lib = process.env.HARBOUR_MUTATION_LIB ?? '';
const scope = LIBS[lib];
if (!scope) {
  throw new Error(`HARBOUR_MUTATION_LIB must be one of ${Object.keys(LIBS).join(', ')} (got "${lib}")`);
}
const out = `bench/results/mutation`;
const sampled = process.env.HARBOUR_MUTATION_SAMPLE === '1';

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'jest',
  checkers: ['typescript'],
  // The libs' sources alone (a third of the files of tsconfig.json): the checker starts and checks
  // each batch of mutants that much faster on the shared machine.
  tsconfigFile: 'bench/tsconfig.mutation.json',
  typescriptChecker: { prioritizePerformanceOverAccuracy: true },
  // A lib too large to finish on the shared machine runs over a seeded random sample of its mutants
  // (bench/mutation-sample.mjs, `npm run test:mutation -- <lib> --sample <n>`): only the sampled
  // places are mutated, and the ignorer there skips the nodes inside them that were not sampled.
  ...(sampled
    ? {
        mutate: sampleRanges(lib),
        plugins: ['@stryker-mutator/*', './bench/mutation-sample.mjs'],
        ignorers: ['harbour-sample'],
      }
    : { mutate: mutateGlobs(lib) }),
  coverageAnalysis: 'perTest',
  // A static mutant (in code run when a module loads, such as the workflow definitions) must run
  // every spec of the lib, not just those covering it: in libs/domain that is a third of the
  // mutants and nine tenths of the time. Skipped (reported as ignored) unless asked for.
  ignoreStatic: process.env.HARBOUR_MUTATION_STATIC !== '1',
  // swc compiles without type checking, so Stryker need not add @ts-nocheck to files (which would
  // break the spec comparing the generated event types with the schemas byte for byte).
  disableTypeChecks: false,
  jest: {
    projectType: 'custom',
    configFile: 'jest.config.js',
    config: {
      testMatch: scope.tests.map((glob) => `<rootDir>/${glob}`),
      testPathIgnorePatterns: [
        '/node_modules/',
        '\\.rel\\.spec\\.ts$',
        '\\.e2e\\.spec\\.ts$',
        'docker-',
        '\\.cli\\.int\\.spec\\.ts$',
        'sqlite-crash\\.int\\.spec\\.ts$',
        'graceful-shutdown\\.int\\.spec\\.ts$',
        'settings\\.int\\.spec\\.ts$',
      ],
      // The suite's summary reporters write files of their own; Stryker needs none.
      reporters: [],
      // At nice 19 on a loaded machine, with coverage instrumented, the in-process EventStoreDB
      // doubles' contract tests ran past Jest's 30 s and failed the initial run.
      testTimeout: 120_000,
    },
    enableFindRelatedTests: false,
  },
  // Reruns test only the mutants whose code or covering tests changed since the last run.
  incremental: true,
  incrementalFile: `${out}/${lib}.incremental.json`,
  reporters: ['html', 'json', 'clear-text', 'progress-append-only'],
  htmlReporter: { fileName: `${out}/${lib}.html` },
  jsonReporter: { fileName: `${out}/${lib}.json` },
  thresholds: { high: lib === 'domain' || lib === 'event-store' ? 80 : 70, low: 60, break: null },
  concurrency: Number(process.env.HARBOUR_MUTATION_CONCURRENCY ?? 1),
  // A slow machine shared by others: give a mutant a generous margin before calling it a timeout.
  timeoutMS: 60_000,
  timeoutFactor: 3,
  tempDirName: '.stryker-tmp',
  ignorePatterns: ['data', 'dist', 'artifacts', 'reports', 'bench/results', 'bench/peers', 'coverage'],
  cleanTempDir: 'always',
};
