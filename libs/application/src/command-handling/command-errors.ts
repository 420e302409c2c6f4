/**
 * Errors of the command pipeline that are not domain rules: concurrency and idempotency. The API's
 * single exception filter maps each by class.
 */

/** The stream moved on between loading and appending (HTTP 409). */
export class ConcurrencyConflictError extends Error {
  constructor(
    readonly stream: string,
    readonly currentRevision: bigint | null,
  ) {
    super(`The case changed while the command ran; it is now at revision ${String(currentRevision)}`);
    this.name = 'ConcurrencyConflictError';
  }
}

/** `If-Match` named a revision the stream is not at (HTTP 412). */
export class PreconditionFailedError extends Error {
  constructor(
    readonly stream: string,
    readonly expectedRevision: bigint,
    readonly currentRevision: bigint | null,
  ) {
    super(
      `If-Match expected revision ${expectedRevision}, but the case is at ${
        currentRevision === null ? 'no revision (it does not exist)' : `revision ${currentRevision}`
      }`,
    );
    this.name = 'PreconditionFailedError';
  }
}

/** The same idempotency key was sent with a different request (HTTP 422). */
export class IdempotencyKeyReusedError extends Error {
  constructor() {
    super('This Idempotency-Key was already used with a different request');
    this.name = 'IdempotencyKeyReusedError';
  }
}

/** A request with this idempotency key is still being processed (HTTP 409). */
export class IdempotencyKeyInFlightError extends Error {
  constructor() {
    super('A request with this Idempotency-Key is still being processed; retry shortly');
    this.name = 'IdempotencyKeyInFlightError';
  }
}
