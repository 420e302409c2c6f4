/**
 * `Streams/Delete` (soft delete: reads find nothing, a later append starts the stream again) and
 * `Streams/Tombstone` (hard delete: the stream can never be read or written again).
 */
import { Metadata, status, type handleUnaryCall } from '@grpc/grpc-js';
import { DeleteReq, DeleteResp, TombstoneReq, TombstoneResp } from '@eventstore/db-client/generated/streams_pb';
import { Empty } from '@eventstore/db-client/generated/shared_pb';
import { streamDeletedStatus } from './append-handlers';
import type { AppendOutcome, ExpectedRevision } from './in-memory-log';
import type { ErrorStatus, NodeContext } from './node-context';
import { decodeExpectedRevision, decodeStreamName } from './wire-codec';

type DeleteOptions = DeleteReq.Options | TombstoneReq.Options;

export function createDeleteHandler(context: NodeContext): handleUnaryCall<DeleteReq, DeleteResp> {
  return removing(
    context,
    (stream, expected) => context.log.softDelete(stream, expected),
    () => new DeleteResp().setNoPosition(new Empty()),
  );
}

export function createTombstoneHandler(context: NodeContext): handleUnaryCall<TombstoneReq, TombstoneResp> {
  return removing(
    context,
    (stream, expected) => context.log.tombstone(stream, expected),
    () => new TombstoneResp().setNoPosition(new Empty()),
  );
}

function removing<Req extends { getOptions(): DeleteOptions | undefined }, Resp>(
  context: NodeContext,
  remove: (stream: string, expected: ExpectedRevision) => AppendOutcome,
  success: () => Resp,
): handleUnaryCall<Req, Resp> {
  return (call, callback) => answer(context, call.metadata, call.request.getOptions(), callback, remove, success);
}

function answer<Resp>(
  context: NodeContext,
  metadata: Metadata,
  options: DeleteOptions | undefined,
  callback: (error: ErrorStatus | null, response?: Resp) => void,
  remove: (stream: string, expected: ExpectedRevision) => AppendOutcome,
  success: () => Resp,
): void {
  if (options === undefined) return callback({ code: status.INVALID_ARGUMENT, details: 'delete without options' });
  const stream = decodeStreamName(options.getStreamIdentifier());
  const refused = context.admit(metadata, { kind: 'write', stream });
  if (refused !== undefined) return callback(refused);
  const expected = decodeExpectedRevision({
    revision: options.hasRevision() ? options.getRevision() : undefined,
    noStream: options.hasNoStream(),
    streamExists: options.hasStreamExists(),
    any: options.hasAny(),
  });
  const outcome = remove(stream, expected);
  if (outcome.kind === 'stream_deleted') return callback(streamDeletedStatus(stream));
  if (outcome.kind === 'wrong_expected_version') {
    const details = new Metadata();
    details.set('exception', 'wrong-expected-version');
    details.set('stream-name', stream);
    details.set('expected-version', expected.kind === 'revision' ? String(expected.revision) : '-2');
    if (outcome.current !== 'no_stream') details.set('actual-version', String(outcome.current));
    return callback({ code: status.FAILED_PRECONDITION, details: 'WrongExpectedVersion', metadata: details });
  }
  callback(null, success());
}
