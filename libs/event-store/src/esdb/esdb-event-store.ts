import {
  ANY,
  BACKWARDS,
  ClientAccessDeniedError,
  ClientMaxAppendSizeExceededError,
  ClientStreamDeletedError,
  ClientStreamNotFoundError,
  ClientWrongExpectedVersionError,
  DatabaseClient,
  END,
  FORWARDS,
  NO_STREAM,
  START,
  STREAM_EXISTS,
  eventTypeFilter,
  excludeSystemEvents,
  jsonEvent,
  streamNameFilter,
  type AllStreamResolvedEvent,
  type AllStreamSubscription,
  type AppendExpectedRevision,
  type CurrentRevision,
  type Filter,
  type JSONRecordedEvent,
  type Position,
  type ReadPosition,
  type ResolvedEvent,
} from './esdb-client';
import {
  AppendOutcomeUnknownError,
  AppendTooLargeError,
  EventStoreAccessDeniedError,
  EventStoreClosedError,
  EventStoreUnavailableError,
  InvalidPositionError,
  StreamDeletedError,
  StreamNotFoundError,
  WrongExpectedRevisionError,
} from '../event-store.errors';
import {
  DEFAULT_MAX_APPEND_BYTES,
  type AppendOptions,
  type AppendResult,
  type EventData,
  type EventFilter,
  type EventStore,
  type ExpectedRevision,
  type JsonObject,
  type ReadAllOptions,
  type ReadStreamOptions,
  type RecordedEvent,
  type SubscribeToAllOptions,
  type Subscription,
} from '../event-store.port';
import { appendSize, checkFilter, checkPosition, matchesFilter, prepareAppend } from '../event-store.validation';
import { backoff, sleep, type Backoff } from './backoff';

export interface EsdbEventStoreOptions {
  /** e.g. `esdb://localhost:2113?tls=false`, or a cluster `esdb://n1:2113,n2:2113,n3:2113`. */
  readonly connectionString: string;
  /** Resubscription back-off after a dropped subscription: first delay, doubling up to the cap, with jitter. */
  readonly resubscribeDelayMs?: { readonly first: number; readonly max: number };
  /**
   * How long one call may take before it is given up: an append, a page of a read, a
   * subscription's confirmation (default 10 s). The client puts no deadline on reads and
   * subscriptions, so without this a call to a node that stopped answering would wait forever.
   */
  readonly deadlineMs?: number;
  /**
   * How long an append or a read keeps retrying through a leader change or an outage before it
   * fails with `AppendOutcomeUnknownError` or `EventStoreUnavailableError` (default 15 s).
   */
  readonly retryBudgetMs?: number;
  /** The largest append taken (default 1 MiB, the server's default); bigger ones are refused before sending. */
  readonly maxAppendBytes?: number;
  /** For the jitter of back-offs; tests pass a seeded one. */
  readonly random?: () => number;
}

const READ_PAGE_SIZE = 500;

interface Cursor {
  readonly revision: bigint;
  readonly position: bigint;
}

/** ESDB reports "no position" in stream reads of older servers as the largest unsigned 64-bit value. */
const NO_POSITION = 2n ** 64n - 1n;

/** What a read page needs of the client's read stream: iteration, and cancelling it at a deadline. */
type ReadPage = AsyncIterable<ResolvedEvent | AllStreamResolvedEvent> & {
  cancel?: () => Promise<void>;
  destroy?: (error: Error) => void;
};

/**
 * The EventStoreDB adapter. The port's single `position` is the event's commit position in `$all`;
 * EventStoreDB 20+ gives every event of an append its own commit position, equal to its prepare
 * position, so a position maps back to `{ commit: p, prepare: p }`. A position from outside that
 * is not an event's is refused by the server (or, past the end, by the adapter) with
 * `InvalidPositionError`.
 *
 * In a cluster: appends and every read that a decision or a checkpoint may rest on (streams,
 * `$all`, the head) require the leader, so a client left on a follower after an election is sent
 * to the new leader rather than served stale data; subscriptions may follow any node (positions
 * are global, and a drop resumes from the last one delivered). Transient failures (no leader yet,
 * the node gone, a deadline) are retried with exponential back-off and full jitter, within a
 * budget; appends can be retried safely because a retry carries the same event ids and expected
 * revision, which the server recognises.
 *
 * System events (`$`-prefixed streams and types) are never returned: they are EventStoreDB's, not
 * Harbour's.
 */
export class EsdbEventStore implements EventStore {
  readonly maxAppendBytes: number;
  private readonly client: DatabaseClient;
  private readonly subscriptions = new Set<EsdbSubscription>();
  private readonly deadlineMs: number;
  private readonly retryBudgetMs: number;
  private readonly random: () => number;
  private closed = false;

  constructor(private readonly options: EsdbEventStoreOptions) {
    this.client = DatabaseClient.connectionString(options.connectionString);
    this.maxAppendBytes = options.maxAppendBytes ?? DEFAULT_MAX_APPEND_BYTES;
    this.deadlineMs = options.deadlineMs ?? 10_000;
    this.retryBudgetMs = options.retryBudgetMs ?? 15_000;
    this.random = options.random ?? Math.random;
  }

  async appendToStream(stream: string, events: readonly EventData[], options: AppendOptions): Promise<AppendResult> {
    this.assertOpen();
    const serialised = prepareAppend(stream, events, options?.expectedRevision, this.maxAppendBytes);
    const proposed = serialised.map((event) =>
      jsonEvent({
        id: event.id,
        type: event.type,
        data: JSON.parse(event.data) as JsonObject,
        metadata: JSON.parse(event.metadata) as JsonObject,
      }),
    );
    let maybeWritten = false;
    return this.retrying(
      (error) => {
        if (error instanceof ClientMaxAppendSizeExceededError) {
          return new AppendTooLargeError(stream, appendSize(events), error.maxAppendSize);
        }
        if (!isTransient(error)) return mapError(error, stream, 'an append');
        if (mayHaveReachedLeader(error)) maybeWritten = true;
        return undefined;
      },
      async () => {
        const result = await withDeadline(
          this.client.appendToStream(stream, proposed, {
            expectedRevision: toEsdbExpected(options.expectedRevision),
            requiresLeader: true,
            deadline: this.deadlineMs,
          }),
          this.deadlineMs,
        );
        const position = result.position?.commit ?? (await this.positionOf(stream, result.nextExpectedRevision));
        return { nextRevision: result.nextExpectedRevision, position };
      },
      (last) =>
        maybeWritten ? new AppendOutcomeUnknownError(stream, last) : new EventStoreUnavailableError('an append', last),
    );
  }

  readStream(stream: string, options: ReadStreamOptions = {}): AsyncIterable<RecordedEvent> {
    const backwards = options.direction === 'backwards';
    const from = options.fromRevision;
    const start =
      from === undefined ? (backwards ? END : START) : from === 'start' ? START : from === 'end' ? END : from;
    return this.paged({ stream, backwards, maxCount: options.maxCount }, (cursor, maxCount) =>
      this.client.readStream(stream, {
        direction: backwards ? BACKWARDS : FORWARDS,
        maxCount,
        fromRevision: cursor ? cursor.revision + (backwards ? -1n : 1n) : start,
        requiresLeader: true,
      }),
    );
  }

  readAll(options: ReadAllOptions = {}): AsyncIterable<RecordedEvent> {
    checkFilter(options.filter);
    const backwards = options.direction === 'backwards';
    const from = options.fromPosition === -1n ? 'start' : options.fromPosition;
    if ((from === 'end' && !backwards) || (from === 'start' && backwards))
      return { async *[Symbol.asyncIterator]() {} };
    const read = { stream: '$all', backwards, maxCount: options.maxCount, filter: options.filter };
    const page = (start: ReadPosition) => (cursor: Cursor | undefined, maxCount: number) =>
      this.client.readAll({
        direction: backwards ? BACKWARDS : FORWARDS,
        maxCount,
        // A page resumes at the last event's own position (always a valid one to read from).
        fromPosition: cursor ? toEsdbPosition(cursor.position) : start,
        requiresLeader: true,
      });
    if (typeof from !== 'bigint') return this.paged(read, page(backwards ? END : START));
    if (!backwards) return this.paged({ ...read, exactStart: from }, page(toEsdbPosition(from)));
    // The port reads backwards inclusively, the server exclusively: the event at the position is
    // read on its own (which also checks that the position is an event's), then the rest before it.
    const before = this.paged(read, page(toEsdbPosition(from)));
    const eventAt = (position: bigint) => this.eventAt(position);
    return {
      async *[Symbol.asyncIterator]() {
        let remaining = options.maxCount ?? Number.POSITIVE_INFINITY;
        const first = await eventAt(from);
        if (remaining <= 0) return;
        if (first && matchesFilter(first, options.filter)) {
          yield first;
          remaining -= 1;
        }
        for await (const event of before) {
          if (remaining-- <= 0) return;
          yield event;
        }
      },
    };
  }

  /**
   * Reads in pages, each consumed to its end before anything is yielded: a gRPC read abandoned
   * half-way (a caller breaking out of its loop) is never finished, and the client's `dispose()`
   * would wait for it forever. A page that fails transiently is read again (a page is yielded only
   * whole, so nothing repeats). The 6.x client cannot ask the server to filter a read of `$all`,
   * so the filter is applied here, as is the hiding of system events.
   */
  private paged(
    read: { stream: string; backwards: boolean; maxCount?: number; filter?: EventFilter; exactStart?: bigint },
    readPage: (cursor: Cursor | undefined, maxCount: number) => ReadPage,
  ): AsyncIterable<RecordedEvent> {
    const { stream, backwards, filter, exactStart } = read;
    const assertOpen = () => this.assertOpen();
    const retrying = this.retrying.bind(this);
    const readOnePage = this.readOnePage.bind(this);
    return {
      async *[Symbol.asyncIterator]() {
        assertOpen();
        if (exactStart !== undefined) checkPosition(exactStart);
        let remaining = read.maxCount ?? Number.POSITIVE_INFINITY;
        let cursor: Cursor | undefined;
        while (remaining > 0) {
          assertOpen();
          const previous = cursor;
          // Filtered and $all reads skip events, so they cannot ask for just what is still wanted.
          const count = stream === '$all' ? READ_PAGE_SIZE : Math.min(READ_PAGE_SIZE, remaining);
          const { page, received, last } = await retrying(
            (error) =>
              isTransient(error)
                ? undefined
                : mapError(error, stream, `a read of ${stream}`, previous ? undefined : exactStart),
            () => readOnePage(readPage(previous, count), { stream, backwards, previous, exactStart, filter }),
            (error) => new EventStoreUnavailableError(`a read of ${stream}`, error),
          );
          if (last) cursor = last;
          for (const event of page) {
            yield event;
            if (--remaining <= 0) return;
          }
          if (received < count || !cursor || (stream !== '$all' && backwards && cursor.revision === 0n)) return;
        }
      },
    };
  }

  private async readOnePage(
    reading: ReadPage,
    at: { stream: string; backwards: boolean; previous?: Cursor; exactStart?: bigint; filter?: EventFilter },
  ): Promise<{ page: RecordedEvent[]; received: number; last?: Cursor }> {
    const page: RecordedEvent[] = [];
    let received = 0;
    let last: Cursor | undefined;
    // The client puts no deadline on reads: a node that stops answering mid-read is given up here.
    const timer = setTimeout(() => {
      void reading.cancel?.();
      reading.destroy?.(new DeadlineError(`a read of ${at.stream}`, this.deadlineMs));
    }, this.deadlineMs);
    try {
      for await (const resolved of reading) {
        received += 1;
        const raw = resolved.event;
        if (!raw) continue;
        const position = raw.position?.commit ?? -1n;
        // The first event of a read from a position given from outside must be at that position.
        if (at.exactStart !== undefined && !at.previous && received === 1 && position !== at.exactStart) {
          await drain(reading);
          throw new InvalidPositionError(at.exactStart);
        }
        // Resuming forwards at a position returns the event there again.
        if (at.stream === '$all' && at.previous && !at.backwards && position <= at.previous.position) continue;
        last = { revision: raw.revision, position };
        const event = toRecordedEvent(resolved);
        if (event && matchesFilter(event, at.filter)) page.push(event);
      }
    } finally {
      clearTimeout(timer);
    }
    // A read from a position past the last event returns nothing, where it should name an event.
    if (at.exactStart !== undefined && !at.previous && received === 0) throw new InvalidPositionError(at.exactStart);
    return { page, received, last };
  }

  subscribeToAll(options: SubscribeToAllOptions = {}): Subscription {
    checkFilter(options.filter);
    this.assertOpen();
    const from = options.fromPosition === -1n ? 'start' : (options.fromPosition ?? 'start');
    const start: Promise<bigint | 'start'> =
      from === 'end'
        ? this.headIncludingSystemEvents()
        : typeof from === 'bigint'
          ? this.eventAt(from).then(() => from)
          : Promise.resolve('start');
    const subscription = new EsdbSubscription(
      this.client,
      options.filter,
      start,
      backoff(this.options.resubscribeDelayMs ?? { first: 100, max: 5_000 }, this.random),
      this.deadlineMs,
      () => this.subscriptions.delete(subscription),
    );
    this.subscriptions.add(subscription);
    return subscription;
  }

  async headPosition(): Promise<bigint> {
    this.assertOpen();
    for await (const event of this.readAll({ direction: 'backwards', fromPosition: 'end', maxCount: 1 })) {
      return event.position;
    }
    return -1n;
  }

  /** Ends subscriptions and disposes the gRPC client. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.subscriptions].map((subscription) => subscription.close()));
    await this.client.dispose();
  }

  /**
   * Runs `attempt`, retrying what `classify` calls transient (by returning undefined) with
   * exponential back-off and full jitter until the retry budget is spent; then `exhausted` names
   * the failure. A mapped error (classify's result) ends it at once.
   */
  private async retrying<T>(
    classify: (error: unknown) => unknown,
    attempt: () => Promise<T>,
    exhausted: (last: unknown) => Error,
  ): Promise<T> {
    const started = Date.now();
    const delays = backoff({ first: 50, max: 2_000 }, this.random);
    for (;;) {
      this.assertOpen();
      try {
        return await attempt();
      } catch (error) {
        const mapped = classify(error);
        if (mapped !== undefined) throw mapped;
        const delay = delays.next();
        if (this.closed) throw new EventStoreClosedError();
        if (Date.now() - started + delay > this.retryBudgetMs) throw exhausted(error);
        await sleep(delay);
      }
    }
  }

  /** The event at `position`, read on its own; `InvalidPositionError` when there is none. */
  private async eventAt(position: bigint): Promise<RecordedEvent | undefined> {
    let found: RecordedEvent | undefined;
    // Undefined (a valid position) when a system event sits there: nothing of Harbour's to return.
    for await (const event of this.paged({ stream: '$all', backwards: false, maxCount: 1, exactStart: position }, () =>
      this.client.readAll({
        direction: FORWARDS,
        maxCount: 1,
        fromPosition: toEsdbPosition(position),
        requiresLeader: true,
      }),
    )) {
      found = event;
    }
    return found;
  }

  /** Where a subscription "from the end" starts, so that a drop before its first event loses nothing. */
  private async headIncludingSystemEvents(): Promise<bigint | 'start'> {
    let head: bigint | 'start' = 'start';
    // Read to the end of the (one-event) reply: an abandoned gRPC read would block dispose().
    for await (const resolved of this.client.readAll({
      direction: BACKWARDS,
      fromPosition: END,
      maxCount: 1,
      requiresLeader: true,
    })) {
      if (resolved.event?.position) head = resolved.event.position.commit;
    }
    return head;
  }

  /** Servers that do not return a position on append: read it back by revision. */
  private async positionOf(stream: string, revision: bigint): Promise<bigint> {
    for await (const event of this.readStream(stream, { fromRevision: revision, maxCount: 1 })) {
      return event.position;
    }
    return -1n;
  }

  private assertOpen(): void {
    if (this.closed) throw new EventStoreClosedError();
  }
}

/**
 * A catch-up subscription that survives drops: on a transient error (server restart, leader
 * change, network, no confirmation within the deadline) it resubscribes from the last position
 * it delivered, after a jittered back-off, so the consumer sees neither a gap nor a repeat.
 */
class EsdbSubscription implements Subscription {
  private readonly abort = new AbortController();
  private current?: AllStreamSubscription;
  private iterator?: AsyncGenerator<RecordedEvent>;

  constructor(
    private readonly client: DatabaseClient,
    private readonly filter: EventFilter | undefined,
    private readonly start: Promise<bigint | 'start'>,
    private readonly delays: Backoff,
    private readonly confirmWithinMs: number,
    private readonly onClose: () => void,
  ) {
    this.start.catch(() => undefined); // surfaced by ready() and by iteration, not as unhandled
  }

  [Symbol.asyncIterator](): AsyncIterator<RecordedEvent> {
    this.iterator ??= this.iterate();
    return this.iterator;
  }

  async close(): Promise<void> {
    if (this.abort.signal.aborted) return;
    this.abort.abort();
    this.onClose();
    await this.current?.unsubscribe().catch(() => undefined);
  }

  ready(): Promise<void> {
    return this.start.then(() => undefined);
  }

  private async *iterate(): AsyncGenerator<RecordedEvent> {
    const { signal } = this.abort;
    try {
      let last = await this.start;
      while (!signal.aborted) {
        const subscription = this.client.subscribeToAll({
          fromPosition: last === 'start' ? START : toEsdbPosition(last),
          filter: toEsdbFilter(this.filter),
        });
        this.current = subscription;
        // The client puts no deadline on a subscription: one never confirmed (a node that
        // accepted the call and went silent) is given up and made again.
        const unconfirmed = setTimeout(
          () => void subscription.unsubscribe().catch(() => undefined),
          this.confirmWithinMs,
        );
        subscription.once('confirmation', () => clearTimeout(unconfirmed));
        try {
          for await (const resolved of subscription) {
            if (signal.aborted) return;
            const event = toRecordedEvent(resolved);
            // After a resubscription the server starts after `last`; the check guards against
            // a server that includes it.
            if (!event || (last !== 'start' && event.position <= last)) continue;
            if (!matchesFilter(event, this.filter)) continue;
            this.delays.reset();
            yield event;
            last = event.position;
          }
        } catch (error) {
          if (signal.aborted) return;
          if (!isTransient(error)) throw mapError(error, '$all', 'a subscription to $all');
        } finally {
          clearTimeout(unconfirmed);
        }
        if (signal.aborted) return;
        await sleep(this.delays.next(), signal);
      }
    } finally {
      await this.close();
    }
  }
}

/** A call the adapter gave up on at its deadline: the outcome of an append is then unknown. */
class DeadlineError extends Error {
  readonly type = 'deadline-exceeded';
  constructor(operation: string, ms: number) {
    super(`${operation} had no answer within ${ms} ms`);
    this.name = 'DeadlineError';
  }
}

/** Errors a server restart, leader change or network blip produce: worth retrying after. */
const TRANSIENT = new Set(['unavailable', 'deadline-exceeded', 'timeout', 'not-leader', 'cancelled']);

function isTransient(error: unknown): boolean {
  if (TRANSIENT.has((error as { type?: string })?.type ?? '')) return true;
  // The client's discovery (gossip) found no leader or no node: plain Errors, told by their message.
  return error instanceof Error && /^Failed to discover|^Failed to connect/.test(error.message);
}

/** Whether an append that failed so may still have been written (else it surely was not). */
function mayHaveReachedLeader(error: unknown): boolean {
  const type = (error as { type?: string })?.type;
  return type === 'unavailable' || type === 'deadline-exceeded' || type === 'timeout' || type === 'cancelled';
}

function withDeadline<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DeadlineError('an append', ms)), ms);
  });
  return Promise.race([promise, expired]).finally(() => clearTimeout(timer));
}

async function drain(reading: AsyncIterable<unknown>): Promise<void> {
  for await (const _ of reading) {
    // read to the end: an abandoned gRPC read would block the client's dispose()
  }
}

function toEsdbExpected(expected: ExpectedRevision): AppendExpectedRevision {
  switch (expected) {
    case 'any':
      return ANY;
    case 'no_stream':
      return NO_STREAM;
    case 'stream_exists':
      return STREAM_EXISTS;
    default:
      return expected;
  }
}

function fromEsdbExpected(expected: AppendExpectedRevision): ExpectedRevision {
  return expected === ANY || expected === NO_STREAM || expected === STREAM_EXISTS ? expected : BigInt(expected);
}

function fromEsdbCurrent(current: CurrentRevision): bigint | 'no_stream' {
  return current === NO_STREAM ? 'no_stream' : BigInt(current);
}

function toEsdbPosition(position: bigint): ReadPosition {
  const at: Position = { commit: position, prepare: position };
  return at;
}

function toEsdbFilter(filter: EventFilter | undefined): Filter {
  if (!filter) return excludeSystemEvents();
  if ('streamPrefixes' in filter) return streamNameFilter({ prefixes: [...filter.streamPrefixes] });
  // Event-type prefixes on the server would also match longer names: an anchored regex is exact.
  return eventTypeFilter({ regex: `^(?:${filter.eventTypes.map(escapeRegex).join('|')})$` });
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The client's errors as the port's, each with what a caller should do (see event-store.errors.ts). */
function mapError(error: unknown, stream: string, operation: string, position?: bigint): unknown {
  if (error instanceof ClientWrongExpectedVersionError) {
    return new WrongExpectedRevisionError(
      error.streamName || stream,
      fromEsdbExpected(error.expectedVersion),
      fromEsdbCurrent(error.actualVersion),
    );
  }
  if (error instanceof ClientStreamNotFoundError) return new StreamNotFoundError(stream);
  if (error instanceof ClientStreamDeletedError) return new StreamDeletedError(error.streamName || stream);
  if (error instanceof ClientAccessDeniedError) return new EventStoreAccessDeniedError(operation);
  // The server refuses a read or subscription from a position that is not a record boundary.
  const grpc = error as { code?: number; message?: string };
  if (position !== undefined && grpc?.code === 3 && /invalid position/i.test(grpc.message ?? '')) {
    return new InvalidPositionError(position);
  }
  return error;
}

function toRecordedEvent(resolved: ResolvedEvent | AllStreamResolvedEvent): RecordedEvent | undefined {
  const event = resolved.event as JSONRecordedEvent | undefined;
  if (!event || event.type.startsWith('$') || event.streamId.startsWith('$')) return undefined;
  const commit = event.position?.commit;
  return {
    id: event.id,
    stream: event.streamId,
    revision: event.revision,
    position: commit === undefined || commit === NO_POSITION ? -1n : commit,
    type: event.type,
    data: event.data as JsonObject,
    metadata: (event.metadata ?? {}) as JsonObject,
    recordedAt: event.created instanceof Date ? event.created : new Date(event.created),
  };
}
