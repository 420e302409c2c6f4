// Mutation testing over a random sample of a lib's mutants, for when the whole lib cannot finish on
// the shared 2-core machine (thousands of mutants, tens of seconds each under load).
//
//   node bench/mutation-sample.mjs <lib> <size> [seed]
//       lists every mutant Stryker would make in the lib (its instrumenter, no tests run), shuffles
//       them with a seeded generator and writes the first <size> to
//       bench/results/mutation/<lib>.sample.json. The order depends only on the code and the seed,
//       so a larger size extends the same sample and incremental mode reuses what was already run.
//
// With HARBOUR_MUTATION_SAMPLE=1, stryker.config.mjs mutates only the sampled mutants' places
// (`sampleRanges`: a range takes in the nodes inside it too) and loads the `harbour-sample` ignorer
// below, which ignores every node that does not contain a sampled place: together they leave just
// the sampled nodes (plus other mutators' mutants on the same nodes, which the summary leaves out so
// that the score is over the random sample alone).
import { declareValuePlugin, PluginKind } from '@stryker-mutator/api/plugin';
import { existsSync, globSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import process from 'node:process';

export const OUT = 'bench/results/mutation';

/** The files Stryker mutates for a lib: the same globs as stryker.config.mjs. */
export function mutateGlobs(lib) {
  return [
    `libs/${lib}/src/**/*.ts`,
    '!**/*.spec.ts',
    '!**/index.ts',
    // Test support and generated types, not behaviour.
    '!libs/domain/src/testing/**',
    '!libs/domain/src/generated/**',
  ];
}

function filesOf(lib) {
  const [include, ...excludes] = mutateGlobs(lib);
  return globSync(include, { exclude: excludes.map((glob) => glob.slice(1)) }).sort();
}

/** mulberry32: a small seeded generator, so the sample can be drawn again from the seed. */
function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A mutant's identity across runs: file, 0-based location as the instrumenter gives it, mutator, replacement. */
export function keyOf(fileName, location, mutatorName, replacement) {
  const { start, end } = location;
  return `${fileName}:${start.line}:${start.column}-${end.line}:${end.column}:${mutatorName}:${replacement}`;
}

async function writeSample(lib, size, seed) {
  const { Instrumenter } = await import('@stryker-mutator/instrumenter');
  const quiet = () => false;
  const error = (...parts) => process.stderr.write(`${parts.join(' ')}\n`);
  const logger = {
    isTraceEnabled: quiet,
    isDebugEnabled: quiet,
    isInfoEnabled: quiet,
    isWarnEnabled: quiet,
    isErrorEnabled: () => true,
    isFatalEnabled: () => true,
    trace() {},
    debug() {},
    info() {},
    warn() {},
    error,
    fatal: error,
  };
  const files = filesOf(lib).map((name) => ({ name, content: readFileSync(name, 'utf8'), mutate: true }));
  const { mutants } = await new Instrumenter(logger).instrument(files, {
    plugins: null,
    excludedMutations: [],
    ignorers: [],
  });
  const all = mutants
    .map((m) => ({
      fileName: m.fileName,
      location: m.location,
      mutatorName: m.mutatorName,
      replacement: m.replacement,
    }))
    .sort((a, b) =>
      keyOf(a.fileName, a.location, a.mutatorName, a.replacement) <
      keyOf(b.fileName, b.location, b.mutatorName, b.replacement)
        ? -1
        : 1,
    );
  const next = random(seed);
  for (let i = all.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [all[i], all[j]] = [all[j], all[i]];
  }
  const sample = {
    lib,
    seed,
    population: all.length,
    files: files.length,
    size: Math.min(size, all.length),
    mutants: all.slice(0, size),
  };
  writeFileSync(join(OUT, `${lib}.sample.json`), `${JSON.stringify(sample, null, 1)}\n`);
  process.stdout.write(
    `libs/${lib}: ${all.length} mutants in ${files.length} files; sample of ${sample.size} (seed ${seed}) written\n`,
  );
}

function loadSample(lib) {
  const path = join(OUT, `${lib}.sample.json`);
  if (!existsSync(path))
    throw new Error(
      `HARBOUR_MUTATION_SAMPLE=1 but ${path} is missing: run node bench/mutation-sample.mjs ${lib} <size>`,
    );
  return JSON.parse(readFileSync(path, 'utf8'));
}

/** Stryker `mutate` patterns for the sample: `file:line:column-line:column`, lines from 1, columns from 0. */
export function sampleRanges(lib) {
  return loadSample(lib).mutants.map(
    ({ fileName, location: { start, end } }) =>
      `${fileName}:${start.line + 1}:${start.column}-${end.line + 1}:${end.column}`,
  );
}

/** Stryker ignorer: keep a node only if it is, or contains, a sampled mutant's node. */
function sampleIgnorer() {
  const sample = loadSample(process.env.HARBOUR_MUTATION_LIB ?? '');
  const byFile = new Map();
  for (const m of sample.mutants) {
    const list = byFile.get(m.fileName) ?? [];
    list.push(m.location);
    byFile.set(m.fileName, list);
  }
  const before = (a, b) => a.line < b.line || (a.line === b.line && a.column <= b.column);
  return {
    shouldIgnore(path) {
      const loc = path.node.loc;
      const file = path.hub?.file?.opts?.filename ?? '';
      const relative = [...byFile.keys()].find((name) => file === name || file.endsWith(`/${name}`));
      if (!loc) return undefined;
      // Babel counts lines from 1, the instrumenter's mutant locations from 0.
      const start = { line: loc.start.line - 1, column: loc.start.column };
      const end = { line: loc.end.line - 1, column: loc.end.column };
      const inside = (byFile.get(relative) ?? []).some((m) => before(start, m.start) && before(m.end, end));
      return inside
        ? undefined
        : `not in the random sample (${sample.size} of ${sample.population}, seed ${sample.seed})`;
    },
  };
}

export const strykerPlugins =
  process.env.HARBOUR_MUTATION_SAMPLE === '1'
    ? [declareValuePlugin(PluginKind.Ignore, 'harbour-sample', sampleIgnorer())]
    : [];

if (process.argv[1]?.endsWith('mutation-sample.mjs')) {
  const [lib, size, seed = '25'] = process.argv.slice(2);
  if (!lib || !size) throw new Error('usage: node bench/mutation-sample.mjs <lib> <size> [seed]');
  await writeSample(lib, Number(size), Number(seed));
}
