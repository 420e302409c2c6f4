import { addDuration, addWeekdays, CalendarNotCoveredError, type Duration } from '../calendar/working-day-calendar';
import { businessTimeOf, type CaseEvent, type DeadlineBreached, type RecoveryPeriodEnded } from '../case/case.events';
import type { WorkflowRef } from '../case/case.state';
import { instant } from '../shared/time.helpers';
import { findWorkflow } from '../workflow/workflow.registry';
import type { DeadlineKind, EventMatch } from './deadline.model';

/** One deadline of a case, as its events have set it. Times are canonical ISO-8601 UTC. */
export interface TrackedDeadline {
  /** `<kind>:<id of what started it>`: stable, so the scheduler's event for it is too. */
  readonly deadlineId: string;
  readonly kind: DeadlineKind;
  readonly onDue: 'breach' | 'end';
  readonly startedAt: string;
  readonly dueAt: string;
  /**
   * True when `dueAt` counted weekdays only, because the bank holiday calendar does not cover the
   * period: it may be a day or two early. Shown so nobody mistakes it for the exact date.
   */
  readonly dueAtEstimated: boolean;
  /** When it stopped running, and why: met by the awaited event, or cancelled with the case. */
  readonly settled?: { readonly how: 'met' | 'cancelled'; readonly at: string };
  /** When the scheduler recorded it falling due (`DeadlineBreached` or `RecoveryPeriodEnded`). */
  readonly firedAt?: string;
}

/** The deadlines of one case stream, folded from its events by {@link trackDeadlines}. */
export interface CaseDeadlines {
  readonly caseId: string | null;
  readonly workflow: WorkflowRef | null;
  readonly deadlines: readonly TrackedDeadline[];
}

/** A stream with no events has no deadlines. */
export function initialCaseDeadlines(): CaseDeadlines {
  return { caseId: null, workflow: null, deadlines: [] };
}

/**
 * Folds one case event into the case's deadlines, by the deadline specs of the workflow definition
 * the case is pinned to. Pure: the same events give the same deadlines in the scheduler, the
 * `deadlines` read model and `case_status`. An event first settles what it meets or cancels, then
 * starts what it triggers.
 */
export function trackDeadlines(state: CaseDeadlines, event: CaseEvent): CaseDeadlines {
  if (event.type === 'ReferralRaised') {
    state = { ...state, caseId: event.data.caseId, workflow: event.data.workflow };
  }
  if (event.type === 'DeadlineBreached' || event.type === 'RecoveryPeriodEnded') return fired(state, event);
  const definition = state.workflow && findWorkflow(state.workflow);
  if (!definition) return state;

  const at = canonical(businessTimeOf(event));
  const data = event.data as unknown as Record<string, unknown>;
  let deadlines = state.deadlines;
  for (const spec of definition.deadlines) {
    const settle = (how: 'met' | 'cancelled', only?: string) => {
      deadlines = deadlines.map((deadline) =>
        deadline.kind === spec.kind && !deadline.settled && (only === undefined || deadline.deadlineId === only)
          ? { ...deadline, settled: { how, at } }
          : deadline,
      );
    };
    if (spec.cancelledBy.some((match) => matches(match, event.type, data))) settle('cancelled');
    for (const settler of spec.metBy) {
      if (!matches(settler, event.type, data)) continue;
      settle('met', settler.idFrom === undefined ? undefined : `${spec.kind}:${String(valueAt(data, settler.idFrom))}`);
    }
    for (const trigger of spec.startsOn) {
      if (!matches(trigger, event.type, data)) continue;
      const deadlineId = `${spec.kind}:${String(valueAt(data, trigger.idFrom))}`;
      if (deadlines.some((deadline) => deadline.deadlineId === deadlineId)) continue;
      const fixed = trigger.dueAtFrom === undefined ? undefined : valueAt(data, trigger.dueAtFrom);
      const due = typeof fixed === 'string' ? { at: canonical(fixed), estimated: false } : dueAfter(at, spec.duration);
      deadlines = [
        ...deadlines,
        {
          deadlineId,
          kind: spec.kind,
          onDue: spec.onDue,
          startedAt: at,
          dueAt: due.at,
          dueAtEstimated: due.estimated,
        },
      ];
    }
  }
  return deadlines === state.deadlines ? state : { ...state, deadlines };
}

/** Whether the scheduler must record `deadline` falling due at `now`: see {@link nextFireAt}. */
export function isDueToFire(deadline: TrackedDeadline, now: string): boolean {
  return mustFire(deadline) && instant(deadline.dueAt, 'dueAt') <= instant(now, 'now');
}

/**
 * The earliest time the scheduler has something to record for the case, or null. A deadline is
 * recorded once it is due unless it was met or cancelled by then: one met late (its event came
 * after `dueAt`, say a back-dated command) is still a miss, recorded at once.
 */
export function nextFireAt(state: CaseDeadlines): string | null {
  return earliest(state.deadlines.filter(mustFire));
}

/**
 * The case's next deadline: the earliest one still running (not met or cancelled), including one
 * already breached and still awaited; a recovery period once ended no longer counts.
 */
export function nextDeadline(state: CaseDeadlines): TrackedDeadline | null {
  const running = state.deadlines.filter(
    (deadline) => !deadline.settled && !(deadline.onDue === 'end' && deadline.firedAt),
  );
  return running.reduce<TrackedDeadline | null>(
    (soonest, deadline) =>
      soonest === null || instant(deadline.dueAt, 'dueAt') < instant(soonest.dueAt, 'dueAt') ? deadline : soonest,
    null,
  );
}

/** Overdue: a breach has been recorded and the awaited event has still not come. */
export function isOverdue(state: CaseDeadlines): boolean {
  return state.deadlines.some((deadline) => deadline.onDue === 'breach' && deadline.firedAt && !deadline.settled);
}

/** The scheduler's command: record deadline `deadlineId` of case `caseId` if it has fallen due. */
export interface FireDeadline {
  readonly caseId: string;
  readonly deadlineId: string;
}

/**
 * Decides what recording a deadline produces: `DeadlineBreached` or `RecoveryPeriodEnded` when it
 * is due to fire at `now`, nothing when it is not (met in time, cancelled, already recorded, or not
 * due yet). Idempotent by construction: once the event is in the stream the deadline is fired.
 */
export function decideDeadline(
  command: FireDeadline,
  state: CaseDeadlines,
  { now }: { readonly now: string },
): (DeadlineBreached | RecoveryPeriodEnded)[] {
  const deadline = state.deadlines.find((candidate) => candidate.deadlineId === command.deadlineId);
  if (!deadline || state.caseId === null || !isDueToFire(deadline, now)) return [];
  const detectedAt = canonical(now);
  if (deadline.onDue === 'end') {
    return [
      {
        type: 'RecoveryPeriodEnded',
        data: {
          caseId: state.caseId,
          deadlineId: deadline.deadlineId,
          startedAt: deadline.startedAt,
          endedAt: deadline.dueAt,
          detectedAt,
        },
      },
    ];
  }
  if (deadline.kind === 'recovery-period') {
    throw new Error(`A recovery period deadline must end, not breach (${deadline.deadlineId})`);
  }
  return [
    {
      type: 'DeadlineBreached',
      data: {
        caseId: state.caseId,
        deadlineId: deadline.deadlineId,
        kind: deadline.kind,
        startedAt: deadline.startedAt,
        dueAt: deadline.dueAt,
        detectedAt,
      },
    },
  ];
}

function fired(state: CaseDeadlines, event: DeadlineBreached | RecoveryPeriodEnded): CaseDeadlines {
  const { deadlineId, detectedAt } = event.data;
  return {
    ...state,
    deadlines: state.deadlines.map((deadline) =>
      deadline.deadlineId === deadlineId && !deadline.firedAt
        ? { ...deadline, firedAt: canonical(detectedAt) }
        : deadline,
    ),
  };
}

function mustFire(deadline: TrackedDeadline): boolean {
  if (deadline.firedAt) return false;
  return !deadline.settled || instant(deadline.settled.at, 'settled.at') > instant(deadline.dueAt, 'dueAt');
}

function earliest(deadlines: readonly TrackedDeadline[]): string | null {
  let soonest: string | null = null;
  for (const deadline of deadlines) {
    if (soonest === null || instant(deadline.dueAt, 'dueAt') < instant(soonest, 'dueAt')) soonest = deadline.dueAt;
  }
  return soonest;
}

function dueAfter(start: string, duration: Duration): { at: string; estimated: boolean } {
  try {
    return { at: addDuration(start, duration), estimated: false };
  } catch (error) {
    // A working-day deadline outside the bank holiday data: weekdays only, marked as an estimate,
    // rather than a fold that throws and stops every read model of the case.
    if (!(error instanceof CalendarNotCoveredError) || duration.unit !== 'working-days') throw error;
    return { at: addWeekdays(start, duration.amount), estimated: true };
  }
}

function matches(match: EventMatch, type: string, data: Record<string, unknown>): boolean {
  if (match.type !== type) return false;
  return Object.entries(match.where ?? {}).every(([path, value]) => valueAt(data, path) === value);
}

function valueAt(data: Record<string, unknown>, path: string): unknown {
  let value: unknown = data;
  for (const key of path.split('.')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

function canonical(time: string): string {
  return new Date(instant(time, 'time')).toISOString();
}
