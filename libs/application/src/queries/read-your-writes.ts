import type { ReadStore } from '@harbour/read-store';
import { RETRY_SHORTLY, type ProblemShape } from '@harbour/shared';

/** The projection had not reached the position asked for within the wait (HTTP 503, retry). */
export class ProjectionBehindError extends Error {
  constructor(
    readonly projection: string,
    readonly wanted: bigint,
    readonly reached: bigint,
  ) {
    super(`The read models have reached position ${reached}, not yet ${wanted}; retry shortly`);
    this.name = 'ProjectionBehindError';
  }

  get asProblem(): ProblemShape {
    return {
      slug: 'projection-behind',
      title: 'The read models have not caught up yet',
      status: 503,
      detail: this.message,
      extensions: { reached: String(this.reached) },
      headers: RETRY_SHORTLY,
    };
  }
}

const POLL_MS = 10;

/**
 * Read-your-writes: waits, at most `timeoutMs`, until `projection`'s checkpoint has reached
 * `position` (the one a command returned), so a query sent right after a command sees its effect.
 */
export async function waitForPosition(
  readStore: ReadStore,
  projection: string,
  position: bigint,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const reached = (await readStore.checkpoint(projection))?.position ?? -1n;
    if (reached >= position) return;
    if (Date.now() >= deadline) throw new ProjectionBehindError(projection, position, reached);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}
