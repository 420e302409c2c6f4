import { InvalidPositionError, type EventStore } from '@harbour/event-store';
import {
  ProjectionFailedError,
  ProjectionRunner,
  ProjectionVersionError,
  errorName,
  type Projection,
  type ProjectionProgress,
} from '@harbour/projections';
import type { HarbourMetrics } from '@harbour/observability';
import type { PostgresLeaderLock, ReadStore } from '@harbour/read-store';
import type { JsonLinesLogger } from './json-lines.logger';

export interface ProjectionWorkerOptions {
  readonly eventStore: EventStore;
  readonly readStore: ReadStore;
  readonly projection: Projection;
  readonly batchSize: number;
  /** Distributed mode: run only while holding this lock; stand by otherwise. */
  readonly lock?: PostgresLeaderLock;
  readonly logger: JsonLinesLogger;
  /** Counts batches and events projected. */
  readonly metrics?: HarbourMetrics;
  /** How often progress is logged while projecting (default 5000 ms). */
  readonly progressLogMs?: number;
}

export type WorkerState = 'starting' | 'standby' | 'leading' | 'running' | 'failed' | 'stopped';

const FIRST_BACKOFF_MS = 500;
const MAX_BACKOFF_MS = 30_000;

/**
 * Keeps one projection running in this process: directly in embedded mode, or, in distributed
 * mode, only while holding the projection's leader lock (standing by otherwise, and again after
 * losing it). Transient errors (a database restart) are retried with back-off; a projection that
 * stops on a failing event, or finds tables from a newer version, stays stopped until a human acts.
 */
export class ProjectionWorker {
  private readonly stopController = new AbortController();
  private readonly runner: ProjectionRunner;
  private readonly logger: JsonLinesLogger;
  private done?: Promise<void>;
  private current: WorkerState = 'starting';
  private lastProgressLog = 0;

  constructor(private readonly options: ProjectionWorkerOptions) {
    this.logger = options.logger.child({ projection: options.projection.name });
    this.runner = new ProjectionRunner(options.eventStore, options.readStore, options.projection, {
      batchSize: options.batchSize,
      onProgress: (progress) => {
        options.metrics?.projectionBatch(progress.projection, progress.applied + progress.parked);
        this.logProgress(progress);
      },
      onLog: ({ level, message, fields }) => this.logger.write(level, message, fields),
      // The trace of a request into the read side: which events, from which correlation id. Live
      // events at info; a catch-up or rebuild replays history, at debug.
      onApplied: ({ phase, events }) => {
        const level = phase === 'live' ? 'info' : 'debug';
        if (!this.logger.enabled(level)) return;
        for (const event of events) {
          this.logger.write(level, 'event projected', {
            position: event.position.toString(),
            eventId: event.eventId,
            eventType: event.eventType,
            stream: event.stream,
            correlationId: event.correlationId,
          });
        }
      },
    });
  }

  get state(): WorkerState {
    return this.current;
  }

  start(): void {
    this.done ??= this.loop().finally(() => {
      if (this.current !== 'failed') this.current = 'stopped';
    });
  }

  /** Lets the batch in hand commit, releases the lock, and resolves when the worker has stopped. */
  async stop(): Promise<void> {
    this.stopController.abort();
    await this.done;
  }

  private async loop(): Promise<void> {
    const stop = this.stopController.signal;
    const { lock } = this.options;
    let backoff = FIRST_BACKOFF_MS;
    while (!stop.aborted) {
      let tenure: AbortSignal = stop;
      if (lock) {
        if (!lock.held) {
          this.enter('standby', 'standing by for the leader lock');
          const acquired = await lock.acquire(stop, (error) =>
            this.logger.warn('leader lock attempt failed', { error: error.name }),
          );
          if (!acquired) break;
          this.enter('leading', 'leading: took the leader lock');
        }
        tenure = AbortSignal.any([stop, lock.lost ?? AbortSignal.abort()]);
      } else {
        this.enter('running', 'running');
      }
      try {
        await this.runner.run(tenure);
        backoff = FIRST_BACKOFF_MS;
      } catch (error) {
        // A checkpoint no event of this store has (another store, an older copy): a rebuild is the cure.
        if (
          error instanceof ProjectionFailedError ||
          error instanceof ProjectionVersionError ||
          error instanceof InvalidPositionError
        ) {
          this.enter('failed', 'projection stopped; it needs attention', {
            error: error.name,
            detail: error.message,
          });
          break;
        }
        this.logger.error('projection interrupted; retrying', { error: errorName(error), retryInMs: backoff });
        await delay(backoff, stop);
        backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
      }
      if (lock && !stop.aborted && !lock.held) this.logger.warn('leader lock lost; standing by');
    }
    if (lock) await lock.release();
  }

  private enter(state: WorkerState, message: string, fields: Record<string, string> = {}): void {
    this.current = state;
    const level = state === 'failed' ? 'error' : 'info';
    this.logger.write(level, message, { state, ...fields });
  }

  private logProgress(progress: ProjectionProgress): void {
    const now = Date.now();
    if (now - this.lastProgressLog < (this.options.progressLogMs ?? 5000)) return;
    this.lastProgressLog = now;
    this.logger.info('projected', {
      phase: progress.phase,
      checkpoint: progress.checkpoint.toString(),
      head: progress.head?.toString(),
      total: progress.total,
    });
  }
}

function delay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}
