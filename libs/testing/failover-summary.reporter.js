/* eslint-disable @typescript-eslint/no-require-imports -- Jest loads reporters as CommonJS */
// A Jest reporter that ends a run holding the EventStoreDB failover scenarios with one line: the
// commands acknowledged while the cluster lost its leader, how many of them were lost, how many
// events were written twice, and the subscriptions that resumed at the right position. The
// scenarios append JSON lines to the file this reporter names in the environment before the test
// workers start; see apps/api/test/reliability/support/failover-ledger.ts.
const { mkdtempSync, readFileSync, rmSync, existsSync } = require('node:fs');
const { join } = require('node:path');
const { tmpdir } = require('node:os');

class FailoverSummaryReporter {
  constructor() {
    this.dir = mkdtempSync(join(tmpdir(), 'harbour-failover-'));
    this.file = join(this.dir, 'ledger.jsonl');
    process.env.HARBOUR_FAILOVER_LEDGER = this.file;
  }

  onRunComplete() {
    if (!existsSync(this.file)) {
      rmSync(this.dir, { recursive: true, force: true });
      return;
    }
    const totals = {
      runs: 0,
      leadersStopped: 0,
      acknowledged: 0,
      lost: 0,
      duplicates: 0,
      subscriptions: 0,
      resumed: 0,
    };
    for (const line of readFileSync(this.file, 'utf8').split('\n')) {
      if (line.trim() === '') continue;
      const entry = JSON.parse(line);
      totals.runs += 1;
      for (const key of Object.keys(totals)) if (key !== 'runs') totals[key] += entry[key] ?? 0;
    }
    rmSync(this.dir, { recursive: true, force: true });
    const pass = totals.lost === 0 && totals.duplicates === 0 && totals.resumed === totals.subscriptions;
    process.stdout.write(
      `\nEventStoreDB failover (${pass ? 'PASS' : 'FAIL'}): ${totals.acknowledged} commands acknowledged, ` +
        `${totals.lost} lost, ${totals.duplicates} duplicates; ${totals.resumed} of ${totals.subscriptions} ` +
        `subscriptions resumed at the right position (${totals.leadersStopped} leaders stopped in ${totals.runs} runs)\n`,
    );
  }
}

module.exports = FailoverSummaryReporter;
