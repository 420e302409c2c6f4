import {
  CASE_EVENT_TYPES,
  UndecodableEventError,
  caseStreamName,
  decodeEvent,
  type CaseEvent,
  type CaseEventType,
} from '@harbour/domain';
import type { JsonObject, JsonValue, RecordedEvent } from '@harbour/event-store';
import type { Row } from '@harbour/read-store';
import { UnreadableEventError } from './read-model.errors';

const CASE_EVENT_TYPE_SET: ReadonlySet<string> = new Set(CASE_EVENT_TYPES);

/**
 * The domain event inside a recorded case event, or undefined for any other event type, decoded
 * as the write path and the audit history decode it (`decodeEvent`: older versions upcast, a
 * version newer than this build refused). What is checked besides is what the read models rely
 * on: that the event sits in its case's own stream (the revision-based idempotency compares
 * revisions of that one stream).
 */
export function caseEventOf(event: RecordedEvent): CaseEvent | undefined {
  if (!CASE_EVENT_TYPE_SET.has(event.type)) return undefined;
  let decoded: CaseEvent;
  try {
    decoded = decodeEvent<CaseEvent>(event);
  } catch (error) {
    if (error instanceof UndecodableEventError) throw new UnreadableEventError(event.id, error.message);
    throw error;
  }
  const caseId = event.data.caseId;
  if (typeof caseId !== 'string' || event.stream !== caseStreamName(caseId)) {
    throw new UnreadableEventError(event.id, `${event.type} for case ${String(caseId)} is in stream ${event.stream}`);
  }
  return decoded;
}

/** The domain event inside `event` when it is one of `types` (those a model handles), else undefined. */
export function caseEventAmong<Type extends CaseEventType>(
  event: RecordedEvent,
  types: readonly Type[],
): Extract<CaseEvent, { type: Type }> | undefined {
  const caseEvent = caseEventOf(event);
  return caseEvent && (types as readonly string[]).includes(caseEvent.type)
    ? (caseEvent as Extract<CaseEvent, { type: Type }>)
    : undefined;
}

/**
 * True when the row already reflects this event: its `revision` (the stream revision that last
 * changed it) is at or past the event's. Re-applying an event, or a whole history, then changes
 * nothing, whatever the runner's checkpoint did after a crash.
 */
export function alreadyApplied(row: Row | null, event: RecordedEvent): boolean {
  if (row === null) return false;
  const revision = row.revision;
  // A store may hand an integer back as a number, or as a string when its column type is 64-bit.
  if (typeof revision !== 'number' && typeof revision !== 'string') return false;
  return BigInt(revision) >= event.revision;
}

/** The stream revision as a row value; revisions stay far below 2^53, so a number is exact. */
export function revisionValue(event: RecordedEvent): number {
  return Number(event.revision);
}

/**
 * An event time as a canonical UTC ISO-8601 string. Every `timestamp` column holds this one form,
 * so ordering and range filters on either dialect (text in SQLite) agree with time order and
 * cursors compare exactly.
 */
export function canonicalTime(value: string, event: RecordedEvent): string {
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new UnreadableEventError(event.id, `"${value}" is not a date-time`);
  return new Date(ms).toISOString();
}

/** A JSON object from metadata (e.g. `actor`, `workflow`) as a `json` column value, or null when absent. */
export function metadataObject(event: RecordedEvent, name: string): JsonObject | null {
  const value: JsonValue | undefined = event.metadata[name];
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? value : null;
}

/** Compile-time proof that a switch covered every case; throws if corrupt data gets there anyway. */
export function unreachable(value: never): never {
  throw new Error(`Unhandled case: ${JSON.stringify(value)}`);
}
