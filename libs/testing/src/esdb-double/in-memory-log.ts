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
    };

const TICKS_PER_MILLISECOND = 10_000n;

// Real positions are byte offsets in the transaction file: they have gaps and never start at 0.
// Mimicking that catches adapters that treat positions as counters or use 0 as "nothing seen".
const FIRST_POSITION = 256n;
const RECORD_OVERHEAD = 128n;

/** `$all` and its streams, with EventStoreDB's append rules; every write is atomic and synchronous. */
export class InMemoryLog {
  private readonly all: StoredEvent[] = [];
  private readonly streams = new Map<string, StoredEvent[]>();
  private readonly byId = new Map<string, StoredEvent>();
  private readonly listeners = new Set<() => void>();
  private nextPosition = FIRST_POSITION;

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

    if (!satisfies(expected, current)) {
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
