import {
  CASE_EVENT_TYPES,
  isOverdue,
  nextDeadline,
  trackDeadlines,
  type CaseDeadlines,
  type DeadlineKind,
  type TrackedDeadline,
  type AgeGroup,
  type CaseClosed,
  type CaseEvent,
  type CaseStatus,
  type ExploitationLocation,
  type ExploitationType,
  type FirstResponderType,
  type Outcome,
  type PoliceForceArea,
  type ReferralRaised,
  type Region,
  type ReviewOutcome,
  type SuspensionReason,
  type WithdrawalBasis,
} from '@harbour/domain';
import type { RecordedEvent } from '@harbour/event-store';
import type { ColumnSpec } from '@harbour/read-store';
import type { ReadModel } from '../../projection';
import { alreadyApplied, canonicalTime, caseEventOf, revisionValue, unreachable } from '../shared/case-event.reader';
import { ContradictoryEventError, RowNotFoundError } from '../shared/read-model.errors';

/** How a case ended when it was closed (the `outcome` of `CaseClosed`). */
export type ClosureOutcome = CaseClosed['data']['outcome'];

/**
 * One row per case: where it stands and the categories the case list filters on. The case list
 * is served from this table to every role that may list cases, so it holds **no personal data**:
 * no name, date of birth, nationality, contact, account, rationale, grounds or notes. Those stay
 * in the (encrypted) event stream, read through the audited case history.
 *
 * The first gate is the lead assessment on the pilot and the competent authority's reasonable
 * grounds decision on the central route (`workflow_id` says which): `assessed_at`,
 * `assessment_outcome` and the recovery columns hold whichever the case had, as both start the
 * recovery period, and `assessment-negative` is a negative one of either. `decided_at` and
 * `decision_outcome` hold the conclusive decision, by a panel or by the competent authority; the
 * panel columns stay null on the central route.
 *
 * Milestone columns (`assessed_at`, `decided_at`, `reviewed_at`, `suspended_at`, ...) hold the
 * latest occurrence and are kept when the case moves on (a reconsideration does not erase the
 * decision it reconsiders); `status` alone says where the case stands. `decision_history` keeps
 * every decision.
 */
export type CaseStatusRow = {
  readonly case_id: string;
  readonly status: CaseStatus;
  /** The status a suspended case resumes to; null unless suspended. */
  readonly status_before_suspension: CaseStatus | null;
  /** Why the case is suspended (a category); null unless suspended. */
  readonly suspension_reason: SuspensionReason | null;
  readonly region: Region;
  readonly police_force_area: PoliceForceArea;
  readonly age_group: AgeGroup;
  readonly age_group_at_exploitation: AgeGroup;
  readonly exploitation_types: readonly ExploitationType[];
  readonly exploitation_location: ExploitationLocation;
  /** The first responder organisation (an organisation, not a person). */
  readonly referring_agency: string;
  readonly first_responder_type: FirstResponderType;
  /** The lead who raised the case; the lead who assessed it may differ. */
  readonly lead_id: string;
  readonly workflow_id: string;
  readonly workflow_version: number;
  /**
   * Central route: the registry id of the competent authority the case is allocated to (by
   * nationality, recorded with the referral); null on the pilot route and before allocation.
   */
  readonly competent_authority: string | null;
  readonly raised_at: string;
  /** The lead assessment (pilot) or the reasonable grounds decision (central). */
  readonly assessed_at: string | null;
  readonly assessment_outcome: Outcome | null;
  readonly recovery_started_at: string | null;
  /** The end of the recovery period as the first gate fixed it (start + the workflow's days). */
  readonly recovery_ends_at: string | null;
  readonly listed_at: string | null;
  readonly panel_id: string | null;
  readonly meeting_id: string | null;
  readonly meeting_at: string | null;
  readonly decision_id: string | null;
  readonly decided_at: string | null;
  readonly decision_outcome: Outcome | null;
  /** The second review of the latest decision; cleared when a new decision is recorded. */
  readonly reviewed_at: string | null;
  readonly review_outcome: ReviewOutcome | null;
  readonly reconsideration_requested_at: string | null;
  readonly suspended_at: string | null;
  readonly resumed_at: string | null;
  readonly closed_at: string | null;
  readonly closure_outcome: ClosureOutcome | null;
  readonly withdrawn_at: string | null;
  readonly withdrawal_basis: WithdrawalBasis | null;
  /**
   * The case's deadlines as its workflow definition sets them (the domain's `trackDeadlines` over
   * its events): timers, not personal data.
   */
  readonly deadlines: readonly TrackedDeadline[];
  /** Due time of the earliest deadline still running (one already breached included), else null. */
  readonly next_deadline: string | null;
  readonly next_deadline_kind: DeadlineKind | null;
  /**
   * A `DeadlineBreached` was recorded and the awaited event has not come yet. Decided by events the
   * scheduler appends, never by a clock read here, so a rebuild gives the same answer.
   */
  readonly overdue: boolean;
  /** The case stream revision that last changed the row (idempotency and the ETag). */
  readonly revision: number;
  /** When the store recorded the last change (recorded time, not business time): "recently changed". */
  readonly updated_at: string;
};

const text: ColumnSpec = { type: 'text' };
const optionalText: ColumnSpec = { type: 'text', nullable: true };
const time: ColumnSpec = { type: 'timestamp' };
const optionalTime: ColumnSpec = { type: 'timestamp', nullable: true };

// Typed by the row's columns, so the table spec and the row type cannot drift apart.
const COLUMNS: { readonly [Column in keyof CaseStatusRow]-?: ColumnSpec } = {
  case_id: text,
  status: text,
  status_before_suspension: optionalText,
  suspension_reason: optionalText,
  region: text,
  police_force_area: text,
  age_group: text,
  age_group_at_exploitation: text,
  exploitation_types: { type: 'json' },
  exploitation_location: text,
  referring_agency: text,
  first_responder_type: text,
  lead_id: text,
  workflow_id: text,
  workflow_version: { type: 'integer' },
  competent_authority: optionalText,
  raised_at: time,
  assessed_at: optionalTime,
  assessment_outcome: optionalText,
  recovery_started_at: optionalTime,
  recovery_ends_at: optionalTime,
  listed_at: optionalTime,
  panel_id: optionalText,
  meeting_id: optionalText,
  meeting_at: optionalTime,
  decision_id: optionalText,
  decided_at: optionalTime,
  decision_outcome: optionalText,
  reviewed_at: optionalTime,
  review_outcome: optionalText,
  reconsideration_requested_at: optionalTime,
  suspended_at: optionalTime,
  resumed_at: optionalTime,
  closed_at: optionalTime,
  closure_outcome: optionalText,
  withdrawn_at: optionalTime,
  withdrawal_basis: optionalText,
  deadlines: { type: 'json' },
  next_deadline: optionalTime,
  next_deadline_kind: optionalText,
  overdue: { type: 'boolean' },
  revision: { type: 'integer' },
  updated_at: time,
};

const TABLE = 'case_status';

// Columns every change sets, whatever the event: derived, or the change's own bookkeeping.
type CaseFacts = Omit<
  CaseStatusRow,
  'deadlines' | 'next_deadline' | 'next_deadline_kind' | 'overdue' | 'revision' | 'updated_at'
>;

/** The `case_status` read model (see {@link CaseStatusRow}). Handles every case event. */
export const caseStatusReadModel: ReadModel<CaseStatusRow> = {
  table: TABLE,
  columns: COLUMNS,
  key: ['case_id'],
  indexes: [
    ['region'],
    ['status'],
    ['age_group'],
    ['lead_id'],
    ['raised_at'],
    ['region', 'status', 'raised_at'],
    ['overdue', 'raised_at'],
  ],
  handles: CASE_EVENT_TYPES,
  keyOf: (event) => {
    const caseEvent = caseEventOf(event);
    return caseEvent && { case_id: caseEvent.data.caseId };
  },
  evolve: evolveCaseStatus,
};

function evolveCaseStatus(row: CaseStatusRow | null, recorded: RecordedEvent): CaseStatusRow | null {
  const event = caseEventOf(recorded);
  // The same row object back tells the runner nothing changed.
  if (!event || alreadyApplied(row, recorded)) return row;
  const at = (value: string) => canonicalTime(value, recorded);

  let next: CaseFacts;
  if (event.type === 'ReferralRaised') {
    if (row !== null) throw new ContradictoryEventError(TABLE, row.case_id, 'the case was raised a second time');
    next = opened(event, at);
  } else {
    if (row === null) throw new RowNotFoundError(TABLE, event.data.caseId, event.type);
    next = applied(row, event, at);
  }
  const tracked = trackDeadlines(deadlinesOf(row, next), event);
  const upcoming = nextDeadline(tracked);
  return {
    ...next,
    deadlines: tracked.deadlines,
    next_deadline: upcoming?.dueAt ?? null,
    next_deadline_kind: upcoming?.kind ?? null,
    overdue: isOverdue(tracked),
    revision: revisionValue(recorded),
    updated_at: recorded.recordedAt.toISOString(),
  };
}

function deadlinesOf(row: CaseStatusRow | null, facts: CaseFacts): CaseDeadlines {
  return {
    caseId: facts.case_id,
    workflow: { id: facts.workflow_id, version: facts.workflow_version },
    deadlines: row?.deadlines ?? [],
  };
}

function opened({ data }: ReferralRaised, at: (value: string) => string): CaseFacts {
  return {
    case_id: data.caseId,
    status: 'referred',
    status_before_suspension: null,
    suspension_reason: null,
    region: data.region,
    police_force_area: data.policeForceArea,
    age_group: data.ageGroup,
    age_group_at_exploitation: data.ageGroupAtExploitation,
    exploitation_types: [...data.exploitationTypes],
    exploitation_location: data.exploitationLocation,
    referring_agency: data.referringAgency,
    first_responder_type: data.firstResponderType,
    lead_id: data.leadId,
    workflow_id: data.workflow.id,
    workflow_version: data.workflow.version,
    competent_authority: null,
    raised_at: at(data.raisedAt),
    assessed_at: null,
    assessment_outcome: null,
    recovery_started_at: null,
    recovery_ends_at: null,
    listed_at: null,
    panel_id: null,
    meeting_id: null,
    meeting_at: null,
    decision_id: null,
    decided_at: null,
    decision_outcome: null,
    reviewed_at: null,
    review_outcome: null,
    reconsideration_requested_at: null,
    suspended_at: null,
    resumed_at: null,
    closed_at: null,
    closure_outcome: null,
    withdrawn_at: null,
    withdrawal_basis: null,
  };
}

// Status changes mirror the domain's evolveCase; the event data names the target status wherever
// the domain records it (suspendedFrom, resumedTo, returnsTo), so the row never has to guess.
function applied(
  row: CaseStatusRow,
  event: Exclude<CaseEvent, ReferralRaised>,
  at: (value: string) => string,
): CaseFacts {
  switch (event.type) {
    case 'CompetentAuthorityAllocated':
      return { ...row, competent_authority: event.data.competentAuthority };
    case 'ImmediateSupportArranged':
    case 'InformationRequested':
    case 'InformationReceived':
    case 'EvidenceAdded':
    case 'DeadlineBreached':
    case 'RecoveryPeriodEnded':
      // Activity on the case, or a deadline (kept by trackDeadlines): no column but revision and
      // updated_at changes here.
      return row;
    case 'LeadAssessmentRecorded':
    case 'ReasonableGroundsDecisionMade': {
      const { data } = event;
      const period = data.outcome === 'positive' ? data.recoveryPeriod : undefined;
      return {
        ...row,
        status: data.outcome === 'positive' ? 'recovery' : 'assessment-negative',
        assessed_at: at(event.type === 'LeadAssessmentRecorded' ? event.data.assessedAt : event.data.decidedAt),
        assessment_outcome: data.outcome,
        recovery_started_at: period ? at(period.startsAt) : row.recovery_started_at,
        recovery_ends_at: period ? at(period.endsAt) : row.recovery_ends_at,
      };
    }
    case 'CaseListedForPanel': {
      const { data } = event;
      return {
        ...row,
        status: 'listed',
        listed_at: at(data.listedAt),
        panel_id: data.panelId,
        meeting_id: data.meetingId,
        meeting_at: at(data.meetingAt),
      };
    }
    case 'PanelConvened':
      return { ...row, status: 'panel-convened' };
    case 'DecisionRecorded': {
      const { data } = event;
      return {
        ...row,
        status: data.outcome === 'positive' ? 'decided-positive' : 'decided-negative',
        decision_id: data.decisionId,
        decided_at: at(data.decidedAt),
        decision_outcome: data.outcome,
        reviewed_at: null,
        review_outcome: null,
      };
    }
    case 'SecondReviewCompleted': {
      const { data } = event;
      return {
        ...row,
        status: data.outcome === 'upheld' ? 'negative-upheld' : 'decided-positive',
        reviewed_at: at(data.reviewedAt),
        review_outcome: data.outcome,
      };
    }
    case 'ReconsiderationRequested':
      return { ...row, status: event.data.returnsTo, reconsideration_requested_at: at(event.data.requestedAt) };
    case 'CaseSuspended': {
      const { data } = event;
      return {
        ...row,
        status: 'suspended',
        status_before_suspension: data.suspendedFrom,
        suspension_reason: data.reason,
        suspended_at: at(data.suspendedAt),
      };
    }
    case 'CaseResumed':
      return {
        ...row,
        status: event.data.resumedTo,
        status_before_suspension: null,
        suspension_reason: null,
        resumed_at: at(event.data.resumedAt),
      };
    case 'ReferralWithdrawn':
      return {
        ...row,
        status: 'withdrawn',
        status_before_suspension: null,
        suspension_reason: null,
        withdrawn_at: at(event.data.withdrawnAt),
        withdrawal_basis: event.data.basis,
      };
    case 'CaseClosed':
      return {
        ...row,
        status: 'closed',
        status_before_suspension: null,
        suspension_reason: null,
        closed_at: at(event.data.closedAt),
        closure_outcome: event.data.outcome,
      };
    default:
      return unreachable(event);
  }
}
