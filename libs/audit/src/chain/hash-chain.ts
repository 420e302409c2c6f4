import { createHash } from 'node:crypto';
import type { JsonObject, JsonValue } from '@harbour/event-store';
import { canonicalJson } from './canonical-json';

/**
 * The tamper evidence of the event log: every event's metadata carries `prevHash` (the `hash` of
 * the event before it in the same stream, or {@link GENESIS_HASH} for the first) and `hash`, the
 * SHA-256 (hex) of the canonical JSON (RFC 8785) of `{ type, data, metadata, prevHash }` where
 * `metadata` is the event's metadata without `hash`. Altering an event breaks its own hash;
 * removing or replacing one breaks the next event's link (and leaves a gap in the revisions).
 *
 * What a chain alone cannot show: that the newest events of a stream were cut off (nothing comes
 * after them to notice). An exported case file carries its head hash, which does.
 */

/** The `prevHash` of the first event of every stream. */
export const GENESIS_HASH = '0'.repeat(64);

/** The parts of an event the hash covers. */
export interface HashableEvent {
  readonly type: string;
  readonly data: JsonObject;
  readonly metadata: JsonObject;
}

const HASH = /^[0-9a-f]{64}$/;

/** The hash of `event` linked to `prevHash`. A `hash` already in its metadata is ignored. */
export function eventHash(event: HashableEvent, prevHash: string): string {
  const { hash: _ignored, ...metadata } = event.metadata;
  return createHash('sha256')
    .update(canonicalJson({ type: event.type, data: event.data, metadata, prevHash }))
    .digest('hex');
}

/**
 * The events of one append, each with `prevHash` and `hash` in its metadata, chained from
 * `prevHash` (the stream's head hash) and from each other within the batch.
 */
export function chainEvents<Event extends HashableEvent>(
  prevHash: string,
  events: readonly Event[],
): (Event & { metadata: JsonObject & { prevHash: string; hash: string } })[] {
  let previous = prevHash;
  return events.map((event) => {
    const metadata = { ...event.metadata, prevHash: previous };
    const hash = eventHash({ type: event.type, data: event.data, metadata }, previous);
    previous = hash;
    return { ...event, metadata: { ...metadata, hash } };
  });
}

/**
 * The hash the next event of a stream links to: the stored hash of its last event, or the genesis
 * hash for a new stream. A last event written before hashing began has none; the chain then
 * restarts from genesis (and verification reports the unhashed events as such).
 */
export function headHashOf(last: { readonly metadata: JsonObject } | undefined): string {
  const hash = last?.metadata.hash;
  return typeof hash === 'string' && HASH.test(hash) ? hash : GENESIS_HASH;
}

/** What is wrong with a link. */
export type ChainProblem = 'revision-gap' | 'missing-hash' | 'hash-mismatch' | 'prev-hash-mismatch';

/** The first broken link of a stream: which event, and what is wrong with it. */
export interface ChainBreak {
  readonly stream: string;
  /** Decimal strings, as positions and revisions travel outside the process. */
  readonly revision: string;
  readonly position: string;
  readonly eventId: string;
  readonly type: string;
  readonly problem: ChainProblem;
  readonly detail: string;
}

/** An event as the verifier reads it (a stored event, or one from an exported case file). */
export interface ChainedEvent extends HashableEvent {
  readonly id: string;
  readonly stream: string;
  readonly revision: bigint;
  readonly position: bigint;
}

interface StreamCursor {
  nextRevision: bigint;
  lastHash: string;
  events: number;
  broken?: ChainBreak;
}

/** The outcome of checking one stream. */
export interface StreamVerification {
  readonly stream: string;
  readonly ok: boolean;
  readonly events: number;
  /** The stored hash of the last event read: what the next event must link to. */
  readonly headHash: string;
  readonly firstBroken: ChainBreak | null;
}

/**
 * Checks links as events arrive, any number of streams interleaved (as `$all` delivers them), each
 * stream's events in revision order. Keeps one small cursor per stream; after a stream's first
 * break it only counts that stream's events, as everything after a break is suspect anyway.
 */
export class ChainVerifier {
  private readonly streams = new Map<string, StreamCursor>();
  private readonly breaks: ChainBreak[] = [];
  private count = 0;

  /** Checks the next event; returns the break it reveals, if this is its stream's first. */
  add(event: ChainedEvent): ChainBreak | undefined {
    this.count += 1;
    let cursor = this.streams.get(event.stream);
    if (!cursor) {
      cursor = { nextRevision: 0n, lastHash: GENESIS_HASH, events: 0 };
      this.streams.set(event.stream, cursor);
    }
    cursor.events += 1;
    if (cursor.broken) return undefined;
    const problem = linkProblem(event, cursor);
    const stored = event.metadata.hash;
    cursor.nextRevision = event.revision + 1n;
    cursor.lastHash = typeof stored === 'string' ? stored : '';
    if (!problem) return undefined;
    const broken: ChainBreak = {
      stream: event.stream,
      revision: String(event.revision),
      position: String(event.position),
      eventId: event.id,
      type: event.type,
      ...problem,
    };
    cursor.broken = broken;
    this.breaks.push(broken);
    return broken;
  }

  /** Events checked so far. */
  get events(): number {
    return this.count;
  }

  /** Streams seen so far. */
  get streamCount(): number {
    return this.streams.size;
  }

  /** The first break of each broken stream, in the order they were found. */
  get broken(): readonly ChainBreak[] {
    return this.breaks;
  }

  /** The state of one stream's chain, as far as it has been read. */
  stream(stream: string): StreamVerification {
    const cursor = this.streams.get(stream);
    return {
      stream,
      ok: cursor !== undefined && cursor.broken === undefined,
      events: cursor?.events ?? 0,
      headHash: cursor?.lastHash ?? GENESIS_HASH,
      firstBroken: cursor?.broken ?? null,
    };
  }
}

function linkProblem(event: ChainedEvent, cursor: StreamCursor): { problem: ChainProblem; detail: string } | undefined {
  if (event.revision !== cursor.nextRevision) {
    const detail =
      event.revision > cursor.nextRevision
        ? `${describeMissing(cursor.nextRevision, event.revision - 1n)} missing before it: an event was removed`
        : `revision ${event.revision} came after revision ${cursor.nextRevision - 1n}: the stream was reordered`;
    return { problem: 'revision-gap', detail };
  }
  const { hash, prevHash } = event.metadata;
  if (!isHash(hash) || !isHash(prevHash)) {
    return { problem: 'missing-hash', detail: 'the event carries no hash and prevHash: nothing proves it unaltered' };
  }
  const recomputed = eventHash(event, prevHash);
  if (recomputed !== hash) {
    return {
      problem: 'hash-mismatch',
      detail: `stored hash ${hash} but its type, data and metadata hash to ${recomputed}: the event was altered`,
    };
  }
  if (prevHash !== cursor.lastHash) {
    return {
      problem: 'prev-hash-mismatch',
      detail:
        cursor.nextRevision === 0n
          ? `prevHash ${prevHash} is not the genesis hash: the stream's first event was removed or replaced`
          : `prevHash ${prevHash} is not the hash of revision ${cursor.nextRevision - 1n} (${cursor.lastHash}): ` +
            'an event before it was removed or replaced',
    };
  }
  return undefined;
}

function describeMissing(from: bigint, to: bigint): string {
  return from === to ? `revision ${from} is` : `revisions ${from} to ${to} are`;
}

function isHash(value: JsonValue | undefined): value is string {
  return typeof value === 'string' && HASH.test(value);
}
