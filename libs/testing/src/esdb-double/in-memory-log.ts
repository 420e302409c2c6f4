import { randomUUID } from 'node:crypto';

/**
 * The storage behind the EventStoreDB double: one append-only log (`$all`) plus a per-stream
 * index into it. It knows nothing about gRPC so its rules (expected revisions, idempotency,
 * positions) can be read in one place.
 */

/** An event as the double stores it. */
export interface StoredEvent {
  /** Lower-case UUID, as EventStoreDB formats ids when it returns them. */
  readonly id: string;
  readonly streamName: string;
  /** 0-based, contiguous within the stream. */
  readonly revision: bigint;
  /** Used as both commit and prepare position: every append is its own transaction here. */
  readonly position: bigint;
  readonly type: string;
  /** EventStoreDB keeps only "is JSON", so reads report `application/json` or `application/octet-stream`. */
  readonly isJson: boolean;
  readonly customMetadata: Uint8Array;
  readonly data: Uint8Array;
  /** 100 ns ticks since the Unix epoch, the unit EventStoreDB puts in the `created` metadata entry. */
  readonly created: bigint;
}

/** An event offered for appending, already decoded from the wire. */
export interface ProposedEvent {
  readonly id: string;
  readonly type: string;
  readonly contentType: string;
  readonly customMetadata: Uint8Array;
  readonly data: Uint8Array;
}

/** The expected-revision precondition of an append. */
export type ExpectedRevision =
  | { readonly kind: 'any' }
  | { readonly kind: 'no_stream' }
  | { readonly kind: 'stream_exists' }
  | { readonly kind: 'revision'; readonly revision: bigint };

/** A stream's current revision, or `no_stream` when it has no events. */
export type CurrentRevision = bigint | 'no_stream';

/** What an append did. */
export type AppendOutcome =
  | {
      readonly kind: 'success';
      readonly currentRevision: CurrentRevision;
      /** Absent when nothing was written (an empty append). */
      readonly position: bigint | undefined;
    }
  | {
      readonly kind: 'wrong_expected_version';
      readonly expected: ExpectedRevision;
      readonly current: CurrentRevision;
    }
  | { readonly kind: 'stream_deleted' };

/** A stream as a read sees it: its readable events, or why there are none. */
export type StreamRead = readonly StoredEvent[] | 'not-found' | 'deleted';

/**
 * What a read on one node sees: the whole log on a leader, a prefix of it on a follower that has
 * not replicated everything yet.
 */
export interface LogView {
  /** Number of events of `$all` visible here. */
  readonly length: number;
  eventAt(index: number): StoredEvent;
  indexFromPosition(position: bigint, exclusive: boolean): number;
  isBoundary(commit: bigint, prepare: bigint): boolean;
  /** A stream's events with its metadata applied (`$tb`, `$maxCount`, `$maxAge`), or why none. */
  readStream(streamName: string, nowMs: number): StreamRead;
  /** A stream's raw events, in revision order (subscriptions to one stream walk these). */
  streamEvents(streamName: string): readonly StoredEvent[];
}

/** Stream metadata EventStoreDB honours on reads (kept in `$$<stream>` as `$metadata` events). */
interface StreamMetadata {
  readonly $tb?: number;
  readonly $maxCount?: number;
  /** Seconds. */
  readonly $maxAge?: number;
  readonly $acl?: { readonly $r?: string | readonly string[] };
}

const TICKS_PER_MILLISECOND = 10_000n;

// Real positions are byte offsets in the transaction file: they have gaps and never start at 0.
// Mimicking that catches adapters that treat positions as counters or use 0 as "nothing seen".
const FIRST_POSITION = 256n;
const RECORD_OVERHEAD = 128n;

/** `$all` and its streams, with EventStoreDB's append rules; every write is atomic and synchronous. */
export class InMemoryLog implements LogView {
  private readonly all: StoredEvent[] = [];
  private readonly streams = new Map<string, StoredEvent[]>();
  private readonly byId = new Map<string, StoredEvent>();
  private readonly tombstoned = new Set<string>();
  private readonly listeners = new Set<() => void>();
  private nextPosition = FIRST_POSITION;

  /** Where the next event will go: the end of the log, itself a boundary. */
  get endPosition(): bigint {
    return this.nextPosition;
  }

  /** Number of events in `$all`. */
  get length(): number {
    return this.all.length;
  }

  /** The event at `index` in `$all` order. */
  eventAt(index: number): StoredEvent {
    const event = this.all[index];
    if (event === undefined) throw new RangeError(`No event at log index ${index}`);
    return event;
  }

  /** Events of one stream in revision order; empty when the stream does not exist. */
  streamEvents(streamName: string): readonly StoredEvent[] {
    return this.streams.get(streamName) ?? [];
  }

  hasStream(streamName: string): boolean {
    return this.streams.has(streamName);
  }

  readStream(streamName: string, nowMs: number): StreamRead {
    return this.readVisible(streamName, nowMs, this.all.length);
  }

  /** The stream's latest metadata (the last `$metadata` event of `$$<stream>`), as a read sees it. */
  metadataOf(streamName: string): StreamMetadata {
    const events = this.streams.get(`$$${streamName}`) ?? [];
    const last = events[events.length - 1];
    if (last === undefined) return {};
    try {
      return JSON.parse(Buffer.from(last.data).toString('utf8')) as StreamMetadata;
    } catch {
      return {};
    }
  }

  /** A view of the first `count()` events of `$all`: what a follower has replicated. */
  prefix(count: () => number): LogView {
    const visible = () => Math.min(count(), this.length);
    return {
      get length() {
        return visible();
      },
      eventAt: (index) => {
        if (index >= visible()) throw new RangeError(`No event at log index ${index} on this node`);
        return this.eventAt(index);
      },
      indexFromPosition: (position, exclusive) => Math.min(this.indexFromPosition(position, exclusive), visible()),
      isBoundary: (commit, prepare) => {
        const end = visible();
        const endPosition = end < this.length ? this.eventAt(end).position : this.nextPosition;
        return commit <= endPosition && this.isBoundary(commit, prepare);
      },
      readStream: (streamName, nowMs) => this.readVisible(streamName, nowMs, visible()),
      streamEvents: (streamName) => this.visibleOf(this.streamEvents(streamName), visible()),
    };
  }

  /**
   * Soft delete, as EventStoreDB does it: metadata with `$tb` past the last event, so reads find
   * nothing (StreamNotFound) while a later append continues the revisions.
   */
  softDelete(streamName: string, expected: ExpectedRevision): AppendOutcome {
    if (this.tombstoned.has(streamName)) return { kind: 'stream_deleted' };
    const existing = this.streams.get(streamName) ?? [];
    const current: CurrentRevision = existing.length === 0 ? 'no_stream' : BigInt(existing.length - 1);
    if (!satisfies(expected, current)) return { kind: 'wrong_expected_version', expected, current };
    const metadata = { ...this.metadataOf(streamName), $tb: existing.length };
    return this.append(`$$${streamName}`, { kind: 'any' }, [metadataEvent(metadata)]);
  }

  /** Hard delete: the stream can never be read or written again (its events stay in `$all`). */
  tombstone(streamName: string, expected: ExpectedRevision): AppendOutcome {
    if (this.tombstoned.has(streamName)) return { kind: 'stream_deleted' };
    const existing = this.streams.get(streamName) ?? [];
    const current: CurrentRevision = existing.length === 0 ? 'no_stream' : BigInt(existing.length - 1);
    if (!satisfies(expected, current)) return { kind: 'wrong_expected_version', expected, current };
    this.tombstoned.add(streamName);
    return { kind: 'success', currentRevision: current, position: undefined };
  }

  /** Runs the append listeners (a follower caught up: its subscriptions have more to send). */
  notify(): void {
    for (const listener of [...this.listeners]) listener();
  }

  private readVisible(streamName: string, nowMs: number, visible: number): StreamRead {
    if (this.tombstoned.has(streamName)) return 'deleted';
    let events = this.visibleOf(this.streams.get(streamName) ?? [], visible);
    if (events.length === 0) return 'not-found';
    const metadata = this.metadataOf(streamName);
    if (typeof metadata.$tb === 'number') events = events.filter((event) => event.revision >= BigInt(metadata.$tb!));
    if (typeof metadata.$maxAge === 'number') {
      const oldest = BigInt(nowMs - metadata.$maxAge * 1000) * TICKS_PER_MILLISECOND;
      events = events.filter((event) => event.created >= oldest);
    }
    if (typeof metadata.$maxCount === 'number') events = events.slice(Math.max(0, events.length - metadata.$maxCount));
    return events.length === 0 ? 'not-found' : events;
  }

  private visibleOf(events: readonly StoredEvent[], visible: number): readonly StoredEvent[] {
    if (visible >= this.all.length) return events;
    const limit = this.all[visible]!.position;
    return events.filter((event) => event.position < limit);
  }

  /** Index in `$all` of the first event whose position is `>= position` (or `> position` when exclusive). */
  indexFromPosition(position: bigint, exclusive: boolean): number {
    let low = 0;
    let high = this.all.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      const candidate = this.eventAt(middle).position;
      if (candidate < position || (exclusive && candidate === position)) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  /**
   * Whether a position is a record boundary, the only places EventStoreDB reads `$all` from: the
   * start, an event's own position, or the end of the log. Anything else is in the middle of a
   * record, which a real server refuses ("invalid position").
   */
  isBoundary(commit: bigint, prepare: bigint): boolean {
    if (commit !== prepare) return false;
    if (commit === 0n || commit === this.nextPosition) return true;
    const index = this.indexFromPosition(commit, false);
    return index < this.all.length && this.eventAt(index).position === commit;
  }

  /**
   * Registers a callback run synchronously after every successful write, so subscriptions can
   * push live events in log order. Returns the function that unregisters it.
   */
  onAppended(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Appends atomically, following EventStoreDB's rules: the expected revision is checked against
   * the stream's last revision, and a retry of the last write (same event ids at the same place in
   * the stream) succeeds again with the original result instead of writing twice.
   */
  append(streamName: string, expected: ExpectedRevision, proposed: readonly ProposedEvent[]): AppendOutcome {
    if (this.tombstoned.has(streamName)) return { kind: 'stream_deleted' };
    const existing = this.streams.get(streamName) ?? [];
    const current: CurrentRevision = existing.length === 0 ? 'no_stream' : BigInt(existing.length - 1);

    const replayed = this.findIdempotentReplay(existing, expected, proposed);
    if (replayed !== undefined) {
      return { kind: 'success', currentRevision: replayed.revision, position: replayed.position };
    }

    // An id that is already stored, or repeated within the write, can only come from a retry that
    // no longer lines up with the stream; refusing it keeps every event id unique in the log.
    const ids = new Set<string>();
    for (const event of proposed) {
      if (this.byId.has(event.id) || ids.has(event.id)) {
        return { kind: 'wrong_expected_version', expected, current };
      }
      ids.add(event.id);
    }

    // A soft-deleted stream (every event truncated) may be started again as if it did not exist.
    const softDeleted = existing.length > 0 && this.metadataOf(streamName).$tb === existing.length;
    if (!satisfies(expected, current) && !(softDeleted && expected.kind === 'no_stream')) {
      return { kind: 'wrong_expected_version', expected, current };
    }
    if (proposed.length === 0) {
      return { kind: 'success', currentRevision: current, position: undefined };
    }

    const streamEvents = this.streams.get(streamName) ?? [];
    this.streams.set(streamName, streamEvents);
    const created = BigInt(Date.now()) * TICKS_PER_MILLISECOND;
    const written = proposed.map((event): StoredEvent => {
      const stored: StoredEvent = {
        id: event.id,
        streamName,
        revision: BigInt(streamEvents.length),
        position: this.nextPosition,
        type: event.type,
        isJson: event.contentType === 'application/json',
        customMetadata: event.customMetadata,
        data: event.data,
        created,
      };
      this.nextPosition += RECORD_OVERHEAD + BigInt(event.data.length + event.customMetadata.length);
      streamEvents.push(stored);
      this.all.push(stored);
      this.byId.set(stored.id, stored);
      return stored;
    });
    for (const listener of [...this.listeners]) listener();
    const last = written[written.length - 1] as StoredEvent;
    return { kind: 'success', currentRevision: last.revision, position: last.position };
  }

  private findIdempotentReplay(
    existing: readonly StoredEvent[],
    expected: ExpectedRevision,
    proposed: readonly ProposedEvent[],
  ): StoredEvent | undefined {
    const first = proposed[0];
    if (first === undefined) return undefined;

    let start: number;
    switch (expected.kind) {
      case 'revision':
        if (expected.revision + 1n > BigInt(existing.length)) return undefined;
        start = Number(expected.revision + 1n);
        break;
      case 'no_stream':
        start = 0;
        break;
      case 'any':
      case 'stream_exists': {
        const stored = this.byId.get(first.id);
        if (stored === undefined || existing[Number(stored.revision)] !== stored) return undefined;
        start = Number(stored.revision);
        break;
      }
    }

    if (start + proposed.length > existing.length) return undefined;
    for (let offset = 0; offset < proposed.length; offset++) {
      if (existing[start + offset]?.id !== proposed[offset]?.id) return undefined;
    }
    return existing[start + proposed.length - 1];
  }
}

function metadataEvent(metadata: StreamMetadata): ProposedEvent {
  return {
    id: randomUUID(),
    type: '$metadata',
    contentType: 'application/json',
    customMetadata: new Uint8Array(),
    data: Buffer.from(JSON.stringify(metadata), 'utf8'),
  };
}

function satisfies(expected: ExpectedRevision, current: CurrentRevision): boolean {
  switch (expected.kind) {
    case 'any':
      return true;
    case 'no_stream':
      return current === 'no_stream';
    case 'stream_exists':
      return current !== 'no_stream';
    case 'revision':
      return current === expected.revision;
  }
}
