/**
 * The two append RPCs of `event_store.client.streams.Streams`. The client picks `BatchAppend`
 * only when `ServerFeatures/GetSupportedMethods` lists it; otherwise it uses `Append`.
 */
import { Metadata, status, type handleBidiStreamingCall, type handleClientStreamingCall } from '@grpc/grpc-js';
import { Any } from 'google-protobuf/google/protobuf/any_pb';
import { Empty as ProtobufEmpty } from 'google-protobuf/google/protobuf/empty_pb';
import { AppendReq, AppendResp, BatchAppendReq, BatchAppendResp } from '@eventstore/db-client/generated/streams_pb';
import {
  AllStreamPosition,
  BadRequest,
  Empty,
  MaximumAppendSizeExceeded,
  StreamDeleted,
  Timeout,
  UUID,
  WrongExpectedVersion,
} from '@eventstore/db-client/generated/shared_pb';
import { Status } from '@eventstore/db-client/generated/status_pb';
import { Code } from '@eventstore/db-client/generated/code_pb';
import type { AppendOutcome, ExpectedRevision, ProposedEvent } from './in-memory-log';
import type { ErrorStatus, NodeContext } from './node-context';
import {
  BadRequestError,
  MissingMetadataError,
  decodeExpectedRevision,
  decodeProposedMessage,
  decodeStreamName,
  decodeUuid,
  encodeStreamName,
} from './wire-codec';

/** Client-streaming `Append`: one options message, then one message per proposed event. */
export function createAppendHandler(context: NodeContext): handleClientStreamingCall<AppendReq, AppendResp> {
  return (call, callback) => {
    let header: { streamName: string; expected: ExpectedRevision } | undefined;
    const proposed: ProposedEvent[] = [];
    let rejection: ErrorStatus | undefined;

    call.on('data', (request: AppendReq) => {
      if (rejection !== undefined) return;
      try {
        const options = request.getOptions();
        const message = request.getProposedMessage();
        if (options !== undefined) {
          if (header !== undefined) throw new BadRequestError('append options sent twice');
          header = {
            streamName: decodeStreamName(options.getStreamIdentifier()),
            expected: decodeExpectedRevision({
              revision: options.hasRevision() ? options.getRevision() : undefined,
              noStream: options.hasNoStream(),
              streamExists: options.hasStreamExists(),
              any: options.hasAny(),
            }),
          };
        } else if (message !== undefined) {
          if (header === undefined) throw new BadRequestError('proposed message sent before append options');
          proposed.push(decodeProposedMessage(message));
        } else {
          throw new BadRequestError('append request carries neither options nor a proposed message');
        }
      } catch (error) {
        rejection = toErrorStatus(error);
      }
    });

    // The outcome is decided only once the client half-closes, so a call the client cancels
    // midway never writes anything, as with a real server.
    call.on('end', () => {
      if (call.cancelled) return;
      if (rejection !== undefined) return callback(rejection);
      if (header === undefined) return callback(toErrorStatus(new BadRequestError('append without options')));
      const refused = context.admit(call.metadata, { kind: 'write', stream: header.streamName });
      if (refused !== undefined) return callback(refused);
      if (context.takeInjectedFailure()) {
        return callback({ code: status.UNAVAILABLE, details: 'Append dropped by failNextAppends (injected fault)' });
      }
      if (appendSize(proposed) > context.maxAppendSize) return callback(maxAppendSizeStatus(context.maxAppendSize));
      const outcome = context.log.append(header.streamName, header.expected, proposed);
      if (context.takeInjectedHang()) return; // written, never answered: the client's deadline decides
      if (outcome.kind === 'stream_deleted') return callback(streamDeletedStatus(header.streamName));
      callback(null, encodeAppendResp(outcome));
    });
  };
}

interface PendingBatch {
  readonly correlationId: UUID;
  readonly streamName: string;
  readonly expected: ExpectedRevision;
  readonly proposed: ProposedEvent[];
}

/**
 * Bidirectional `BatchAppend`: each append is a run of requests sharing a correlation id (options
 * on the first, `is_final` on the last) and gets one response carrying that id. The client keeps a
 * single such call open for all its appends.
 */
export function createBatchAppendHandler(
  context: NodeContext,
): handleBidiStreamingCall<BatchAppendReq, BatchAppendResp> {
  return (call) => {
    const pending = new Map<string, PendingBatch>();
    const failed = new Set<string>();
    let dropped = false;

    call.on('data', (request: BatchAppendReq) => {
      if (dropped) return;
      const correlationId = request.getCorrelationId();
      let key: string;
      try {
        if (correlationId === undefined) throw new BadRequestError('batch append request has no correlation id');
        key = decodeUuid(correlationId);
      } catch (error) {
        // Without a correlation id no single append can be answered, so the whole call fails.
        dropped = true;
        call.emit('error', toErrorStatus(error));
        return;
      }
      if (failed.has(key)) return;

      let batch = pending.get(key);
      let streamName = batch?.streamName ?? '';
      try {
        if (batch === undefined) {
          const options = request.getOptions();
          if (options === undefined) throw new BadRequestError('first request of a batch carries no options');
          streamName = decodeStreamName(options.getStreamIdentifier());
          // A real server checks the leader (and the user) for the whole call: the client then
          // fails every append in flight on it and reconnects where NotLeader points.
          const refused = context.admit(call.metadata, { kind: 'write', stream: streamName });
          if (refused !== undefined) {
            dropped = true;
            call.emit('error', refused);
            return;
          }
          if (context.takeInjectedFailure()) {
            // The client fails every in-flight append of the call, which is what a real drop does.
            dropped = true;
            call.emit('error', {
              code: status.UNAVAILABLE,
              details: 'BatchAppend dropped by failNextAppends (injected fault)',
            });
            return;
          }
          const deadline = options.getDeadline();
          if (deadline !== undefined && deadline.toDate().getTime() < Date.now()) {
            throw new DeadlinePassedError();
          }
          batch = {
            correlationId,
            streamName,
            expected: decodeExpectedRevision({
              revision: options.hasStreamPosition() ? options.getStreamPosition() : undefined,
              noStream: options.hasNoStream(),
              streamExists: options.hasStreamExists(),
              any: options.hasAny(),
            }),
            proposed: [],
          };
          pending.set(key, batch);
        }
        for (const message of request.getProposedMessagesList()) batch.proposed.push(decodeProposedMessage(message));
      } catch (error) {
        pending.delete(key);
        failed.add(key);
        call.write(encodeBatchError(correlationId, streamName, error));
        return;
      }

      if (request.getIsFinal()) {
        pending.delete(key);
        if (appendSize(batch.proposed) > context.maxAppendSize) {
          call.write(encodeBatchError(correlationId, batch.streamName, new MaxAppendSizeError(context.maxAppendSize)));
          return;
        }
        const outcome = context.log.append(batch.streamName, batch.expected, batch.proposed);
        if (context.takeInjectedHang()) return; // written, never answered
        call.write(
          outcome.kind === 'stream_deleted'
            ? encodeBatchError(correlationId, batch.streamName, new StreamDeletedInBatch())
            : encodeBatchAppendResp(batch, outcome),
        );
      }
    });

    call.on('end', () => {
      if (!dropped) call.end();
    });
  };
}

/** EventStoreDB's `Event.SizeOnDisk` summed over an append: data, metadata and two bytes per type character. */
function appendSize(proposed: readonly ProposedEvent[]): number {
  return proposed.reduce(
    (total, event) => total + event.data.length + event.customMetadata.length + 2 * event.type.length,
    0,
  );
}

class MaxAppendSizeError extends Error {
  constructor(readonly maxAppendSize: number) {
    super(`Maximum Append Size of ${maxAppendSize} Exceeded.`);
  }
}

class StreamDeletedInBatch extends Error {}

function maxAppendSizeStatus(maxAppendSize: number): ErrorStatus {
  const metadata = new Metadata();
  metadata.set('exception', 'maximum-append-size-exceeded');
  metadata.set('maximum-append-size', String(maxAppendSize));
  return { code: status.INVALID_ARGUMENT, details: `Maximum Append Size of ${maxAppendSize} Exceeded.`, metadata };
}

/** How a real server answers a call on a tombstoned stream. */
export function streamDeletedStatus(streamName: string): ErrorStatus {
  const metadata = new Metadata();
  metadata.set('exception', 'stream-deleted');
  metadata.set('stream-name', streamName);
  return { code: status.FAILED_PRECONDITION, details: `Event stream '${streamName}' is deleted.`, metadata };
}

class DeadlinePassedError extends Error {
  override readonly name = 'DeadlinePassedError';
  constructor() {
    super('append deadline passed before the append was processed');
  }
}

function encodeAppendResp(outcome: Exclude<AppendOutcome, { kind: 'stream_deleted' }>): AppendResp {
  if (outcome.kind === 'success') {
    const success = new AppendResp.Success();
    if (outcome.currentRevision === 'no_stream') success.setNoStream(new Empty());
    else success.setCurrentRevision(outcome.currentRevision.toString(10));
    if (outcome.position === undefined) success.setNoPosition(new Empty());
    else {
      const position = outcome.position.toString(10);
      success.setPosition(new AppendResp.Position().setCommitPosition(position).setPreparePosition(position));
    }
    return new AppendResp().setSuccess(success);
  }

  const wrong = new AppendResp.WrongExpectedVersion();
  if (outcome.current === 'no_stream') wrong.setCurrentNoStream(new Empty());
  else wrong.setCurrentRevision(outcome.current.toString(10));
  switch (outcome.expected.kind) {
    case 'any':
      wrong.setExpectedAny(new Empty());
      break;
    case 'no_stream':
      wrong.setExpectedNoStream(new Empty());
      break;
    case 'stream_exists':
      wrong.setExpectedStreamExists(new Empty());
      break;
    case 'revision':
      wrong.setExpectedRevision(outcome.expected.revision.toString(10));
      break;
  }
  return new AppendResp().setWrongExpectedVersion(wrong);
}

function encodeBatchAppendResp(
  batch: PendingBatch,
  outcome: Exclude<AppendOutcome, { kind: 'stream_deleted' }>,
): BatchAppendResp {
  const response = new BatchAppendResp()
    .setCorrelationId(batch.correlationId)
    .setStreamIdentifier(encodeStreamName(batch.streamName));
  switch (batch.expected.kind) {
    case 'any':
      response.setAny(new ProtobufEmpty());
      break;
    case 'no_stream':
      response.setNoStream(new ProtobufEmpty());
      break;
    case 'stream_exists':
      response.setStreamExists(new ProtobufEmpty());
      break;
    case 'revision':
      response.setStreamPosition(batch.expected.revision.toString(10));
      break;
  }

  if (outcome.kind === 'success') {
    const success = new BatchAppendResp.Success();
    if (outcome.currentRevision === 'no_stream') success.setNoStream(new ProtobufEmpty());
    else success.setCurrentRevision(outcome.currentRevision.toString(10));
    if (outcome.position === undefined) success.setNoPosition(new ProtobufEmpty());
    else {
      const position = outcome.position.toString(10);
      success.setPosition(new AllStreamPosition().setCommitPosition(position).setPreparePosition(position));
    }
    return response.setSuccess(success);
  }

  const details = new WrongExpectedVersion();
  if (outcome.current === 'no_stream') details.setCurrentNoStream(new ProtobufEmpty());
  else details.setCurrentStreamRevision(outcome.current.toString(10));
  switch (outcome.expected.kind) {
    case 'any':
      details.setExpectedAny(new ProtobufEmpty());
      break;
    case 'no_stream':
      details.setExpectedNoStream(new ProtobufEmpty());
      break;
    case 'stream_exists':
      details.setExpectedStreamExists(new ProtobufEmpty());
      break;
    case 'revision':
      details.setExpectedStreamPosition(outcome.expected.revision.toString(10));
      break;
  }
  return response.setError(
    packStatus(Code.FAILED_PRECONDITION, 'WrongExpectedVersion', details, 'event_store.client.WrongExpectedVersion'),
  );
}

// The client unpacks `details` unconditionally, so every batch error carries one: a type it
// knows (Timeout) where one fits, BadRequest otherwise (which it reports as an UnknownError).
function encodeBatchError(correlationId: UUID, streamName: string, error: unknown): BatchAppendResp {
  const response = new BatchAppendResp()
    .setCorrelationId(correlationId)
    .setStreamIdentifier(encodeStreamName(streamName));
  if (error instanceof DeadlinePassedError) {
    return response.setError(
      packStatus(Code.DEADLINE_EXCEEDED, error.message, new Timeout(), 'event_store.client.Timeout'),
    );
  }
  if (error instanceof MaxAppendSizeError) {
    const details = new MaximumAppendSizeExceeded().setMaxappendsize(error.maxAppendSize);
    return response.setError(
      packStatus(Code.INVALID_ARGUMENT, error.message, details, 'event_store.client.MaximumAppendSizeExceeded'),
    );
  }
  if (error instanceof StreamDeletedInBatch) {
    const details = new StreamDeleted().setStreamIdentifier(encodeStreamName(streamName));
    return response.setError(
      packStatus(Code.FAILED_PRECONDITION, 'Stream deleted', details, 'event_store.client.StreamDeleted'),
    );
  }
  const message = error instanceof Error ? error.message : String(error);
  return response.setError(
    packStatus(Code.INVALID_ARGUMENT, message, new BadRequest().setMessage(message), 'event_store.client.BadRequest'),
  );
}

function packStatus(code: Code, message: string, details: { serializeBinary(): Uint8Array }, typeName: string): Status {
  const packed = new Any();
  packed.pack(details.serializeBinary(), typeName);
  return new Status().setCode(code).setMessage(message).setDetails(packed);
}

function toErrorStatus(error: unknown): ErrorStatus {
  if (error instanceof MissingMetadataError) {
    // These metadata entries are how the client recognises RequiredMetadataPropertyMissingError.
    const metadata = new Metadata();
    metadata.set('exception', 'missing-required-metadata-property');
    metadata.set('required-metadata-properties', error.properties.join(','));
    return { code: status.INVALID_ARGUMENT, details: error.message, metadata };
  }
  if (error instanceof BadRequestError) return { code: status.INVALID_ARGUMENT, details: error.message };
  return { code: status.INTERNAL, details: error instanceof Error ? error.message : String(error) };
}
