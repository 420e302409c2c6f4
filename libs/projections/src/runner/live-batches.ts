import type { RecordedEvent } from '@harbour/event-store';

export type LiveBatch =
  | { readonly kind: 'events'; readonly events: RecordedEvent[]; readonly ended: boolean }
  | { readonly kind: 'idle' }
  | { readonly kind: 'stopped' }
  | { readonly kind: 'ended' };

export interface LiveBatchOptions {
  readonly batchSize: number;
  /** How long to wait for more events once one has arrived. */
  readonly windowMs: number;
  /** How long to wait for a first event before reporting `idle`. */
  readonly idleMs: number;
  readonly stop: AbortSignal;
}

type Interrupt = 'timeout' | 'stopped';

/**
 * Turns a live subscription into batches: waits for a first event, then takes whatever else
 * arrives within a few milliseconds (up to the batch size), so that under load a batch commits
 * many events at once, and when quiet a lone event commits after `windowMs`. An event requested
 * but not yet delivered when a batch closes stays pending for the next one: none is lost.
 */
export class LiveBatches {
  private pending?: Promise<IteratorResult<RecordedEvent>>;

  constructor(
    private readonly iterator: AsyncIterator<RecordedEvent>,
    private readonly options: LiveBatchOptions,
  ) {}

  async next(): Promise<LiveBatch> {
    const { stop, batchSize, windowMs, idleMs } = this.options;
    if (stop.aborted) return { kind: 'stopped' };
    const idle = interruption(idleMs, stop);
    let first: IteratorResult<RecordedEvent> | Interrupt;
    try {
      first = await Promise.race([this.requested(), idle.promise]);
    } finally {
      idle.cancel();
    }
    if (first === 'stopped') return { kind: 'stopped' };
    if (first === 'timeout') return { kind: 'idle' };
    this.pending = undefined;
    if (first.done) return { kind: 'ended' };

    const events = [first.value];
    // One timer per batch, not per event: under load events arrive a microtask apart.
    const window = interruption(windowMs, stop);
    try {
      // Stopping still commits what has arrived: stop() finishes the batch in hand.
      while (events.length < batchSize) {
        const result = await Promise.race([this.requested(), window.promise]);
        if (result === 'stopped' || result === 'timeout') break;
        this.pending = undefined;
        if (result.done) return { kind: 'events', events, ended: true };
        events.push(result.value);
      }
    } finally {
      window.cancel();
    }
    return { kind: 'events', events, ended: false };
  }

  /** The next event, requested once: a request that loses a race stays pending for the next call. */
  private requested(): Promise<IteratorResult<RecordedEvent>> {
    if (!this.pending) {
      this.pending = this.iterator.next();
      // Abandoned when the subscription closes on stop; its settling must not go unhandled.
      this.pending.catch(() => undefined);
    }
    return this.pending;
  }
}

/** Resolves with 'timeout' after `ms`, or 'stopped' when `stop` aborts, whichever comes first. */
function interruption(ms: number, stop: AbortSignal): { promise: Promise<Interrupt>; cancel: () => void } {
  let cancel = () => undefined as void;
  const promise = new Promise<Interrupt>((resolve) => {
    const onStop = () => {
      clearTimeout(timer);
      resolve('stopped');
    };
    const timer = setTimeout(() => {
      stop.removeEventListener('abort', onStop);
      resolve('timeout');
    }, ms);
    stop.addEventListener('abort', onStop, { once: true });
    cancel = () => {
      clearTimeout(timer);
      stop.removeEventListener('abort', onStop);
    };
  });
  return { promise, cancel };
}
