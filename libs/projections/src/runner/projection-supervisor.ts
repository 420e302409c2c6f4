import { InvalidPositionError, type EventStore } from '@harbour/event-store';
import type { ReadStore } from '@harbour/read-store';
import type { Projection } from '../projection';
import { ProjectionRunner, type ProjectionProgress } from './projection-runner';
import { ProjectionFailedError, ProjectionVersionError, errorName } from './projection-runner.errors';

export type SupervisorLogLevel = 'debug' | 'info' | 'warn' | 'error';
export type SupervisorLogFields = Readonly<Record<string, string | number | boolean | undefined>>;

/** Where a supervisor writes what it does: the projector's JSON lines, or the API's Nest logger. */
export interface SupervisorLog {
  write(level: SupervisorLogLevel, message: string, fields?: SupervisorLogFields): void;
  /** Whether `level` is written at all, so per-event lines cost nothing when they are not. */
  enabled(level: SupervisorLogLevel): boolean;
}

/** The leader lock a distributed projection runs under (PostgreSQL's `PostgresLeaderLock`). */
export interface LeaderLock {
  readonly held: boolean;
  /** While held: aborts when leadership ends. */
  readonly lost: AbortSignal | undefined;
  acquire(signal?: AbortSignal, onAttemptFailed?: (error: Error) => void): Promise<boolean>;
  release(): Promise<void>;
}

export interface ProjectionSupervisorOptions {
  readonly eventStore: EventStore;
  readonly readStore: ReadStore;
  readonly projection: Projection;
  readonly batchSize?: number;
  /** Distributed mode: run only while holding this lock; stand by otherwise. */
  readonly lock?: LeaderLock;
  readonly log: SupervisorLog;
  /** Called after each batch with the number of events it projected (metrics). */
  readonly onBatch?: (projection: string, events: number) => void;
  /** How often progress is logged while projecting (default 5000 ms). */
  readonly progressLogMs?: number;
}

export type SupervisorState = 'starting' | 'standby' | 'leading' | 'running' | 'failed' | 'stopped';

const FIRST_BACKOFF_MS = 500;
const MAX_BACKOFF_MS = 30_000;

/**
 * Keeps one projection running in this process, for the API in embedded mode and for the
 * projector: directly, or, in distributed mode, only while holding the projection's leader lock
 * (standing by otherwise, and again after losing it). It runs from the event store, never from the
 * in-memory event bus, so a restart resumes from the durable checkpoint. Transient errors (a
 * database restart) are retried with back-off; a projection that stops on a failing event, finds
 * tables from a newer version, or holds a checkpoint this store does not have, stays stopped
 * until a human acts.
 */
export class ProjectionSupervisor {
  private readonly stopController = new AbortController();
  private readonly runner: ProjectionRunner;
  private readonly log: SupervisorLog;
  private done?: Promise<void>;
  private current: SupervisorState = 'starting';
  private lastProgressLog = 0;

  constructor(private readonly options: ProjectionSupervisorOptions) {
    this.log = options.log;
    this.runner = new ProjectionRunner(options.eventStore, options.readStore, options.projection, {
      batchSize: options.batchSize,
      onProgress: (progress) => {
        options.onBatch?.(progress.projection, progress.applied + progress.parked);
        this.logProgress(progress);
      },
      onLog: ({ level, message, fields }) => this.log.write(level, message, fields),
      // The trace of a request into the read side: which events, from which correlation id. Live
      // events at info; a catch-up or rebuild replays history, at debug.
      onApplied: ({ phase, events }) => {
        const level = phase === 'live' ? 'info' : 'debug';
        if (!this.log.enabled(level)) return;
        for (const event of events) {
          this.log.write(level, 'event projected', {
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

  get state(): SupervisorState {
    return this.current;
  }

  start(): void {
    this.done ??= this.loop().finally(() => {
      if (this.current !== 'failed') this.current = 'stopped';
    });
  }

  /** Lets the batch in hand commit, releases the lock, and resolves when the supervisor has stopped. */
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
            this.log.write('warn', 'leader lock attempt failed', { error: error.name }),
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
        this.log.write('error', 'projection interrupted; retrying', { error: errorName(error), retryInMs: backoff });
        await delay(backoff, stop);
        backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
      }
      if (lock && !stop.aborted && !lock.held) this.log.write('warn', 'leader lock lost; standing by');
    }
    if (lock) await lock.release();
  }

  private enter(state: SupervisorState, message: string, fields: Record<string, string> = {}): void {
    this.current = state;
    this.log.write(state === 'failed' ? 'error' : 'info', message, { state, ...fields });
  }

  private logProgress(progress: ProjectionProgress): void {
    const now = Date.now();
    if (now - this.lastProgressLog < (this.options.progressLogMs ?? 5000)) return;
    this.lastProgressLog = now;
    this.log.write('info', 'projected', {
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
