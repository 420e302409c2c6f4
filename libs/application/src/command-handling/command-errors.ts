import type { ProblemShape } from '@harbour/shared';

/**
 * Errors of the command pipeline that are not domain rules: concurrency and idempotency. Each
 * says how it is shown (`asProblem`).
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

  get asProblem(): ProblemShape {
    return revisionProblem('conflict', 'The case changed meanwhile', 409, this);
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

  get asProblem(): ProblemShape {
    return revisionProblem('precondition-failed', 'If-Match does not match', 412, this);
  }
}

/** The same idempotency key was sent with a different request (HTTP 422). */
export class IdempotencyKeyReusedError extends Error {
  constructor() {
    super('This Idempotency-Key was already used with a different request');
    this.name = 'IdempotencyKeyReusedError';
  }

  get asProblem(): ProblemShape {
    const rule = 'idempotency-key-reused';
    return {
      slug: `rules/${rule}`,
      title: 'Idempotency-Key reused',
      status: 422,
      detail: this.message,
      extensions: { rule },
    };
  }
}

/** A request with this idempotency key is still being processed (HTTP 409). */
export class IdempotencyKeyInFlightError extends Error {
  constructor() {
    super('A request with this Idempotency-Key is still being processed; retry shortly');
    this.name = 'IdempotencyKeyInFlightError';
  }

  get asProblem(): ProblemShape {
    return { slug: 'idempotency-key-in-flight', title: 'Request in progress', status: 409, detail: this.message };
  }
}

/** A refusal that tells the client the revision the case is at, so it can reload and retry. */
function revisionProblem(
  slug: string,
  title: string,
  status: number,
  error: Error & { readonly currentRevision: bigint | null },
): ProblemShape {
  const currentRevision = error.currentRevision === null ? null : String(error.currentRevision);
  return { slug, title, status, detail: error.message, extensions: { currentRevision } };
}
