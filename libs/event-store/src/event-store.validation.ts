import { AppendTooLargeError, InvalidPositionError, InvalidRequestError } from './event-store.errors';
import type { EventData, EventFilter, ExpectedRevision } from './event-store.port';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_STREAM_NAME = 200;
const MAX_TYPE_NAME = 200;

/** An event ready to store: data and metadata already serialised, so both adapters store the same bytes. */
export interface SerialisedEvent {
  readonly id: string;
  readonly type: string;
  readonly data: string;
  readonly metadata: string;
}

/**
 * Checks an append at the port's edge, the same way for every adapter, and serialises it.
 * @throws InvalidRequestError naming what is wrong.
 */
export function prepareAppend(
  stream: string,
  events: readonly EventData[],
  expectedRevision: ExpectedRevision,
  maxAppendBytes: number,
): SerialisedEvent[] {
  if (typeof stream !== 'string' || stream.length === 0 || stream.length > MAX_STREAM_NAME) {
    throw new InvalidRequestError(`Stream name must be 1 to ${MAX_STREAM_NAME} characters`);
  }
  if (stream.startsWith('$')) {
    throw new InvalidRequestError(`Stream names starting with '$' are reserved: ${stream}`);
  }
  if (
    !(typeof expectedRevision === 'bigint' && expectedRevision >= 0n) &&
    expectedRevision !== 'no_stream' &&
    expectedRevision !== 'stream_exists' &&
    expectedRevision !== 'any'
  ) {
    throw new InvalidRequestError(`Invalid expected revision: ${String(expectedRevision)}`);
  }
  if (!Array.isArray(events) || events.length === 0) {
    throw new InvalidRequestError('An append needs at least one event');
  }
  const ids = new Set<string>();
  const serialised = events.map((event, index) => {
    if (typeof event?.id !== 'string' || !UUID.test(event.id)) {
      throw new InvalidRequestError(`Event ${index}: id must be a UUID`);
    }
    const id = event.id.toLowerCase();
    if (ids.has(id)) throw new InvalidRequestError(`Event ${index}: id ${id} appears twice in one append`);
    ids.add(id);
    if (typeof event.type !== 'string' || event.type.length === 0 || event.type.length > MAX_TYPE_NAME) {
      throw new InvalidRequestError(`Event ${index}: type must be 1 to ${MAX_TYPE_NAME} characters`);
    }
    if (event.type.startsWith('$')) {
      throw new InvalidRequestError(`Event ${index}: types starting with '$' are reserved`);
    }
    return {
      id,
      type: event.type,
      data: serialiseObject(event.data, `Event ${index}: data`),
      metadata: serialiseObject(event.metadata ?? {}, `Event ${index}: metadata`),
    };
  });
  const bytes = serialisedSize(serialised);
  if (bytes > maxAppendBytes) throw new AppendTooLargeError(stream, bytes, maxAppendBytes);
  return serialised;
}

/**
 * The size of an append as the port's limit counts it: the UTF-8 bytes of each event's data and
 * metadata, plus two bytes per character of its type (what EventStoreDB's `SizeOnDisk` adds up).
 */
export function appendSize(events: readonly EventData[]): number {
  return serialisedSize(
    events.map((event) => ({
      type: event.type,
      data: JSON.stringify(event.data),
      metadata: JSON.stringify(event.metadata ?? {}),
    })),
  );
}

function serialisedSize(events: readonly Pick<SerialisedEvent, 'type' | 'data' | 'metadata'>[]): number {
  let bytes = 0;
  for (const event of events) {
    bytes += Buffer.byteLength(event.data, 'utf8') + Buffer.byteLength(event.metadata, 'utf8') + 2 * event.type.length;
  }
  return bytes;
}

/** A position handed in from outside: a non-negative bigint, or -1n (nothing yet), else refused. */
export function checkPosition(position: bigint | 'start' | 'end' | undefined): void {
  if (typeof position === 'bigint' && position < -1n) throw new InvalidPositionError(position);
}

function serialiseObject(value: unknown, what: string): string {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidRequestError(`${what} must be a JSON object`);
  }
  try {
    return JSON.stringify(value);
  } catch (error) {
    throw new InvalidRequestError(`${what} is not serialisable as JSON: ${(error as Error).message}`);
  }
}

/** True when a recorded event passes the filter (used where the backend cannot filter itself). */
export function matchesFilter(event: { stream: string; type: string }, filter: EventFilter | undefined): boolean {
  if (!filter) return true;
  if ('streamPrefixes' in filter) return filter.streamPrefixes.some((prefix) => event.stream.startsWith(prefix));
  return filter.eventTypes.includes(event.type);
}

/** Rejects filters that would silently match nothing because they are malformed. */
export function checkFilter(filter: EventFilter | undefined): void {
  if (!filter) return;
  const values = 'streamPrefixes' in filter ? filter.streamPrefixes : filter.eventTypes;
  if (!Array.isArray(values) || values.length === 0 || values.some((v) => typeof v !== 'string' || v === '')) {
    throw new InvalidRequestError('A filter needs at least one non-empty stream prefix or event type');
  }
}
