import { appendFileSync } from 'node:fs';

/** What one failover scenario did, for the run's summary line. */
export interface FailoverTally {
  readonly leadersStopped: number;
  /** Commands answered 2xx. */
  readonly acknowledged: number;
  /** Acknowledged commands whose event is not in the store afterwards: must be 0. */
  readonly lost: number;
  /** Events written more than once (one command, two events; one id twice): must be 0. */
  readonly duplicates: number;
  readonly subscriptions: number;
  /** Subscriptions that delivered every event once, in order, across the failover. */
  readonly resumed: number;
}

/**
 * Adds a scenario's tally to the run's ledger (named by libs/testing/failover-summary.reporter.js
 * in `HARBOUR_FAILOVER_LEDGER`). Outside such a run it does nothing: the scenario's assertions are
 * what fail a test; the ledger only reports.
 */
export function tallyFailover(entry: FailoverTally): void {
  const file = process.env.HARBOUR_FAILOVER_LEDGER;
  if (file) appendFileSync(file, `${JSON.stringify(entry)}\n`);
}
