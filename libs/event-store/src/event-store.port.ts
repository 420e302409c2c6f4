/**
 * The event store port: the one interface every part of Harbour writes and reads events through.
 * Two adapters implement it (embedded SQLite and EventStoreDB); one contract suite in
 * `@harbour/testing` holds both to the same behaviour.
 *
 * Revisions and positions are `bigint` inside the process and decimal strings on the wire.
 */

/** The revision a stream is expected to be at when appending, as in EventStoreDB. */
export type ExpectedRevision = bigint | 'no_stream' | 'stream_exists' | 'any';

/** JSON-serialisable data: what events carry. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/** An event to append. `id` is a UUID chosen by the caller, so a retried append can be recognised. */
export interface EventData<Data extends JsonObject = JsonObject, Metadata extends JsonObject = JsonObject> {
  readonly id: string;
  readonly type: string;
  readonly data: Data;
  readonly metadata?: Metadata;
}

/** An event as stored. */
export interface RecordedEvent<Data extends JsonObject = JsonObject, Metadata extends JsonObject = JsonObject> {
  readonly id: string;
  readonly stream: string;
  /** 0-based, contiguous within the stream. */
  readonly revision: bigint;
  /** Position in the global log (`$all`): strictly increasing across the whole store. */
  readonly position: bigint;
  readonly type: string;
  readonly data: Data;
  readonly metadata: Metadata;
  /** When the store recorded the event (not the business time, which lives in metadata). */
  readonly recordedAt: Date;
}

export interface AppendOptions {
  readonly expectedRevision: ExpectedRevision;
}

export interface AppendResult {
  /** The revision of the last event written: the expected revision for the next append. */
  readonly nextRevision: bigint;
  /** The global position of the last event written. */
  readonly position: bigint;
}

export type Direction = 'forwards' | 'backwards';

export interface ReadStreamOptions {
  /** Inclusive. Defaults to the start (forwards) or the end (backwards). */
  readonly fromRevision?: bigint | 'start' | 'end';
  readonly direction?: Direction;
  readonly maxCount?: number;
}

/**
 * Selects events in `$all`. A stream-prefix filter keeps events whose stream starts with any
 * prefix; an event-type filter keeps events whose type is one of the listed types.
 */
export type EventFilter = { readonly streamPrefixes: readonly string[] } | { readonly eventTypes: readonly string[] };

export interface ReadAllOptions {
  /** Inclusive: the event at this position, if any, is the first returned. Defaults to the start. */
  readonly fromPosition?: bigint | 'start' | 'end';
  readonly direction?: Direction;
  readonly maxCount?: number;
  readonly filter?: EventFilter;
}

export interface SubscribeToAllOptions {
  /**
   * Exclusive, like a checkpoint: the subscription delivers events after this position.
   * `'start'` (the default) delivers all history first; `'end'` only what is appended from now on.
   */
  readonly fromPosition?: bigint | 'start' | 'end';
  readonly filter?: EventFilter;
}

/**
 * A catch-up subscription: history from the position, then live events, in position order, never
 * twice. Iterate it with `for await`; `close()` (or breaking out of the loop) ends it.
 */
export interface Subscription extends AsyncIterable<RecordedEvent> {
  /**
   * Resolves once the start position is fixed. It matters only for `fromPosition: 'end'` on a
   * remote store, where finding the end takes a round trip: appends made after `ready()`
   * resolves are delivered.
   */
  ready(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The largest append a store takes by default, in bytes as `appendSize` counts them: 1 MiB,
 * EventStoreDB's default `MaxAppendSize`. A store configured with a lower limit than its server's
 * refuses before sending; one configured higher meets the server's refusal, mapped the same way.
 */
export const DEFAULT_MAX_APPEND_BYTES = 1024 * 1024;

export interface EventStore {
  /**
   * The largest append this store takes, in bytes as `appendSize` counts them (the serialised
   * data and metadata of every event plus two bytes per character of its type, as EventStoreDB
   * counts). A writer that batches many events into one append (the read-access log) keeps each
   * batch under it.
   */
  readonly maxAppendBytes: number;
  /**
   * Appends events to a stream atomically, checking the expected revision.
   * @throws WrongExpectedRevisionError when the stream is not at the expected revision.
   * @throws AppendTooLargeError when the append is over `maxAppendBytes` (nothing is written).
   * @throws StreamDeletedError when the stream was deleted for good.
   * @throws AppendOutcomeUnknownError when no answer came in time: retry with the same event ids.
   * @throws EventStoreUnavailableError when the store could not be reached: nothing was written.
   */
  appendToStream(stream: string, events: readonly EventData[], options: AppendOptions): Promise<AppendResult>;
  /**
   * @throws StreamNotFoundError when the stream has no events.
   * @throws StreamDeletedError when the stream was deleted for good.
   */
  readStream(stream: string, options?: ReadStreamOptions): AsyncIterable<RecordedEvent>;
  /**
   * A bigint `fromPosition` must be the position of an event in this store (or -1n, nothing
   * yet): iteration fails with `InvalidPositionError` otherwise.
   */
  readAll(options?: ReadAllOptions): AsyncIterable<RecordedEvent>;
  /**
   * A bigint `fromPosition` must be the position of an event in this store (or -1n, nothing
   * yet): `ready()` and iteration fail with `InvalidPositionError` otherwise.
   */
  subscribeToAll(options?: SubscribeToAllOptions): Subscription;
  /** The position of the last event in the store, or -1n when it is empty. */
  headPosition(): Promise<bigint>;
  close(): Promise<void>;
}

/** DI token for the event store. */
export const EVENT_STORE = Symbol('EVENT_STORE');
