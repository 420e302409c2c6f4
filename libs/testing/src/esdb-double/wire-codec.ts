/**
 * Translation between the protobuf messages `@eventstore/db-client` speaks and the double's
 * in-memory model. The generated classes are imported from the client's own package so the
 * messages are instances of exactly the classes its gRPC serializers check with `instanceof`.
 */
import { ReadResp } from '@eventstore/db-client/generated/streams_pb';
import { StreamIdentifier, UUID } from '@eventstore/db-client/generated/shared_pb';
import type { ExpectedRevision, ProposedEvent, StoredEvent } from './in-memory-log';

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A request the double cannot make sense of; answered with gRPC `INVALID_ARGUMENT`. */
export class BadRequestError extends Error {
  override readonly name = 'BadRequestError';
}

/** A proposed event lacks `type` or `content-type`, which EventStoreDB requires. */
export class MissingMetadataError extends Error {
  override readonly name = 'MissingMetadataError';
  constructor(readonly properties: readonly string[]) {
    super(`Missing required metadata properties: ${properties.join(', ')}`);
  }
}

/** Stream names travel as UTF-8 bytes. */
export function decodeStreamName(identifier: StreamIdentifier | undefined): string {
  if (identifier === undefined) throw new BadRequestError('stream identifier is missing');
  return Buffer.from(identifier.getStreamName_asU8()).toString('utf8');
}

/** Stream names travel as UTF-8 bytes. */
export function encodeStreamName(streamName: string): StreamIdentifier {
  return new StreamIdentifier().setStreamName(Buffer.from(streamName, 'utf8'));
}

/** Accepts both UUID encodings the protocol allows and normalises to lower-case text. */
export function decodeUuid(uuid: UUID | undefined): string {
  if (uuid === undefined) throw new BadRequestError('uuid is missing');
  let text: string;
  if (uuid.hasStructured()) {
    const structured = uuid.getStructured();
    const most = BigInt.asUintN(64, BigInt(structured?.getMostSignificantBits() ?? '0'));
    const least = BigInt.asUintN(64, BigInt(structured?.getLeastSignificantBits() ?? '0'));
    const hex = ((most << 64n) | least).toString(16).padStart(32, '0');
    text = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  } else {
    text = uuid.getString().toLowerCase();
  }
  if (!UUID_PATTERN.test(text)) throw new BadRequestError(`"${text}" is not a UUID`);
  return text;
}

/** Encodes an id in the form the reader asked for; structured halves are signed 64-bit, as in Java/.NET. */
export function encodeUuid(id: string, structured: boolean): UUID {
  const uuid = new UUID();
  if (!structured) return uuid.setString(id);
  const value = BigInt(`0x${id.replace(/-/g, '')}`);
  const halves = new UUID.Structured()
    .setMostSignificantBits(BigInt.asIntN(64, value >> 64n).toString(10))
    .setLeastSignificantBits(BigInt.asIntN(64, value).toString(10));
  return uuid.setStructured(halves);
}

/** The parts common to the `Append` and `BatchAppend` proposed-message types. */
interface WireProposedMessage {
  getId(): UUID | undefined;
  getMetadataMap(): { get(key: string): string | undefined };
  getCustomMetadata_asU8(): Uint8Array;
  getData_asU8(): Uint8Array;
}

/** Decodes a proposed event of either append RPC, enforcing EventStoreDB's required metadata. */
export function decodeProposedMessage(message: WireProposedMessage): ProposedEvent {
  const metadata = message.getMetadataMap();
  const type = metadata.get('type');
  const contentType = metadata.get('content-type');
  const missing = [type === undefined ? 'type' : undefined, contentType === undefined ? 'content-type' : undefined];
  if (type === undefined || contentType === undefined) {
    throw new MissingMetadataError(missing.filter((name): name is string => name !== undefined));
  }
  return {
    id: decodeUuid(message.getId()),
    type,
    contentType,
    // Copies, because the message's buffers may be views into a reused gRPC frame.
    customMetadata: Uint8Array.from(message.getCustomMetadata_asU8()),
    data: Uint8Array.from(message.getData_asU8()),
  };
}

/** The `expected revision` oneof, shared by the `Append` and `BatchAppend` option types. */
export function decodeExpectedRevision(choice: {
  revision: string | undefined;
  noStream: boolean;
  streamExists: boolean;
  any: boolean;
}): ExpectedRevision {
  if (choice.revision !== undefined) return { kind: 'revision', revision: BigInt(choice.revision) };
  if (choice.noStream) return { kind: 'no_stream' };
  if (choice.streamExists) return { kind: 'stream_exists' };
  if (choice.any) return { kind: 'any' };
  throw new BadRequestError('expected stream revision is missing');
}

/** One event of a read or subscription, with `created` in ticks as EventStoreDB writes it. */
export function encodeReadEvent(event: StoredEvent, structuredUuids: boolean): ReadResp {
  const recorded = new ReadResp.ReadEvent.RecordedEvent()
    .setId(encodeUuid(event.id, structuredUuids))
    .setStreamIdentifier(encodeStreamName(event.streamName))
    .setStreamRevision(event.revision.toString(10))
    .setCommitPosition(event.position.toString(10))
    .setPreparePosition(event.position.toString(10))
    .setCustomMetadata(event.customMetadata)
    .setData(event.data);
  recorded
    .getMetadataMap()
    .set('type', event.type)
    .set('created', event.created.toString(10))
    .set('content-type', event.isJson ? 'application/json' : 'application/octet-stream');
  const readEvent = new ReadResp.ReadEvent().setEvent(recorded).setCommitPosition(event.position.toString(10));
  return new ReadResp().setEvent(readEvent);
}
