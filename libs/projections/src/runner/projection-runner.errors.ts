import type { RecordedEvent } from '@harbour/event-store';

/**
 * A projection with the `stop` policy met an event it cannot apply. Everything before the event
 * is committed; the runner stops there. The message names the event, not the cause's message
 * (which may quote personal data); the cause is attached.
 */
export class ProjectionFailedError extends Error {
  readonly position: bigint;
  readonly eventId: string;
  readonly eventType: string;

  constructor(
    readonly projection: string,
    event: RecordedEvent,
    cause: unknown,
  ) {
    super(
      `Projection ${projection} stopped at event ${event.id} (${event.type}, position ${event.position}): ${errorName(cause)}`,
      { cause },
    );
    this.name = 'ProjectionFailedError';
    this.position = event.position;
    this.eventId = event.id;
    this.eventType = event.type;
  }
}

/** The stored tables were built by another version of the projection than the code running. */
export class ProjectionVersionError extends Error {
  constructor(
    readonly projection: string,
    readonly storedVersion: number,
    readonly codeVersion: number,
    detail: string,
  ) {
    super(
      `Projection ${projection} is stored at version ${storedVersion}, the code is version ${codeVersion}: ${detail}`,
    );
    this.name = 'ProjectionVersionError';
  }
}

// Duck-typed rather than `instanceof Error`: errors made by a native module (or in another
// realm) have another realm's Error in their prototype chain.
function isErrorLike(error: unknown): error is { name: unknown; message: unknown } {
  return typeof error === 'object' && error !== null && 'name' in error && 'message' in error;
}

/** `Name: message` of anything thrown, for the parked-events table. */
export function describeError(error: unknown): string {
  if (isErrorLike(error)) return `${String(error.name)}: ${String(error.message)}`;
  return `Thrown: ${String(error)}`;
}

/** The error's class name only: what logs may carry. */
export function errorName(error: unknown): string {
  return isErrorLike(error) ? String(error.name) : typeof error;
}
