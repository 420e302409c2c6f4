import { appendFileSync } from 'node:fs';

/** What one reliability scenario did, for the run's summary table. */
export interface Tally {
  readonly suite: string;
  readonly scenarios?: number;
  readonly faults?: number;
  readonly badInputs?: number;
  /** Commands answered 2xx (acknowledged). */
  readonly commands?: number;
  /** Commands stored whose answer never reached the client (the process died), then retried. */
  readonly unanswered?: number;
  /** Acknowledged commands not found in the store afterwards: must be 0. */
  readonly lost?: number;
  /** Responses with a 5xx status: must be 0. */
  readonly serverErrors?: number;
  /** Requests raced against each other (a legal hold and an erasure of one subject, at once). */
  readonly races?: number;
  /** Subjects whose legal hold was acknowledged and whose data was erased anyway: must be 0. */
  readonly heldErased?: number;
  /** /health/live probes answered while hostile bodies arrived. */
  readonly probes?: number;
  /** The slowest of those probes, in ms (the summary shows the slowest of all). */
  readonly probeMaxMs?: number;
}

/**
 * Adds a scenario's tally to the run's ledger (named by the reliability reporter in
 * `HARBOUR_RELIABILITY_LEDGER`). Outside such a run it does nothing: the assertions of each
 * scenario are what fail a test; the ledger only reports.
 */
export function tally(entry: Tally): void {
  const file = process.env.HARBOUR_RELIABILITY_LEDGER;
  if (file) appendFileSync(file, `${JSON.stringify(entry)}\n`);
}
