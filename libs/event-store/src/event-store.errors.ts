import { RETRY_SHORTLY, type ProblemShape } from '@harbour/shared';
import type { ExpectedRevision } from './event-store.port';

/** What a client is told when the store cannot be used: nothing was recorded. */
const STORE_UNAVAILABLE: ProblemShape = {
  slug: 'event-store-unavailable',
  title: 'The event store is unavailable',
  status: 503,
  detail: 'Nothing was recorded; retry shortly.',
};

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

/**
 * A position handed in from outside (a projection's checkpoint, a `--position` typed by hand) is
 * not the position of an event in this store. Positions are not portable: a checkpoint kept
 * against one store (or an older copy of it) means nothing in another. What to do: rebuild the
 * projection from the start (`harbour projections rebuild <name>`), or give a position this
 * store returned.
 */
export class InvalidPositionError extends EventStoreError {
  readonly code = 'invalid_position';
  constructor(readonly position: bigint) {
    super(
      `Position ${position} is not the position of an event in this store (positions are not portable between stores)`,
    );
    this.name = 'InvalidPositionError';
  }
}

/**
 * An append is larger than the store accepts in one go (`EventStore.maxAppendBytes`, measured by
 * `appendSize`). Nothing was written. What to do: a writer that batches (the access log) splits
 * its batch; a single command whose events are this large is refused (HTTP 413).
 */
export class AppendTooLargeError extends EventStoreError {
  readonly code = 'append_too_large';
  constructor(
    readonly stream: string,
    readonly bytes: number,
    readonly maxBytes: number,
  ) {
    super(`An append of ${bytes} bytes to ${stream} is over the store's limit of ${maxBytes} bytes`);
    this.name = 'AppendTooLargeError';
  }

  get asProblem(): ProblemShape {
    return {
      slug: 'payload-too-large',
      title: 'Request body too large',
      status: 413,
      detail: `What the command would record is over the event store's limit of ${this.maxBytes} bytes`,
    };
  }
}

/**
 * The stream was deleted for good (an EventStoreDB tombstone): it can be neither read nor written
 * again. Harbour never deletes a stream, so someone did it outside Harbour. What to do: nothing a
 * retry can fix; restore the stream from a backup and find out who deleted it.
 */
export class StreamDeletedError extends EventStoreError {
  readonly code = 'stream_deleted';
  constructor(readonly stream: string) {
    super(`Stream ${stream} has been deleted from the event store`);
    this.name = 'StreamDeletedError';
  }

  get asProblem(): ProblemShape {
    return {
      slug: 'gone',
      title: 'Gone',
      status: 410,
      detail: 'The record was deleted from the event store outside Harbour',
    };
  }
}

/**
 * The event store refused the credentials Harbour connects with, or they may not do this (reading
 * `$all` takes a user the `$all` ACL lets read). A configuration fault: a retry cannot fix it.
 * What to do: fix the user or its ACL (README, "Secure clusters").
 */
export class EventStoreAccessDeniedError extends EventStoreError {
  readonly code = 'event_store_access_denied';
  constructor(readonly operation: string) {
    super(`The event store denied ${operation} to the user Harbour connects as`);
    this.name = 'EventStoreAccessDeniedError';
  }

  /** The server's configuration, not the caller's: said in the log, not to the client. */
  get asProblem(): ProblemShape {
    return STORE_UNAVAILABLE;
  }
}

/**
 * The event store could not be reached, or had no leader, for as long as the adapter kept
 * retrying. Nothing was written. What to do: retry later (HTTP 503 with Retry-After).
 */
export class EventStoreUnavailableError extends EventStoreError {
  readonly code = 'event_store_unavailable';
  constructor(
    readonly operation: string,
    cause?: unknown,
  ) {
    super(`The event store is unavailable (${operation}): ${(cause as Error)?.message ?? 'no answer'}`);
    this.name = 'EventStoreUnavailableError';
  }

  get asProblem(): ProblemShape {
    return { ...STORE_UNAVAILABLE, headers: RETRY_SHORTLY };
  }
}

/**
 * An append was sent but no answer came back in time (a deadline passed, the connection or the
 * leader was lost): it may or may not have been written, and may still commit. What to do: retry
 * the same append (the same event ids, the same expected revision). The store recognises a retry
 * and returns the first result if it was written, or writes it now: never twice. Harbour's
 * command pipeline derives event ids from the command id, so a client retrying its command with
 * the same Idempotency-Key is safe (the API answers 503 with Retry-After).
 */
export class AppendOutcomeUnknownError extends EventStoreError {
  readonly code = 'append_outcome_unknown';
  constructor(
    readonly stream: string,
    cause?: unknown,
  ) {
    super(
      `It is not known whether the append to ${stream} was written (${(cause as Error)?.message ?? 'no answer'}); retry it with the same event ids`,
    );
    this.name = 'AppendOutcomeUnknownError';
  }

  get asProblem(): ProblemShape {
    return {
      slug: 'event-store-unavailable',
      title: 'The event store did not answer in time',
      status: 503,
      detail:
        'It is not known whether the command was recorded: send it again with the same Idempotency-Key, which records it at most once.',
      headers: RETRY_SHORTLY,
    };
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
