import { invalidField, type ProblemShape } from '@harbour/shared';

/**
 * Errors of the case read models. The first three are thrown by `evolve` and mean the history the
 * runner fed in cannot be projected (the runner parks the event with the message); the last three
 * are thrown by the query side and map to HTTP 400 (cursor, query) or 500 (a malformed stored row).
 */

/** An event that claims to be a case event but cannot be read as one (wrong stream, unknown schema version). */
export class UnreadableEventError extends Error {
  readonly code = 'unreadable-event';
  constructor(
    readonly eventId: string,
    detail: string,
  ) {
    super(`Event ${eventId}: ${detail}`);
    this.name = 'UnreadableEventError';
  }
}

/**
 * An event that needs a row which does not exist (e.g. a `PanelConvened` before any
 * `ReferralRaised`): the history reached the projection incomplete or out of order.
 */
export class RowNotFoundError extends Error {
  readonly code = 'row-not-found';
  constructor(
    readonly table: string,
    readonly key: string,
    readonly eventType: string,
  ) {
    super(
      `${eventType} needs the ${table} row ${key}, which does not exist: the history is incomplete or out of order`,
    );
    this.name = 'RowNotFoundError';
  }
}

/** An event that contradicts the row it changes (a decision for another meeting than the one listed). */
export class ContradictoryEventError extends Error {
  readonly code = 'contradictory-event';
  constructor(
    readonly table: string,
    readonly key: string,
    detail: string,
  ) {
    super(`${table} row ${key}: ${detail}`);
    this.name = 'ContradictoryEventError';
  }
}

/** A case-list cursor that this build did not issue for this sort order, or that was tampered with (HTTP 400). */
export class InvalidCursorError extends Error {
  readonly code = 'invalid-cursor';
  constructor(detail: string) {
    super(`Invalid cursor: ${detail}`);
    this.name = 'InvalidCursorError';
  }

  get asProblem(): ProblemShape {
    return invalidField('cursor', this.message);
  }
}

/** Query filters or limits out of range (HTTP 400): the API validates first, this is the lib's own guard. */
export class InvalidReadQueryError extends Error {
  readonly code = 'invalid-read-query';
  constructor(
    readonly field: string,
    detail: string,
  ) {
    super(`${field}: ${detail}`);
    this.name = 'InvalidReadQueryError';
  }

  get asProblem(): ProblemShape {
    return invalidField(this.field, this.message);
  }
}

/** A stored row that does not have the shape its table spec promises: a bug or a stale table (HTTP 500). */
export class MalformedRowError extends Error {
  readonly code = 'malformed-row';
  constructor(
    readonly table: string,
    readonly column: string,
    detail: string,
  ) {
    super(`${table}.${column}: ${detail}`);
    this.name = 'MalformedRowError';
  }
}
