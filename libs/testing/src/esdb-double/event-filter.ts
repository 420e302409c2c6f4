import type { ReadReq } from '@eventstore/db-client/generated/streams_pb';
import type { StoredEvent } from './in-memory-log';

/** A server-side `$all` filter, as EventStoreDB applies it to reads and subscriptions. */
export interface EventFilter {
  matches(event: StoredEvent): boolean;
  /** Events examined (matching or not) between two checkpoint messages of a subscription. */
  readonly checkpointInterval: number;
}

// EventStoreDB's search window when the client sends `count` instead of `max`; the checkpoint
// interval is the client's multiplier times this window.
const DEFAULT_MAX_SEARCH_WINDOW = 32;

/**
 * Builds the filter from the wire options. Like EventStoreDB, a non-empty prefix list wins over
 * the regex, prefixes match with "starts with", and the regex is unanchored (a search, not a
 * full match), so `^[^$].*` is how the client's `excludeSystemEvents()` anchors itself.
 */
export function createEventFilter(options: ReadReq.Options.FilterOptions): EventFilter {
  const onStream = options.hasStreamIdentifier();
  const expression = onStream ? options.getStreamIdentifier() : options.getEventType();
  if (expression === undefined) {
    throw new FilterError('filter has neither a stream identifier nor an event type expression');
  }

  const prefixes = expression.getPrefixList();
  let test: (value: string) => boolean;
  if (prefixes.length > 0) {
    test = (value) => prefixes.some((prefix) => value.startsWith(prefix));
  } else {
    let regex: RegExp;
    try {
      regex = new RegExp(expression.getRegex());
    } catch (error) {
      throw new FilterError(`invalid filter regex: ${(error as Error).message}`);
    }
    test = (value) => regex.test(value);
  }

  const window = options.hasMax() ? options.getMax() : DEFAULT_MAX_SEARCH_WINDOW;
  const multiplier = options.getCheckpointintervalmultiplier();
  return {
    matches: (event) => test(onStream ? event.streamName : event.type),
    checkpointInterval: Math.max(1, window * Math.max(1, multiplier)),
  };
}

/** The filter options sent by the client cannot be applied. */
export class FilterError extends Error {
  override readonly name = 'FilterError';
}
