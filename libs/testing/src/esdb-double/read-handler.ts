/**
 * The `Read` RPC, which the client uses for four operations: `readStream`, `readAll` (options
 * with a count) and `subscribeToStream`, `subscribeToAll` (options with subscription).
 */
import { status, type handleServerStreamingCall, type ServerWritableStream } from '@grpc/grpc-js';
import { ReadReq, ReadResp } from '@eventstore/db-client/generated/streams_pb';
import { CatchUpSubscription, type EventSource } from './catch-up-subscription';
import { FilterError, createEventFilter, type EventFilter } from './event-filter';
import type { LogView, StoredEvent } from './in-memory-log';
import { streamDeletedStatus } from './append-handlers';
import type { NodeContext } from './node-context';
import { BadRequestError, decodeStreamName, encodeReadEvent, encodeStreamName } from './wire-codec';

/** What the read handler needs from the node. */
export interface ReadContext extends NodeContext {
  /** Open subscriptions, so faults can be injected into them and `stop` can detach them. */
  readonly subscriptions: Set<CatchUpSubscription>;
}

type ReadCall = ServerWritableStream<ReadReq, ReadResp>;

const { ReadDirection } = ReadReq.Options;

/** Serves `Streams/Read`: plain reads end the call, subscriptions stay open until cancelled or dropped. */
export function createReadHandler(context: ReadContext): handleServerStreamingCall<ReadReq, ReadResp> {
  return (call) => {
    try {
      const options = call.request.getOptions();
      if (options === undefined) throw new BadRequestError('read request carries no options');
      const structuredUuids = options.getUuidOption()?.hasStructured() ?? false;
      const filterOptions = options.getFilter();
      const filter = filterOptions === undefined ? undefined : createEventFilter(filterOptions);
      const streamOptions = options.getStream();
      const stream = streamOptions ? decodeStreamName(streamOptions.getStreamIdentifier()) : '$all';
      const refused = context.admit(call.metadata, { kind: options.hasSubscription() ? 'subscribe' : 'read', stream });
      if (refused !== undefined) {
        call.emit('error', refused);
        return;
      }
      if (options.hasSubscription()) subscribe(context, call, options, filter, structuredUuids);
      else read(context.view, call, options, filter, structuredUuids);
    } catch (error) {
      const badRequest = error instanceof BadRequestError || error instanceof FilterError;
      call.emit('error', {
        code: badRequest ? status.INVALID_ARGUMENT : status.INTERNAL,
        details: error instanceof Error ? error.message : String(error),
      });
    }
  };
}

function read(
  log: LogView,
  call: ReadCall,
  options: ReadReq.Options,
  filter: EventFilter | undefined,
  structuredUuids: boolean,
): void {
  const forwards = options.getReadDirection() === ReadDirection.FORWARDS;
  const count = clampCount(options.getCount());
  const streamOptions = options.getStream();
  const allOptions = options.getAll();

  let selected: Iterable<StoredEvent>;
  if (streamOptions !== undefined) {
    const streamName = decodeStreamName(streamOptions.getStreamIdentifier());
    const events = log.readStream(streamName, Date.now());
    if (events === 'deleted') {
      call.emit('error', streamDeletedStatus(streamName));
      return;
    }
    if (events === 'not-found') {
      // Not a gRPC error: EventStoreDB reports a missing stream as a message and completes the call.
      call.write(
        new ReadResp().setStreamNotFound(
          new ReadResp.StreamNotFound().setStreamIdentifier(encodeStreamName(streamName)),
        ),
      );
      call.end();
      return;
    }
    selected = readStreamEvents(events, streamOptions, forwards);
  } else if (allOptions !== undefined) {
    checkBoundary(log, allOptions);
    selected = matching(readAllEvents(log, allOptions, forwards), filter);
  } else {
    throw new BadRequestError('read request names neither a stream nor $all');
  }

  void writeThenEnd(call, take(selected, count), structuredUuids);
}

// Stream reads are by revision and inclusive in both directions; a backwards read from past the
// end starts at the last event. The events are those the stream's metadata leaves readable, so
// revisions need not start at 0 nor match array indexes.
function* readStreamEvents(
  events: readonly StoredEvent[],
  options: ReadReq.Options.StreamOptions,
  forwards: boolean,
): Iterable<StoredEvent> {
  const revision = options.hasStart() || options.hasEnd() ? undefined : BigInt(options.getRevision() || '0');
  if (forwards) {
    if (options.hasEnd()) return;
    for (const event of events) if (revision === undefined || event.revision >= revision) yield event;
  } else {
    if (options.hasStart()) {
      if (events[0]?.revision === 0n) yield events[0];
      return;
    }
    for (let index = events.length - 1; index >= 0; index--) {
      const event = events[index] as StoredEvent;
      if (revision === undefined || event.revision <= revision) yield event;
    }
  }
}

// Like EventStoreDB, a forwards read includes the event at the given position and a backwards
// read returns only events before it.
function* readAllEvents(log: LogView, options: ReadReq.Options.AllOptions, forwards: boolean): Iterable<StoredEvent> {
  const end = log.length;
  const position = options.getPosition();
  if (forwards) {
    const start = options.hasStart()
      ? 0
      : position !== undefined
        ? log.indexFromPosition(BigInt(position.getCommitPosition()), false)
        : end;
    for (let index = start; index < end; index++) yield log.eventAt(index);
  } else {
    const start = options.hasEnd()
      ? end - 1
      : position !== undefined
        ? log.indexFromPosition(BigInt(position.getCommitPosition()), false) - 1
        : -1;
    for (let index = start; index >= 0; index--) yield log.eventAt(index);
  }
}

function subscribe(
  context: ReadContext,
  call: ReadCall,
  options: ReadReq.Options,
  filter: EventFilter | undefined,
  structuredUuids: boolean,
): void {
  const log = context.view;
  const streamOptions = options.getStream();
  const allOptions = options.getAll();
  let source: EventSource;
  let startIndex: number;

  if (streamOptions !== undefined) {
    const streamName = decodeStreamName(streamOptions.getStreamIdentifier());
    source = {
      length: () => log.streamEvents(streamName).length,
      at: (index) => log.streamEvents(streamName)[index] as StoredEvent,
    };
    const current = source.length();
    // A subscription's start revision is exclusive: it delivers what comes after it.
    startIndex = streamOptions.hasStart()
      ? 0
      : streamOptions.hasEnd()
        ? current
        : Number(clampRevision(streamOptions.getRevision(), Number.MAX_SAFE_INTEGER - 1)) + 1;
  } else if (allOptions !== undefined) {
    checkBoundary(log, allOptions);
    source = { length: () => log.length, at: (index) => log.eventAt(index) };
    const position = allOptions.getPosition();
    // A subscription's start position is exclusive, unlike a read's.
    startIndex = allOptions.hasStart()
      ? 0
      : position !== undefined
        ? log.indexFromPosition(BigInt(position.getCommitPosition()), true)
        : log.length;
  } else {
    throw new BadRequestError('subscription names neither a stream nor $all');
  }

  const subscription = new CatchUpSubscription({
    call,
    log: context.log,
    source,
    startIndex,
    filter: allOptions !== undefined ? filter : undefined,
    structuredUuids,
    onClosed: (closed) => context.subscriptions.delete(closed),
  });
  context.subscriptions.add(subscription);
  subscription.start();
}

/** A read or subscription of `$all` from a position inside a record is refused, as by a real server. */
function checkBoundary(log: LogView, options: ReadReq.Options.AllOptions): void {
  const position = options.getPosition();
  if (position === undefined || options.hasStart() || options.hasEnd()) return;
  if (!log.isBoundary(BigInt(position.getCommitPosition()), BigInt(position.getPreparePosition()))) {
    throw new BadRequestError('Trying to read from an invalid position.');
  }
}

function* matching(events: Iterable<StoredEvent>, filter: EventFilter | undefined): Iterable<StoredEvent> {
  for (const event of events) if (filter === undefined || filter.matches(event)) yield event;
}

function* take(events: Iterable<StoredEvent>, count: number): Iterable<StoredEvent> {
  if (count <= 0) return;
  let taken = 0;
  for (const event of events) {
    yield event;
    taken += 1;
    if (taken >= count) return;
  }
}

async function writeThenEnd(call: ReadCall, events: Iterable<StoredEvent>, structuredUuids: boolean): Promise<void> {
  for (const event of events) {
    if (call.cancelled) return;
    if (!call.write(encodeReadEvent(event, structuredUuids))) {
      const cancelled = await drainedOrCancelled(call);
      if (cancelled) return;
    }
  }
  call.end();
}

function drainedOrCancelled(call: ReadCall): Promise<boolean> {
  return new Promise((resolve) => {
    const onDrain = (): void => {
      call.off('cancelled', onCancelled);
      resolve(false);
    };
    const onCancelled = (): void => {
      call.off('drain', onDrain);
      resolve(true);
    };
    call.once('drain', onDrain);
    call.once('cancelled', onCancelled);
  });
}

// Counts and revisions are uint64 on the wire; anything beyond what an array can index is "all".
function clampCount(count: string): number {
  const value = BigInt(count || '0');
  return value > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(value);
}

function clampRevision(revision: string, max: number): bigint {
  const value = BigInt(revision || '0');
  return value > BigInt(max) ? BigInt(max) : value;
}
