// A Jest reporter that ends the run with one line per event store adapter: how many contract
// tests it passed, so the output shows which adapters were held to the contract.
const PREFIX = 'event store contract: ';

class ContractSummaryReporter {
  constructor() {
    this.adapters = new Map();
  }

  onTestResult(_test, result) {
    for (const test of result.testResults) {
      const title = test.ancestorTitles.find((t) => t.startsWith(PREFIX));
      if (!title) continue;
      const adapter = title.slice(PREFIX.length);
      const counts = this.adapters.get(adapter) ?? { passed: 0, failed: 0 };
      if (test.status === 'passed') counts.passed += 1;
      else if (test.status === 'failed') counts.failed += 1;
      this.adapters.set(adapter, counts);
    }
  }

  onRunComplete() {
    if (this.adapters.size === 0) return;
    const lines = [...this.adapters].map(
      ([adapter, { passed, failed }]) =>
        `  ${failed === 0 ? 'PASS' : 'FAIL'}  ${adapter}: ${passed} passed, ${failed} failed`,
    );
    const ranEsdb = [...this.adapters.keys()].some((adapter) => adapter.startsWith('esdb'));
    if (ranEsdb && !this.adapters.has('esdb-real')) {
      lines.push('  NOT RUN  esdb-real: no real EventStoreDB server (set EVENTSTORE_CONNECTION_STRING to run it)');
    }
    process.stdout.write(`\nEvent store contract suite:\n${lines.join('\n')}\n`);
  }
}

module.exports = ContractSummaryReporter;
