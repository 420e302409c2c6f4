/* eslint-disable @typescript-eslint/no-require-imports -- Jest loads reporters as CommonJS */
// A Jest reporter that ends a run holding reliability scenarios with their tally: scenarios run,
// faults injected, bad inputs tried, acknowledged commands lost and server errors (both must be 0),
// hold/erasure races run and held subjects erased (must be 0), and /health/live probes answered
// while hostile bodies arrived, with the slowest (a maximum, not a sum).
// The scenarios append JSON lines to the ledger file this reporter names in the environment before
// the test workers start (they inherit it); see apps/api/test/reliability/support/ledger.ts.
const { mkdtempSync, readFileSync, rmSync, existsSync } = require('node:fs');
const { join } = require('node:path');
const { tmpdir } = require('node:os');

const COLUMNS = [
  ['scenarios', 'scenarios run'],
  ['faults', 'faults injected'],
  ['badInputs', 'bad inputs tried'],
  ['commands', 'commands acknowledged'],
  ['unanswered', 'commands stored but never answered, then retried'],
  ['lost', 'acknowledged commands lost'],
  ['serverErrors', 'server errors (5xx)'],
  ['races', 'hold/erasure races'],
  ['heldErased', 'held subjects erased'],
  ['probes', 'live probes during hostile bodies'],
  ['probeMaxMs', 'slowest such probe (ms)'],
];
/** Columns that are a maximum over entries, not a sum. */
const MAXIMA = new Set(['probeMaxMs']);
const combine = (key, a, b) => (MAXIMA.has(key) ? Math.max(a, b) : a + b);

class ReliabilitySummaryReporter {
  constructor() {
    this.dir = mkdtempSync(join(tmpdir(), 'harbour-reliability-'));
    this.file = join(this.dir, 'ledger.jsonl');
    process.env.HARBOUR_RELIABILITY_LEDGER = this.file;
  }

  onRunComplete() {
    if (!existsSync(this.file)) {
      rmSync(this.dir, { recursive: true, force: true });
      return;
    }
    const entries = readFileSync(this.file, 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line));
    rmSync(this.dir, { recursive: true, force: true });
    const bySuite = new Map();
    for (const entry of entries) {
      const totals = bySuite.get(entry.suite) ?? Object.fromEntries(COLUMNS.map(([key]) => [key, 0]));
      for (const [key] of COLUMNS) totals[key] = combine(key, totals[key], entry[key] ?? 0);
      bySuite.set(entry.suite, totals);
    }
    const all = Object.fromEntries(COLUMNS.map(([key]) => [key, 0]));
    for (const totals of bySuite.values()) for (const [key] of COLUMNS) all[key] = combine(key, all[key], totals[key]);
    const width = Math.max(12, ...[...bySuite.keys()].map((suite) => suite.length));
    const header = `  ${'suite'.padEnd(width)}  ${COLUMNS.map(([key]) => key.padStart(12)).join('  ')}`;
    const row = (name, totals) =>
      `  ${name.padEnd(width)}  ${COLUMNS.map(([key]) => String(totals[key]).padStart(12)).join('  ')}`;
    const verdict = all.lost === 0 && all.serverErrors === 0 && all.heldErased === 0 ? 'PASS' : 'FAIL';
    process.stdout.write(
      [
        '',
        `Reliability summary (${verdict}: ${all.lost} acknowledged commands lost, ${all.serverErrors} server errors, ` +
          `${all.heldErased} held subjects erased):`,
        header,
        ...[...bySuite].map(([suite, totals]) => row(suite, totals)),
        row('total', all),
        `  (${COLUMNS.map(([key, label]) => `${key}: ${label}`).join('; ')})`,
        '',
      ].join('\n'),
    );
  }
}

module.exports = ReliabilitySummaryReporter;
