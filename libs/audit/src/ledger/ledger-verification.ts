import type { EventStore } from '@harbour/event-store';
import { MerkleAppender, leafHash, ledgerEntry } from './merkle-tree';
import type { LedgerLeaf, SqliteLedger } from './sqlite-ledger';
import { treeHeadProblem, type LedgerPublicKey, type SignedTreeHead } from './tree-head';

/** What the store no longer agrees with the ledger about. */
export type LedgerProblemKind = 'recorded-time-changed' | 'event-altered' | 'event-missing' | 'event-inserted';

export interface LedgerProblem {
  readonly kind: LedgerProblemKind;
  readonly stream: string;
  readonly revision: string;
  readonly position: string;
  readonly detail: string;
}

export interface LedgerCheck {
  readonly ok: boolean;
  /** Leaves compared with the store's events. */
  readonly checked: number;
  readonly ledgerSize: number;
  /** Events the ledger has not reached yet (appended since it last caught up). */
  readonly notYetInLedger: number;
  readonly problems: readonly LedgerProblem[];
}

const PAGE = 1000;

/**
 * Walks the global log beside the ledger's leaves and names every event whose recorded time or
 * content no longer hashes to its leaf, every leaf whose event is gone (a truncated stream, a store
 * put back to an older copy), and every event the ledger never saw in the middle of the log.
 */
export async function checkStoreAgainstLedger(store: EventStore, ledger: SqliteLedger): Promise<LedgerCheck> {
  const ledgerSize = ledger.size();
  const problems: LedgerProblem[] = [];
  let page: LedgerLeaf[] = [];
  let pageStart = 0;
  let next = 0;
  let checked = 0;
  let notYetInLedger = 0;
  const leafAt = (index: number): LedgerLeaf | undefined => {
    if (index >= ledgerSize) return undefined;
    if (index < pageStart || index >= pageStart + page.length) {
      page = ledger.leaves(index, PAGE);
      pageStart = index;
    }
    return page[index - pageStart];
  };
  const missing = (leaf: LedgerLeaf, why: string) =>
    problems.push({
      kind: 'event-missing',
      stream: leaf.stream,
      revision: String(leaf.revision),
      position: String(leaf.position),
      detail: `${leaf.stream} revision ${leaf.revision} (position ${leaf.position}, event ${leaf.eventId}) is in the ledger as leaf ${leaf.index} but not in the store: ${why}`,
    });

  for await (const event of store.readAll()) {
    let leaf = leafAt(next);
    while (leaf !== undefined && leaf.position < event.position) {
      missing(leaf, 'it was deleted');
      next += 1;
      leaf = leafAt(next);
    }
    if (leaf === undefined) {
      notYetInLedger += 1;
      continue;
    }
    const place = { stream: event.stream, revision: String(event.revision), position: String(event.position) };
    if (leaf.position > event.position) {
      problems.push({
        kind: 'event-inserted',
        ...place,
        detail: `${event.stream} revision ${event.revision} (position ${event.position}) is not in the ledger, though later events are: it was inserted`,
      });
      continue;
    }
    next += 1;
    checked += 1;
    if (leafHash(ledgerEntry(event)).equals(leaf.hash)) continue;
    const recordedAt = event.recordedAt.toISOString();
    problems.push(
      recordedAt !== leaf.recordedAt
        ? {
            kind: 'recorded-time-changed',
            ...place,
            detail: `the recorded time of ${event.stream} revision ${event.revision} (position ${event.position}) was changed: the ledger recorded ${leaf.recordedAt}, the store now says ${recordedAt}`,
          }
        : {
            kind: 'event-altered',
            ...place,
            detail: `${event.stream} revision ${event.revision} (position ${event.position}) no longer hashes to its ledger leaf ${leaf.index}: it was altered`,
          },
    );
  }
  for (let index = next; index < ledgerSize; index += 1) {
    missing(leafAt(index)!, 'the store ends before it (truncated, or put back to an older copy)');
  }
  return { ok: problems.length === 0, checked, ledgerSize, notYetInLedger, problems };
}

/** The outcome of checking the store against a signed tree head saved earlier. */
export interface HeadCheck {
  readonly ok: boolean;
  readonly treeSize: number;
  /** Events the store holds now. */
  readonly storeEvents: number;
  /** What is wrong, in words; empty when ok. */
  readonly problems: readonly string[];
}

/**
 * Checks that the store still holds the log a signed head committed to: the head's signature
 * verifies with one of `keys`, the store has at least `treeSize` events, and its first `treeSize`
 * events hash (RFC 9162, one leaf per event in position order) to the head's root. Needs nothing
 * but the store: a ledger file put back or deleted along with the events changes nothing.
 */
export async function checkStoreAgainstHead(
  store: EventStore,
  head: unknown,
  keys: readonly LedgerPublicKey[],
): Promise<HeadCheck> {
  const signatureProblem = treeHeadProblem(head, keys);
  if (signatureProblem !== undefined) return { ok: false, treeSize: 0, storeEvents: 0, problems: [signatureProblem] };
  const signed = head as SignedTreeHead;
  const tree = new MerkleAppender(0, () => {
    throw new Error('unreachable: appending reads no stored node');
  });
  let atSize = signed.treeSize === 0 ? tree.root() : undefined;
  let storeEvents = 0;
  for await (const event of store.readAll()) {
    storeEvents += 1;
    if (tree.size < signed.treeSize) {
      tree.append(leafHash(ledgerEntry(event)));
      if (tree.size === signed.treeSize) atSize = tree.root();
    }
  }
  const problems: string[] = [];
  if (storeEvents < signed.treeSize) {
    problems.push(
      `the head signed at ${signed.timestamp} commits to ${signed.treeSize} events, but the store holds only ` +
        `${storeEvents}: ${signed.treeSize - storeEvents} are missing (events deleted, a stream cut short, or the store put back to an older copy)`,
    );
  } else if (atSize !== undefined && atSize.toString('hex') !== signed.rootHash) {
    problems.push(
      `the store's first ${signed.treeSize} events hash to root ${atSize.toString('hex')}, not the head's ${signed.rootHash}: ` +
        'an event the head covers was altered, removed, inserted or re-timed',
    );
  }
  return { ok: problems.length === 0, treeSize: signed.treeSize, storeEvents, problems };
}
