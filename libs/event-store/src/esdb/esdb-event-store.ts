import {
  ANY,
  BACKWARDS,
  END,
  EventStoreDBClient,
  FORWARDS,
  NO_STREAM,
  START,
  STREAM_EXISTS,
  StreamNotFoundError as EsdbStreamNotFoundError,
  WrongExpectedVersionError,
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
} from '@eventstore/db-client';
import { EventStoreClosedError, StreamNotFoundError, WrongExpectedRevisionError } from '../event-store.errors';
import type {
  AppendOptions,
  AppendResult,
  EventData,
  EventFilter,
  EventStore,
  ExpectedRevision,
  JsonObject,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  SubscribeToAllOptions,
  Subscription,
} from '../event-store.port';
import { checkFilter, matchesFilter, prepareAppend } from '../event-store.validation';

export interface EsdbEventStoreOptions {
  /** e.g. `esdb://localhost:2113?tls=false`, or a cluster `esdb+discover://...`. */
  readonly connectionString: string;
  /** Resubscription back-off after a dropped subscription: first delay, doubling up to the cap. */
  readonly resubscribeDelayMs?: { readonly first: number; readonly max: number };
}

const READ_PAGE_SIZE = 500;

interface Cursor {
  readonly revision: bigint;
  readonly position: bigint;
}

/** ESDB reports "no position" in stream reads of older servers as the largest unsigned 64-bit value. */
const NO_POSITION = 2n ** 64n - 1n;

/**
 * The EventStoreDB adapter. The port's single `position` is the event's commit position in `$all`;
 * EventStoreDB 20+ gives every event of an append its own commit position, equal to its prepare
 * position, so a position maps back to `{ commit: p, prepare: p }`.
 *
 * System events (`$`-prefixed streams and types) are never returned: they are EventStoreDB's, not
 * Harbour's.
 */
export class EsdbEventStore implements EventStore {
  private readonly client: EventStoreDBClient;
  private readonly subscriptions = new Set<EsdbSubscription>();
  private closed = false;

  constructor(private readonly options: EsdbEventStoreOptions) {
    this.client = EventStoreDBClient.connectionString(options.connectionString);
  }

  async appendToStream(stream: string, events: readonly EventData[], options: AppendOptions): Promise<AppendResult> {
    this.assertOpen();
    const serialised = prepareAppend(stream, events, options?.expectedRevision);
    try {
      const result = await this.client.appendToStream(
        stream,
        serialised.map((event) =>
          jsonEvent({
            id: event.id,
            type: event.type,
            data: JSON.parse(event.data) as JsonObject,
            metadata: JSON.parse(event.metadata) as JsonObject,
          }),
        ),
        { expectedRevision: toEsdbExpected(options.expectedRevision) },
      );
      const position = result.position?.commit ?? (await this.positionOf(stream, result.nextExpectedRevision));
      return { nextRevision: result.nextExpectedRevision, position };
    } catch (error) {
      throw mapError(error, stream);
    }
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
      }),
    );
  }

  readAll(options: ReadAllOptions = {}): AsyncIterable<RecordedEvent> {
    checkFilter(options.filter);
    const backwards = options.direction === 'backwards';
    const from = options.fromPosition;
    if ((from === 'end' && !backwards) || (from === 'start' && backwards))
      return { async *[Symbol.asyncIterator]() {} };
    // EventStoreDB reads forwards from a position inclusively and backwards exclusively; the port
    // is inclusive both ways.
    const start = typeof from === 'bigint' ? toEsdbPosition(backwards ? from + 1n : from) : backwards ? END : START;
    return this.paged(
      { stream: '$all', backwards, maxCount: options.maxCount, filter: options.filter },
      (cursor, maxCount) =>
        this.client.readAll({
          direction: backwards ? BACKWARDS : FORWARDS,
          maxCount,
          // A page resumes at the last event's own position (always a valid one to read from).
          fromPosition: cursor ? toEsdbPosition(cursor.position) : start,
        }),
    );
  }

  /**
   * Reads in pages, each consumed to its end before anything is yielded: a gRPC read abandoned
   * half-way (a caller breaking out of its loop) is never finished, and the client's `dispose()`
   * would wait for it forever. The 6.x client cannot ask the server to filter a read of `$all`,
   * so the filter is applied here, as is the hiding of system events.
   */
  private paged(
    read: { stream: string; backwards: boolean; maxCount?: number; filter?: EventFilter },
    readPage: (cursor: Cursor | undefined, maxCount: number) => AsyncIterable<ResolvedEvent | AllStreamResolvedEvent>,
  ): AsyncIterable<RecordedEvent> {
    const assertOpen = () => this.assertOpen();
    const { stream, backwards, filter } = read;
    return {
      async *[Symbol.asyncIterator]() {
        assertOpen();
        let remaining = read.maxCount ?? Number.POSITIVE_INFINITY;
        let cursor: Cursor | undefined;
        while (remaining > 0) {
          assertOpen();
          const page: RecordedEvent[] = [];
          let received = 0;
          const previous = cursor;
          // Filtered and $all reads skip events, so they cannot ask for just what is still wanted.
          const count = stream === '$all' ? READ_PAGE_SIZE : Math.min(READ_PAGE_SIZE, remaining);
          try {
            for await (const resolved of readPage(previous, count)) {
              received += 1;
              const raw = resolved.event;
              if (!raw) continue;
              const position = raw.position?.commit ?? -1n;
              // Resuming forwards at a position returns the event there again.
              if (stream === '$all' && previous && !backwards && position <= previous.position) continue;
              cursor = { revision: raw.revision, position };
              const event = toRecordedEvent(resolved);
              if (event && matchesFilter(event, filter)) page.push(event);
            }
          } catch (error) {
            throw mapError(error, stream);
          }
          for (const event of page) {
            yield event;
            if (--remaining <= 0) return;
          }
          if (received < count || !cursor || (stream !== '$all' && backwards && cursor.revision === 0n)) return;
        }
      },
    };
  }

  subscribeToAll(options: SubscribeToAllOptions = {}): Subscription {
    checkFilter(options.filter);
    this.assertOpen();
    const subscription = new EsdbSubscription(
      this.client,
      options,
      () => this.headIncludingSystemEvents(),
      this.options.resubscribeDelayMs ?? { first: 100, max: 5_000 },
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

  /** Where a subscription "from the end" starts, so that a drop before its first event loses nothing. */
  private async headIncludingSystemEvents(): Promise<bigint | 'start'> {
    let head: bigint | 'start' = 'start';
    // Read to the end of the (one-event) reply: an abandoned gRPC read would block dispose().
    for await (const resolved of this.client.readAll({ direction: BACKWARDS, fromPosition: END, maxCount: 1 })) {
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
 * change, network) it resubscribes from the last position it delivered, with back-off, so the
 * consumer sees neither a gap nor a repeat.
 */
class EsdbSubscription implements Subscription {
  private readonly abort = new AbortController();
  private current?: AllStreamSubscription;
  private iterator?: AsyncGenerator<RecordedEvent>;
  private readonly start: Promise<bigint | 'start'>;

  constructor(
    private readonly client: EventStoreDBClient,
    private readonly options: SubscribeToAllOptions,
    private readonly head: () => Promise<bigint | 'start'>,
    private readonly delays: { readonly first: number; readonly max: number },
    private readonly onClose: () => void,
  ) {
    // 'end' is fixed now, as a position, so that a drop before the first event loses nothing.
    const from = options.fromPosition ?? 'start';
    this.start = from === 'end' ? head() : Promise.resolve(from);
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
    let last = await this.start;
    let delay = this.delays.first;
    try {
      while (!signal.aborted) {
        const subscription = this.client.subscribeToAll({
          fromPosition: last === 'start' ? START : toEsdbPosition(last),
          filter: toEsdbFilter(this.options.filter),
        });
        this.current = subscription;
        try {
          for await (const resolved of subscription) {
            if (signal.aborted) return;
            const event = toRecordedEvent(resolved);
            // After a resubscription the server starts after `last`; the check guards against
            // a server that includes it.
            if (!event || (last !== 'start' && event.position <= last)) continue;
            if (!matchesFilter(event, this.options.filter)) continue;
            delay = this.delays.first;
            yield event;
            last = event.position;
          }
        } catch (error) {
          if (signal.aborted) return;
          if (!isTransient(error)) throw mapError(error, '$all');
        }
        if (signal.aborted) return;
        await sleep(delay, signal);
        delay = Math.min(delay * 2, this.delays.max);
      }
    } finally {
      await this.close();
    }
  }
}

/** Errors a server restart, leader change or network blip produce: worth resubscribing after. */
const TRANSIENT = new Set(['unavailable', 'deadline-exceeded', 'timeout', 'not-leader', 'cancelled']);

function isTransient(error: unknown): boolean {
  return TRANSIENT.has((error as { type?: string })?.type ?? '');
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done);
  });
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
  const at: Position = { commit: position < 0n ? 0n : position, prepare: position < 0n ? 0n : position };
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

function mapError(error: unknown, stream: string): unknown {
  if (error instanceof WrongExpectedVersionError) {
    return new WrongExpectedRevisionError(
      error.streamName || stream,
      fromEsdbExpected(error.expectedVersion),
      fromEsdbCurrent(error.actualVersion),
    );
  }
  if (error instanceof EsdbStreamNotFoundError) return new StreamNotFoundError(stream);
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
