/**
 * The only file that names the EventStoreDB client package: everything the adapter needs from it
 * comes through here. Moving to its successor, `@kurrent/kurrentdb-client` (the same gRPC
 * protocol and the same API under new names), is a change of this file alone: import from the
 * new package and alias `KurrentDBClient` as `DatabaseClient` (see README, "The event store").
 */
export {
  ANY,
  BACKWARDS,
  END,
  EventStoreDBClient as DatabaseClient,
  FORWARDS,
  NO_STREAM,
  START,
  STREAM_EXISTS,
  AccessDeniedError as ClientAccessDeniedError,
  MaxAppendSizeExceededError as ClientMaxAppendSizeExceededError,
  StreamDeletedError as ClientStreamDeletedError,
  StreamNotFoundError as ClientStreamNotFoundError,
  WrongExpectedVersionError as ClientWrongExpectedVersionError,
  eventTypeFilter,
  excludeSystemEvents,
  jsonEvent,
  streamNameFilter,
  type AllStreamResolvedEvent,
  type AllStreamSubscription,
  type AppendExpectedRevision,
  type CurrentRevision,
  type Filter,
  type JSONRecordedEvent,
  type Position,
  type ReadPosition,
  type ResolvedEvent,
} from '@eventstore/db-client';
