/** Delays between retries: each attempt doubles the ceiling up to `max`. */
export interface Backoff {
  /** The next delay, in ms. */
  next(): number;
  /** Back to the first delay (after a success). */
  reset(): void;
}

/**
 * Exponential back-off with jitter: each delay is drawn from the upper half of the current ceiling
 * (`first`, doubling up to `max`). The random half keeps many clients that lost the same leader
 * at the same moment from all coming back at once; the fixed half keeps a retry from being
 * immediate.
 */
export function backoff(delays: { readonly first: number; readonly max: number }, random: () => number): Backoff {
  let ceiling = delays.first;
  return {
    next() {
      const delay = ceiling / 2 + random() * (ceiling / 2);
      ceiling = Math.min(ceiling * 2, delays.max);
      return Math.round(delay);
    },
    reset() {
      ceiling = delays.first;
    },
  };
}

/** Resolves after `ms`, or at once when `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done);
  });
}
