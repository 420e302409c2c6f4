import type { RecordedEvent, Subscription } from '../event-store.port';

export interface SubscriptionPage {
  readonly events: readonly RecordedEvent[];
  /** Every position up to here has been looked at: nothing there matched the filter that is not in `events`. */
  readonly scannedTo: bigint;
}

export interface PollingSubscriptionSource {
  /** Exclusive start. */
  readonly after: bigint;
  /** Reads the next page of matching events after `position`. */
  readonly readPage: (position: bigint) => SubscriptionPage;
  /** Resolves when there may be something new to read, or when `signal` aborts. */
  readonly waitForAppend: (signal: AbortSignal) => Promise<void>;
  readonly onClose: () => void;
  /** Set when the start position was refused: `ready()` and iteration fail with it. */
  readonly invalid?: Error;
}

/**
 * A catch-up subscription over a store that can be read by position: it pages through history,
 * and once caught up waits to be woken by a commit (or a poll tick) and reads again. Because it
 * always reads from the last position it delivered, catch-up and live delivery cannot overlap or
 * leave a gap.
 */
export class PollingSubscription implements Subscription {
  private position: bigint;
  private readonly abort = new AbortController();
  private iterator?: AsyncGenerator<RecordedEvent>;

  constructor(private readonly source: PollingSubscriptionSource) {
    this.position = source.after;
  }

  /** A subscription is one sequence: iterating it again continues where the last loop stopped. */
  [Symbol.asyncIterator](): AsyncIterator<RecordedEvent> {
    this.iterator ??= this.iterate();
    return this.iterator;
  }

  /** The start position is fixed (or refused) when the subscription is made. */
  async ready(): Promise<void> {
    if (this.source.invalid) throw this.source.invalid;
  }

  async close(): Promise<void> {
    if (this.abort.signal.aborted) return;
    this.abort.abort();
    this.source.onClose();
  }

  private async *iterate(): AsyncGenerator<RecordedEvent> {
    const { signal } = this.abort;
    try {
      if (this.source.invalid) throw this.source.invalid;
      while (!signal.aborted) {
        const page = this.source.readPage(this.position);
        for (const event of page.events) {
          if (signal.aborted) return;
          yield event;
          this.position = event.position;
        }
        if (page.events.length === 0) {
          if (page.scannedTo > this.position) this.position = page.scannedTo;
          await this.source.waitForAppend(signal);
        }
      }
    } finally {
      await this.close();
    }
  }
}
