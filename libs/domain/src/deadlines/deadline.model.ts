import type { Duration } from '../calendar/working-day-calendar';
import type { CaseEventType } from '../case/case.events';
import type { RuleName } from '../shared/domain.errors';

/** Every kind of timed deadline a workflow definition can declare. */
export const DEADLINE_KINDS = [
  'lead-assessment',
  'reasonable-grounds-decision',
  'recovery-period',
  'information-request',
] as const;

/** A kind of timed deadline (see {@link DEADLINE_KINDS}). */
export type DeadlineKind = (typeof DEADLINE_KINDS)[number];

/** A case event of `type`, optionally only when fields of its data have given values. */
export interface EventMatch {
  readonly type: CaseEventType;
  /** Dotted paths into the event's data and the value each must equal (e.g. `outcome: 'positive'`). */
  readonly where?: Readonly<Record<string, string | boolean>>;
}

/** An event that starts a deadline. */
export interface DeadlineTrigger extends EventMatch {
  /** Data path of the id that names the timer `<kind>:<id>`, so the same event never starts two. */
  readonly idFrom: string;
  /**
   * Data path of a due time the event itself fixes (an information request's `dueBy`, the
   * recovery period's `endsAt`); when the event has none, the deadline is its start plus the
   * duration.
   */
  readonly dueAtFrom?: string;
}

/** An event that meets a deadline. */
export interface DeadlineSettler extends EventMatch {
  /**
   * Data path that must equal the timer's id (an answer meets only its own request's deadline);
   * without it, the event meets every open deadline of the kind.
   */
  readonly idFrom?: string;
}

/**
 * A timed, soft deadline: when it falls due unmet, the scheduler records it (`DeadlineBreached`
 * for `breach`, `RecoveryPeriodEnded` for `end`) and nothing is blocked. Started, met and
 * cancelled by case events, measured in business time (the times the events carry).
 */
export interface DeadlineSpec {
  readonly kind: DeadlineKind;
  readonly title: string;
  readonly onDue: 'breach' | 'end';
  readonly duration: Duration;
  readonly startsOn: readonly DeadlineTrigger[];
  readonly metBy: readonly DeadlineSettler[];
  /** Events after which the deadline no longer runs (the case withdrawn or closed). */
  readonly cancelledBy: readonly EventMatch[];
}

/**
 * A minimum notice before something may happen: checked when the command is decided, refused
 * (with `rule`) unless waived. Unlike a {@link DeadlineSpec} it is a rule, not a timer: the pilot's
 * panel notice is waived by listing the case as urgent.
 */
export interface NoticeSpec {
  readonly kind: 'panel-notice';
  readonly title: string;
  readonly duration: Duration;
  /** The command the notice is checked on, and the rule its refusal names. */
  readonly checkedOn: 'ListCaseForPanel';
  readonly rule: RuleName;
  readonly waivedWhen: 'urgent';
}
