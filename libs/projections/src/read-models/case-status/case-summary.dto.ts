import {
  AGE_GROUPS,
  CASE_STATUSES,
  DEADLINE_KINDS,
  EXPLOITATION_LOCATIONS,
  FIRST_RESPONDER_TYPES,
  OUTCOMES,
  POLICE_FORCE_AREAS,
  REGIONS,
  REVIEW_OUTCOMES,
  SUSPENSION_REASONS,
  WITHDRAWAL_BASES,
  type AgeGroup,
  type CaseStatus,
  type DeadlineKind,
  type ExploitationLocation,
  type ExploitationType,
  type FirstResponderType,
  type Outcome,
  type PoliceForceArea,
  type Region,
  type ReviewOutcome,
  type SuspensionReason,
  type TrackedDeadline,
  type WithdrawalBasis,
  organisationName,
} from '@harbour/domain';
import type { Row } from '@harbour/read-store';
import { RowReader } from '../shared/row.reader';
import type { ClosureOutcome } from './case-status.read-model';

const FORCES = Object.values(POLICE_FORCE_AREAS).flat() as readonly PoliceForceArea[];
const CLOSURE_OUTCOMES: readonly ClosureOutcome[] = [
  'conclusive-grounds-positive',
  'conclusive-grounds-negative',
  'lead-assessment-negative',
  'reasonable-grounds-negative',
  'closed-while-suspended',
];

/**
 * A case as the case list shows it: where it stands and its categories, no personal data.
 * Revisions and positions are decimal strings, as everywhere on the wire; times are ISO-8601 UTC.
 */
export interface CaseSummary {
  readonly caseId: string;
  readonly status: CaseStatus;
  readonly statusBeforeSuspension: CaseStatus | null;
  readonly suspensionReason: SuspensionReason | null;
  readonly region: Region;
  readonly policeForceArea: PoliceForceArea;
  readonly ageGroup: AgeGroup;
  readonly ageGroupAtExploitation: AgeGroup;
  readonly exploitationTypes: readonly ExploitationType[];
  readonly exploitationLocation: ExploitationLocation;
  /** The registry id; for a referral recorded before the registry, possibly a name it does not know. */
  readonly referringAgency: string;
  /** The registry's name for it; null when `referringAgency` is an unverified name (shown as typed). */
  readonly referringAgencyName: string | null;
  readonly firstResponderType: FirstResponderType;
  readonly leadId: string;
  readonly workflow: { readonly id: string; readonly version: number };
  /** Central route: the competent authority the case is allocated to (registry id); else null. */
  readonly competentAuthority: string | null;
  readonly raisedAt: string;
  readonly assessedAt: string | null;
  readonly assessmentOutcome: Outcome | null;
  readonly recoveryStartedAt: string | null;
  readonly recoveryEndsAt: string | null;
  readonly listedAt: string | null;
  readonly panelId: string | null;
  readonly meetingId: string | null;
  readonly meetingAt: string | null;
  readonly decisionId: string | null;
  readonly decidedAt: string | null;
  readonly decisionOutcome: Outcome | null;
  readonly reviewedAt: string | null;
  readonly reviewOutcome: ReviewOutcome | null;
  readonly reconsiderationRequestedAt: string | null;
  readonly suspendedAt: string | null;
  readonly resumedAt: string | null;
  readonly closedAt: string | null;
  readonly closureOutcome: ClosureOutcome | null;
  readonly withdrawnAt: string | null;
  readonly withdrawalBasis: WithdrawalBasis | null;
  /** Due time of the earliest deadline still running (a breached one included). */
  readonly nextDeadline: string | null;
  readonly nextDeadlineKind: DeadlineKind | null;
  /** A missed deadline has been recorded and what it awaited has not come. */
  readonly overdue: boolean;
  /** Every deadline the case's workflow has set, and where each stands. */
  readonly deadlines: readonly DeadlineSummary[];
  /** The case revision the row reflects (the ETag of the case). */
  readonly revision: string;
  /** The global position of the last event reflected: a read-your-writes token (`X-Min-Position`). */
  readonly position: string;
  readonly updatedAt: string;
}

/** A deadline of a case as the API shows it. */
export interface DeadlineSummary {
  readonly deadlineId: string;
  readonly kind: DeadlineKind;
  readonly startedAt: string;
  readonly dueAt: string;
  /** The bank holiday calendar did not cover the period: weekdays only, possibly early. */
  readonly dueAtEstimated: boolean;
  /**
   * `running`: not due or not yet recorded; `breached`: a miss recorded, still awaited; `met`;
   * `met-late`; `cancelled` (the case ended first); `ended` (a recovery period that has run).
   */
  readonly state: 'running' | 'breached' | 'met' | 'met-late' | 'cancelled' | 'ended';
  readonly settledAt: string | null;
}

function deadlineSummary(deadline: TrackedDeadline): DeadlineSummary {
  const { deadlineId, kind, startedAt, dueAt, dueAtEstimated, settled, firedAt } = deadline;
  let state: DeadlineSummary['state'];
  if (deadline.onDue === 'end' && firedAt) state = 'ended';
  else if (settled?.how === 'cancelled') state = 'cancelled';
  else if (settled) state = firedAt || Date.parse(settled.at) > Date.parse(dueAt) ? 'met-late' : 'met';
  else state = firedAt ? 'breached' : 'running';
  return { deadlineId, kind, startedAt, dueAt, dueAtEstimated, state, settledAt: settled?.at ?? null };
}

/** Maps a stored `case_status` row to its DTO; throws `MalformedRowError` on a row of the wrong shape. */
export function toCaseSummary(row: Row): CaseSummary {
  const read = new RowReader('case_status', row);
  return {
    caseId: read.text('case_id'),
    status: read.oneOf('status', CASE_STATUSES),
    statusBeforeSuspension: read.oneOfOrNull('status_before_suspension', CASE_STATUSES),
    suspensionReason: read.oneOfOrNull('suspension_reason', SUSPENSION_REASONS),
    region: read.oneOf('region', REGIONS),
    policeForceArea: read.oneOf('police_force_area', FORCES),
    ageGroup: read.oneOf('age_group', AGE_GROUPS),
    ageGroupAtExploitation: read.oneOf('age_group_at_exploitation', AGE_GROUPS),
    exploitationTypes: read.array<ExploitationType>('exploitation_types'),
    exploitationLocation: read.oneOf('exploitation_location', EXPLOITATION_LOCATIONS),
    referringAgency: read.text('referring_agency'),
    referringAgencyName: organisationName(read.text('referring_agency')) ?? null,
    firstResponderType: read.oneOf('first_responder_type', FIRST_RESPONDER_TYPES),
    leadId: read.text('lead_id'),
    workflow: { id: read.text('workflow_id'), version: read.integer('workflow_version') },
    competentAuthority: read.textOrNull('competent_authority'),
    raisedAt: read.text('raised_at'),
    assessedAt: read.textOrNull('assessed_at'),
    assessmentOutcome: read.oneOfOrNull('assessment_outcome', OUTCOMES),
    recoveryStartedAt: read.textOrNull('recovery_started_at'),
    recoveryEndsAt: read.textOrNull('recovery_ends_at'),
    listedAt: read.textOrNull('listed_at'),
    panelId: read.textOrNull('panel_id'),
    meetingId: read.textOrNull('meeting_id'),
    meetingAt: read.textOrNull('meeting_at'),
    decisionId: read.textOrNull('decision_id'),
    decidedAt: read.textOrNull('decided_at'),
    decisionOutcome: read.oneOfOrNull('decision_outcome', OUTCOMES),
    reviewedAt: read.textOrNull('reviewed_at'),
    reviewOutcome: read.oneOfOrNull('review_outcome', REVIEW_OUTCOMES),
    reconsiderationRequestedAt: read.textOrNull('reconsideration_requested_at'),
    suspendedAt: read.textOrNull('suspended_at'),
    resumedAt: read.textOrNull('resumed_at'),
    closedAt: read.textOrNull('closed_at'),
    closureOutcome: read.oneOfOrNull('closure_outcome', CLOSURE_OUTCOMES),
    withdrawnAt: read.textOrNull('withdrawn_at'),
    withdrawalBasis: read.oneOfOrNull('withdrawal_basis', WITHDRAWAL_BASES),
    nextDeadline: read.textOrNull('next_deadline'),
    nextDeadlineKind: read.oneOfOrNull('next_deadline_kind', DEADLINE_KINDS),
    overdue: read.boolean('overdue'),
    deadlines: read.array<TrackedDeadline>('deadlines').map(deadlineSummary),
    revision: String(read.integer('revision')),
    position: read.position(),
    updatedAt: read.text('updated_at'),
  };
}
