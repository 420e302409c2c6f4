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
    const client = this.client;
    const assertOpen = () => this.assertOpen();
    return {
      async *[Symbol.asyncIterator]() {
        assertOpen();
        const from = options.fromRevision;
        const backwards = options.direction === 'backwards';
        if (options.maxCount === 0) return;
        try {
          const read = client.readStream(stream, {
            direction: backwards ? BACKWARDS : FORWARDS,
            fromRevision:
              from === undefined ? (backwards ? END : START) : from === 'start' ? START : from === 'end' ? END : from,
            maxCount: options.maxCount,
          });
          for await (const resolved of read) {
            const event = toRecordedEvent(resolved);
            if (event) yield event;
          }
        } catch (error) {
          throw mapError(error, stream);
        }
      },
    };
  }

  readAll(options: ReadAllOptions = {}): AsyncIterable<RecordedEvent> {
    checkFilter(options.filter);
    const client = this.client;
    const assertOpen = () => this.assertOpen();
    return {
      async *[Symbol.asyncIterator]() {
        assertOpen();
        const backwards = options.direction === 'backwards';
        const from = options.fromPosition;
        if ((from === 'end' && !backwards) || (from === 'start' && backwards) || options.maxCount === 0) return;
        // The 6.x client cannot filter a read of $all on the server, so filter here and count
        // only what is kept.
        let remaining = options.maxCount ?? Number.POSITIVE_INFINITY;
        const read = client.readAll({
          direction: backwards ? BACKWARDS : FORWARDS,
          fromPosition: typeof from === 'bigint' ? toEsdbPosition(from) : backwards ? END : START,
        });
        try {
          for await (const resolved of read) {
            const event = toRecordedEvent(resolved);
            if (!event || !matchesFilter(event, options.filter)) continue;
            yield event;
            if (--remaining <= 0) return;
          }
        } catch (error) {
          throw mapError(error, '$all');
        } finally {
          read.cancel?.();
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
    for await (const resolved of this.client.readAll({ direction: BACKWARDS, fromPosition: END, maxCount: 1 })) {
      if (resolved.event?.position) return resolved.event.position.commit;
    }
    return 'start';
  }

  /** Servers that do not return a position on append: read it back by revision. */
  private async positionOf(stream: string, revision: bigint): Promise<bigint> {
    for await (const resolved of this.client.readStream(stream, { fromRevision: revision, maxCount: 1 })) {
      return resolved.event?.position?.commit ?? -1n;
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

  constructor(
    private readonly client: EventStoreDBClient,
    private readonly options: SubscribeToAllOptions,
    private readonly head: () => Promise<bigint | 'start'>,
    private readonly delays: { readonly first: number; readonly max: number },
    private readonly onClose: () => void,
  ) {}

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

  private async *iterate(): AsyncGenerator<RecordedEvent> {
    const { signal } = this.abort;
    const from = this.options.fromPosition ?? 'start';
    let last: bigint | 'start' = from === 'end' ? await this.head() : from;
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

function isTransient(error: unknown): boolean {
  const type = (error as { type?: string })?.type;
  return (
    type === 'unavailable' ||
    type === 'deadline-exceeded' ||
    type === 'not-leader' ||
    type === 'cancelled' ||
    type === 'unknown'
  );
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
