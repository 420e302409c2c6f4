import { appendFileSync } from 'node:fs';
import type { EventStore, RecordedEvent } from '@harbour/event-store';
import type { CaseExportAnchor } from '../export/case-export';
import type { LedgerConfig, WitnessSink } from './ledger.config';
import type { SqliteLedger } from './sqlite-ledger';
import type { SignedTreeHead } from './tree-head';

/** Writes a signed head to the witness sink: one JSON line, to standard output or appended to a file. */
export function witnessHead(sink: WitnessSink, head: SignedTreeHead): void {
  const line = `${JSON.stringify(head)}\n`;
  if (sink.kind === 'stdout') process.stdout.write(line);
  else if (sink.kind === 'file') appendFileSync(sink.path, line, { mode: 0o644 });
}

/** The outcome of anchoring a case's events: the anchor, or why there is none. */
export type AnchorOutcome =
  | { readonly anchor: CaseExportAnchor; readonly signedNow: boolean }
  | { readonly anchor?: undefined; readonly reason: string };

/**
 * Each of `events` with its inclusion proof under a signed head that covers them all: the newest
 * head if it does (and its key is known), else one signed now (and written to the witness sink).
 * Brings the ledger up to the end of the log first.
 */
export async function anchorEvents(
  ledger: SqliteLedger,
  store: EventStore,
  events: readonly RecordedEvent[],
  config: LedgerConfig,
  now: Date,
): Promise<AnchorOutcome> {
  await ledger.catchUp(store);
  const leaves = events.map((event) => ledger.leafAtPosition(event.position));
  const missing = events.find((_, index) => leaves[index] === undefined);
  if (missing) return { reason: `position ${missing.position} is not in the ledger` };
  const needed = Math.max(...leaves.map((leaf) => leaf!.index)) + 1;
  let head = ledger.latestHead();
  let signedNow = false;
  if (!head || head.treeSize < needed || !config.publicKeys.some((key) => key.kid === head!.keyId)) {
    if (!config.signingKey) return { reason: 'no ledger signing key is configured (HARBOUR_LEDGER_SIGNING_KEY)' };
    head = ledger.signHead(config.signingKey, now);
    witnessHead(config.witness, head);
    signedNow = true;
  }
  const signed = head;
  return {
    signedNow,
    anchor: {
      head: signed,
      publicKey: config.publicKeys.find((key) => key.kid === signed.keyId)!,
      proofs: events.map((event, index) => ({
        position: String(event.position),
        leafIndex: leaves[index]!.index,
        path: ledger.inclusionProof(leaves[index]!.index, signed.treeSize).map((node) => node.toString('hex')),
      })),
    },
  };
}
