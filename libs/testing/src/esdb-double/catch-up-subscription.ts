import { randomUUID } from 'node:crypto';
import { status, type ServerWritableStream } from '@grpc/grpc-js';
import { ReadReq, ReadResp } from '@eventstore/db-client/generated/streams_pb';
import type { EventFilter } from './event-filter';
import type { InMemoryLog, StoredEvent } from './in-memory-log';
import { encodeReadEvent } from './wire-codec';

/** The events a subscription walks through: `$all` or one stream, both append-only. */
export interface EventSource {
  length(): number;
  at(index: number): StoredEvent;
}

export interface CatchUpSubscriptionOptions {
  readonly call: ServerWritableStream<ReadReq, ReadResp>;
  readonly log: InMemoryLog;
  readonly source: EventSource;
  /** Index in `source` of the first event to examine. */
  readonly startIndex: number;
  /** Only `$all` subscriptions are filtered; a filter also turns on checkpoint messages. */
  readonly filter: EventFilter | undefined;
  readonly structuredUuids: boolean;
  readonly onClosed: (subscription: CatchUpSubscription) => void;
}

/**
 * One subscription call: confirmation, then history, then `caughtUp`, then live events, in one
 * ordered pass over the log. A single cursor serves both phases, so an event appended while
 * history is still being sent is delivered exactly once.
 */
export class CatchUpSubscription {
  private cursor: number;
  private examinedSinceCheckpoint = 0;
  private caughtUp = false;
  private waitingForDrain = false;
  private closed = false;
  private stopListening: () => void = () => undefined;

  constructor(private readonly options: CatchUpSubscriptionOptions) {
    this.cursor = options.startIndex;
  }

  start(): void {
    const { call, log } = this.options;
    call.on('cancelled', () => this.close());
    call.write(new ReadResp().setConfirmation(new ReadResp.SubscriptionConfirmation().setSubscriptionId(randomUUID())));
    this.stopListening = log.onAppended(() => this.pump());
    this.pump();
  }

  /** Ends the call with `UNAVAILABLE`, which is how a server restart or dropped connection looks to the client. */
  drop(): void {
    if (this.closed) return;
    this.close();
    this.options.call.emit('error', {
      code: status.UNAVAILABLE,
      details: 'Subscription dropped by dropSubscriptions (injected fault)',
    });
  }

  /** Stops pushing events without touching the call (it is gone or being torn down). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.stopListening();
    this.options.onClosed(this);
  }

  private pump(): void {
    if (this.closed || this.waitingForDrain) return;
    const { call, source, filter, structuredUuids } = this.options;
    while (this.cursor < source.length()) {
      const event = source.at(this.cursor);
      this.cursor += 1;
      let writable = true;
      if (filter === undefined || filter.matches(event)) {
        writable = call.write(encodeReadEvent(event, structuredUuids));
      }
      if (filter !== undefined) {
        this.examinedSinceCheckpoint += 1;
        if (this.examinedSinceCheckpoint >= filter.checkpointInterval) {
          this.examinedSinceCheckpoint = 0;
          writable = call.write(checkpointAt(event)) && writable;
        }
      }
      if (!writable) {
        this.awaitDrain();
        return;
      }
    }
    if (!this.caughtUp) {
      this.caughtUp = true;
      if (!call.write(new ReadResp().setCaughtUp(new ReadResp.CaughtUp()))) this.awaitDrain();
    }
  }

  private awaitDrain(): void {
    this.waitingForDrain = true;
    this.options.call.once('drain', () => {
      this.waitingForDrain = false;
      this.pump();
    });
  }
}

// The checkpoint names the last examined event, so resuming from it (exclusive, like every
// subscription start position) neither skips nor repeats anything.
function checkpointAt(event: StoredEvent): ReadResp {
  const position = event.position.toString(10);
  return new ReadResp().setCheckpoint(
    new ReadResp.Checkpoint().setCommitPosition(position).setPreparePosition(position),
  );
}
