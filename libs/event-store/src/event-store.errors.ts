import type { ExpectedRevision } from './event-store.port';

/** Base of the port's typed errors, so callers can map them in one place. */
export abstract class EventStoreError extends Error {
  abstract readonly code: string;
}

/**
 * The stream was not at the revision the append expected. `actual` is the stream's current
 * revision, or `'no_stream'` when the stream has no events.
 */
export class WrongExpectedRevisionError extends EventStoreError {
  readonly code = 'wrong_expected_revision';
  constructor(
    readonly stream: string,
    readonly expected: ExpectedRevision,
    readonly actual: bigint | 'no_stream',
  ) {
    super(`Stream ${stream} is at revision ${String(actual)}, expected ${String(expected)}`);
    this.name = 'WrongExpectedRevisionError';
  }
}

export class StreamNotFoundError extends EventStoreError {
  readonly code = 'stream_not_found';
  constructor(readonly stream: string) {
    super(`Stream ${stream} not found`);
    this.name = 'StreamNotFoundError';
  }
}

/** An append or read was malformed (empty stream name, bad event id, data that is not JSON, ...). */
export class InvalidRequestError extends EventStoreError {
  readonly code = 'invalid_request';
  constructor(message: string) {
    super(message);
    this.name = 'InvalidRequestError';
  }
}

/** The store was used after `close()`. */
export class EventStoreClosedError extends EventStoreError {
  readonly code = 'event_store_closed';
  constructor() {
    super('The event store is closed');
    this.name = 'EventStoreClosedError';
  }
}

/**
 * The store's file is damaged (not a database, or failing SQLite's integrity check). Thrown when
 * it is opened, so a damaged store stops start-up instead of serving part of the history.
 */
export class CorruptStoreError extends EventStoreError {
  readonly code = 'corrupt_store';
  constructor(
    readonly filename: string,
    readonly problem: string,
  ) {
    super(
      `The event store file ${filename} is damaged (${problem}). Harbour will not serve part of the history: restore the file from a backup.`,
    );
    this.name = 'CorruptStoreError';
  }
}
