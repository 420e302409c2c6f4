import { StreamNotFoundError, type EventStore, type RecordedEvent } from '@harbour/event-store';
import { ChainVerifier, type ChainBreak, type StreamVerification } from './hash-chain';

/** Checks every link of one stream. @throws StreamNotFoundError when it has no events. */
export async function verifyStream(store: EventStore, stream: string): Promise<StreamVerification> {
  const verifier = new ChainVerifier();
  for await (const event of store.readStream(stream)) verifier.add(event);
  if (verifier.events === 0) throw new StreamNotFoundError(stream);
  return verifier.stream(stream);
}

/** The outcome of checking the whole store. */
export interface StoreVerification {
  readonly ok: boolean;
  readonly streams: number;
  readonly events: number;
  /** The first broken event in position order, if any. */
  readonly firstBroken: ChainBreak | null;
  /** The first break of every broken stream, in position order. */
  readonly brokenStreams: readonly ChainBreak[];
}

export interface VerifyStoreOptions {
  /** Only streams starting with this (e.g. `case-<id>`); all streams when absent. */
  readonly streamPrefix?: string;
  /** Called every `progressEvery` events and at the end, with the position reached. */
  readonly onProgress?: (progress: { readonly position: bigint; readonly events: number }) => void;
  readonly progressEvery?: number;
}

/**
 * Walks `$all` once, checking every stream's chain as its events go by (a few bytes per stream
 * held, not the events), so it scales with the store.
 */
export async function verifyStore(store: EventStore, options: VerifyStoreOptions = {}): Promise<StoreVerification> {
  const verifier = new ChainVerifier();
  const every = options.progressEvery ?? 500;
  const filter = options.streamPrefix === undefined ? undefined : { streamPrefixes: [options.streamPrefix] };
  let last: RecordedEvent | undefined;
  for await (const event of store.readAll(filter ? { filter } : {})) {
    last = event;
    verifier.add(event);
    if (options.onProgress && verifier.events % every === 0) {
      options.onProgress({ position: event.position, events: verifier.events });
    }
  }
  options.onProgress?.({ position: last?.position ?? -1n, events: verifier.events });
  return {
    ok: verifier.broken.length === 0,
    streams: verifier.streamCount,
    events: verifier.events,
    firstBroken: verifier.broken[0] ?? null,
    brokenStreams: verifier.broken,
  };
}
