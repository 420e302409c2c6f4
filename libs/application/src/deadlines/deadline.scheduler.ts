import {
  caseStreamName,
  decideDeadline,
  initialCaseDeadlines,
  isDueToFire,
  trackDeadlines,
  type CaseDeadlines,
  type CaseEvent,
  type FireDeadline,
} from '@harbour/domain';
import type { EventStore } from '@harbour/event-store';
import { deadlinesReadModel, type DeadlinesRow } from '@harbour/projections';
import type { ReadStore } from '@harbour/read-store';
import { refusePersonalData } from '@harbour/privacy';
import { ConcurrencyConflictError } from '../command-handling/command-errors';
import { DEADLINE_SCHEDULER_ACTOR, handleStreamCommand, type Decider } from '../command-handling/handle-stream-command';
import type { EventSchemaRegistry } from '../event-schemas/event-schema-registry';
import type { Clock } from '../ports/clock.port';
import { uuidFromName } from '@harbour/shared';

export interface DeadlineSchedulerDeps {
  readonly store: EventStore;
  readonly readStore: ReadStore;
  readonly schemas: EventSchemaRegistry;
  readonly clock: Clock;
}

export interface DeadlineSchedulerOptions {
  /** Pause between polls of the `deadlines` read model, in ms. */
  readonly intervalMs: number;
  /** Cases handled per poll; the rest wait for the next one (oldest due first). */
  readonly batchSize?: number;
  readonly onLog?: (entry: {
    readonly level: 'info' | 'warn' | 'error';
    readonly message: string;
    readonly fields: Readonly<Record<string, string | number>>;
  }) => void;
}

/** What one poll did. */
export interface SchedulerTick {
  /** Cases whose timers were due by the read model. */
  readonly casesDue: number;
  /**
   * `DeadlineBreached` and `RecoveryPeriodEnded` appended. Two schedulers racing for the same
   * timer append the same event (same id, same revision), which the store treats as one append
   * answered twice: each may count it, the stream holds it once.
   */
  readonly recorded: number;
}

const deadlineDecider: Decider<FireDeadline, CaseEvent, CaseDeadlines, { now: string }> = {
  initialState: initialCaseDeadlines,
  decide: decideDeadline,
  evolve: trackDeadlines,
};

// A concurrent command or another scheduler moved the stream: re-read and decide again. The
// second try sees the other scheduler's event (and records nothing) or the command's effect.
const MAX_ATTEMPTS = 5;

/**
 * The deadline scheduler: polls the `deadlines` read model (kept by the process manager's
 * projection from the event store's subscription) for timers due by the clock, and appends
 * `DeadlineBreached` or `RecoveryPeriodEnded` for each, exactly once: the command id, and so the
 * event id, is derived from the case and deadline; the decision is re-made against the case
 * stream as loaded (the read model may lag); and the append expects the revision it loaded. A
 * second scheduler, or the same one restarted, finds the event already there and writes nothing.
 */
export class DeadlineScheduler {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> = Promise.resolve();
  private stopped = true;
  private tableReady = false;

  constructor(
    private readonly deps: DeadlineSchedulerDeps,
    private readonly options: DeadlineSchedulerOptions,
  ) {}

  /** Polls every `intervalMs` until {@link stop}. A failed poll is logged and retried next time. */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    const loop = () => {
      if (this.stopped) return;
      this.running = this.tick()
        .catch((error: unknown) =>
          this.log('error', 'deadline poll failed', { error: error instanceof Error ? error.message : String(error) }),
        )
        .finally(() => {
          if (!this.stopped) this.timer = setTimeout(loop, this.options.intervalMs);
        });
    };
    loop();
  }

  /** Stops polling and waits for the poll in hand to finish its appends. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  /** One poll: records every timer due at the clock's now. */
  async tick(): Promise<SchedulerTick> {
    if (!this.tableReady) {
      // The projection creates the table when it starts; the scheduler may poll first.
      await this.deps.readStore.ensureTables([deadlinesReadModel]);
      this.tableReady = true;
    }
    const now = this.deps.clock.now().toISOString();
    const rows = (await this.deps.readStore.select(deadlinesReadModel, {
      where: [{ column: 'next_fire_at', op: '<=', value: now }],
      orderBy: [{ column: 'next_fire_at', direction: 'asc' }],
      limit: this.options.batchSize ?? 200,
    })) as unknown as DeadlinesRow[];
    let recorded = 0;
    for (const row of rows) {
      for (const deadline of row.deadlines) {
        if (!isDueToFire(deadline, now)) continue;
        if (await this.record({ caseId: row.case_id, deadlineId: deadline.deadlineId }, deadline.dueAt)) recorded += 1;
      }
    }
    return { casesDue: rows.length, recorded };
  }

  private async record(command: FireDeadline, dueAt: string): Promise<boolean> {
    const commandId = uuidFromName(`deadline:${command.caseId}:${command.deadlineId}`);
    for (let attempt = 1; ; attempt += 1) {
      const now = this.deps.clock.now().toISOString();
      try {
        const outcome = await handleStreamCommand(
          {
            store: this.deps.store,
            schemas: this.deps.schemas,
            // Records of time passing hold no personal data: the scheduler needs no key, and refuses any.
            personalData: refusePersonalData((type, version) => this.deps.schemas.personalDataPaths(type, version)),
          },
          caseStreamName(command.caseId),
          deadlineDecider,
          command,
          {
            actor: DEADLINE_SCHEDULER_ACTOR,
            // The business time of a miss is when the deadline fell due, not when it was noticed.
            occurredAt: dueAt,
            commandId,
            correlationId: commandId,
          },
          { now },
          (state) => (state.workflow ? { id: state.workflow.id, version: state.workflow.version } : undefined),
        );
        if (outcome.replayed || outcome.unchanged) return false;
        this.log('info', 'deadline recorded', {
          caseId: command.caseId,
          deadlineId: command.deadlineId,
          revision: Number(outcome.revision),
        });
        return true;
      } catch (error) {
        if (!(error instanceof ConcurrencyConflictError) || attempt >= MAX_ATTEMPTS) throw error;
      }
    }
  }

  private log(
    level: 'info' | 'warn' | 'error',
    message: string,
    fields: Readonly<Record<string, string | number>>,
  ): void {
    this.options.onLog?.({ level, message, fields });
  }
}
