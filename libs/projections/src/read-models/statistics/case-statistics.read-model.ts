import {
  type AgeGroup,
  type CaseEvent,
  type CaseStatus,
  type DeadlineKind,
  type ExploitationLocation,
  type ExploitationType,
  EXPLOITATION_TYPES,
  type FirstResponderType,
  type Outcome,
  type PanelDiscipline,
  type PoliceForceArea,
  type ReferralRaised,
  type Region,
  type ReviewOutcome,
} from '@harbour/domain';
import type { RecordedEvent } from '@harbour/event-store';
import type { ColumnSpec } from '@harbour/read-store';
import type { Projection, ReadModel } from '../../projection';
import { dutyToNotifyReadModel } from '../duty-to-notify/duty-to-notify.read-model';
import { alreadyApplied, canonicalTime, caseEventAmong, revisionValue, unreachable } from '../shared/case-event.reader';
import { ContradictoryEventError, RowNotFoundError } from '../shared/read-model.errors';
import { subjectCategoriesOf, type GenderCategory } from './statistics-subject.adapter';

/**
 * The route a case runs on, as the statistics compare them: the 2015 pilot (lead assessment,
 * regional panel) or the central route (competent authority decisions). Derived from the workflow
 * definition the case is pinned to.
 */
export type StatisticsRoute = 'pilot' | 'central' | 'other';

/** The route of a workflow definition id. */
export function routeOfWorkflow(workflowId: string): StatisticsRoute {
  if (workflowId.startsWith('nrm-pilot-')) return 'pilot';
  if (workflowId.startsWith('nrm-central-')) return 'central';
  return 'other';
}

/**
 * One dated fact of a case's life, as the statistics count it: categories, outcomes and business
 * times only (never a rationale, a note, a name or a person's id). `at` is the business time.
 */
export type StatisticsMilestone =
  | {
      readonly kind: 'first-gate';
      readonly at: string;
      /** The pilot's lead assessment or the central route's reasonable grounds decision. */
      readonly gate: 'lead-assessment' | 'reasonable-grounds';
      readonly outcome: Outcome;
      /** The deciding competent authority's agency id (reasonable grounds only), from the event's actor. */
      readonly authority?: string;
    }
  | {
      /** Central route: the competent authority allocated by nationality, with the referral. */
      readonly kind: 'allocated';
      readonly at: string;
      readonly authority: string;
      readonly basis: 'eea-national' | 'non-eea-national';
    }
  | { readonly kind: 'listed'; readonly at: string; readonly panelId: string; readonly urgent: boolean }
  | {
      readonly kind: 'panel-sitting';
      readonly at: string;
      readonly panelId: string;
      readonly meetingId: string;
      /** Members present and taking part (no declared conflict), by agency and by discipline. */
      readonly byAgency: Readonly<Record<string, number>>;
      readonly byDiscipline: Readonly<Partial<Record<PanelDiscipline, number>>>;
      readonly conflicts: number;
    }
  | {
      readonly kind: 'conclusive-decision';
      readonly at: string;
      readonly outcome: Outcome;
      readonly by: 'panel' | 'competent-authority';
      readonly meetingId: string | null;
      /** The deciding competent authority's agency id (competent-authority decisions only), from the event's actor. */
      readonly authority?: string;
    }
  | { readonly kind: 'second-review'; readonly at: string; readonly outcome: ReviewOutcome }
  | {
      readonly kind: 'reconsideration-requested';
      readonly at: string;
      readonly of: 'first-gate' | 'conclusive-decision';
    }
  | { readonly kind: 'information-requested'; readonly at: string }
  | { readonly kind: 'suspended'; readonly at: string }
  | { readonly kind: 'resumed'; readonly at: string }
  | { readonly kind: 'withdrawn'; readonly at: string }
  | { readonly kind: 'closed'; readonly at: string }
  | {
      readonly kind: 'deadline-missed';
      /** When the deadline fell due (the business time of the miss). */
      readonly at: string;
      readonly deadline: DeadlineKind;
    };

/** A status the case entered, and when (business time). */
export type StatisticsStatusChange = readonly [at: string, status: CaseStatus];

/**
 * One row per case: the **record-level facts** the published statistics are aggregated from, like
 * the pseudonymised NRM microdata. Categories, business times, outcomes and counts, and no
 * personal data: no name, date of birth, nationality, contact, free text, or staff id. Gender is
 * the only thing read from the potential victim's (personal) details, as a category, through
 * {@link subjectCategoriesOf}.
 *
 * Reports aggregate these rows for any period (counts by quarter, durations, stocks at a period
 * end), so the table stays one row per case and a pure `evolve`: a pre-aggregated count would be
 * touched by every case's events and could not be made idempotent per stream. It is still
 * record-level data: serve it to the reporting job (analyst), never as a per-case API.
 */
export type CaseStatisticsRow = {
  readonly case_id: string;
  readonly route: StatisticsRoute;
  readonly workflow_id: string;
  readonly region: Region;
  readonly police_force_area: PoliceForceArea;
  /** Age at exploitation, the age group the NRM statistics publish. */
  readonly age_group: AgeGroup;
  readonly gender: GenderCategory;
  /** Distinct, in the vocabulary's order: `['labour', 'criminal']` is labour and criminal exploitation. */
  readonly exploitation_types: readonly ExploitationType[];
  readonly exploitation_location: ExploitationLocation;
  readonly first_responder_type: FirstResponderType;
  readonly referred_at: string;
  readonly status: CaseStatus;
  readonly status_history: readonly StatisticsStatusChange[];
  readonly milestones: readonly StatisticsMilestone[];
  /** The case stream revision that last changed the row (idempotency). */
  readonly revision: number;
};

const text: ColumnSpec = { type: 'text' };
const json: ColumnSpec = { type: 'json' };

const COLUMNS: { readonly [Column in keyof CaseStatisticsRow]-?: ColumnSpec } = {
  case_id: text,
  route: text,
  workflow_id: text,
  region: text,
  police_force_area: text,
  age_group: text,
  gender: text,
  exploitation_types: json,
  exploitation_location: text,
  first_responder_type: text,
  referred_at: { type: 'timestamp' },
  status: text,
  status_history: json,
  milestones: json,
  revision: { type: 'integer' },
};

export const CASE_STATISTICS_TABLE = 'case_statistics';

// Evidence, support and information answers change nothing the statistics count.
const HANDLED = [
  'ReferralRaised',
  'CompetentAuthorityAllocated',
  'LeadAssessmentRecorded',
  'ReasonableGroundsDecisionMade',
  'CaseListedForPanel',
  'PanelConvened',
  'DecisionRecorded',
  'SecondReviewCompleted',
  'ReconsiderationRequested',
  'InformationRequested',
  'CaseSuspended',
  'CaseResumed',
  'ReferralWithdrawn',
  'CaseClosed',
  'DeadlineBreached',
] as const satisfies readonly CaseEvent['type'][];

/** The `case_statistics` read model (see {@link CaseStatisticsRow}). */
export const caseStatisticsReadModel: ReadModel<CaseStatisticsRow> = {
  table: CASE_STATISTICS_TABLE,
  columns: COLUMNS,
  key: ['case_id'],
  indexes: [['referred_at'], ['route', 'referred_at']],
  handles: HANDLED,
  keyOf: (event) => {
    const caseEvent = caseEventAmong(event, HANDLED);
    return caseEvent && { case_id: caseEvent.data.caseId };
  },
  evolve: evolveCaseStatistics,
};

/**
 * The statistics projection, on its own checkpoint: reports pin themselves to its position, and a
 * rebuild of the case read models never moves it.
 */
export const STATISTICS: Projection = {
  name: 'statistics',
  // 2: first gate and conclusive milestones name the competent authority that decided.
  // 3: the central route's allocation by nationality (an `allocated` milestone); the
  // duty_to_notify table of anonymous Duty to Notify reports.
  version: 3,
  readModels: [caseStatisticsReadModel as unknown as ReadModel, dutyToNotifyReadModel as unknown as ReadModel],
  onFailure: 'park',
};

/** The exploitation types of a referral, distinct and in the vocabulary's order. */
export function canonicalExploitationTypes(types: readonly ExploitationType[]): ExploitationType[] {
  return EXPLOITATION_TYPES.filter((type) => types.includes(type));
}

function evolveCaseStatistics(row: CaseStatisticsRow | null, recorded: RecordedEvent): CaseStatisticsRow | null {
  const event = caseEventAmong(recorded, HANDLED);
  if (!event || alreadyApplied(row, recorded)) return row;
  const at = (value: string) => canonicalTime(value, recorded);
  if (event.type === 'ReferralRaised') {
    if (row !== null) {
      throw new ContradictoryEventError(CASE_STATISTICS_TABLE, row.case_id, 'the case was raised a second time');
    }
    return opened(event, at, revisionValue(recorded));
  }
  if (row === null) throw new RowNotFoundError(CASE_STATISTICS_TABLE, event.data.caseId, event.type);
  const change = applied(event, at, agencyOf(recorded));
  const status = change.status ?? row.status;
  return {
    ...row,
    status,
    status_history: change.status ? [...row.status_history, [change.at, change.status]] : row.status_history,
    milestones: change.milestone ? [...row.milestones, change.milestone] : row.milestones,
    revision: revisionValue(recorded),
  };
}

function opened({ data }: ReferralRaised, at: (value: string) => string, revision: number): CaseStatisticsRow {
  const referredAt = at(data.raisedAt);
  return {
    case_id: data.caseId,
    route: routeOfWorkflow(data.workflow.id),
    workflow_id: data.workflow.id,
    region: data.region,
    police_force_area: data.policeForceArea,
    age_group: data.ageGroupAtExploitation,
    gender: subjectCategoriesOf(data.subject).gender,
    exploitation_types: canonicalExploitationTypes(data.exploitationTypes),
    exploitation_location: data.exploitationLocation,
    first_responder_type: data.firstResponderType,
    referred_at: referredAt,
    status: 'referred',
    status_history: [[referredAt, 'referred']],
    milestones: [],
    revision,
  };
}

interface Change {
  readonly at: string;
  readonly status?: CaseStatus;
  readonly milestone?: StatisticsMilestone;
}

type Handled = Exclude<Extract<CaseEvent, { type: (typeof HANDLED)[number] }>, ReferralRaised>;

// Status changes mirror the domain's evolveCase, read from what the event data names
// (suspendedFrom, resumedTo, returnsTo), as case_status does.
/** The agency of the actor who recorded the event (metadata), if it names one. */
function agencyOf(recorded: RecordedEvent): string | undefined {
  const actor = recorded.metadata.actor;
  const agency = typeof actor === 'object' && actor !== null ? (actor as { agency?: unknown }).agency : undefined;
  return typeof agency === 'string' ? agency : undefined;
}

function applied(event: Handled, at: (value: string) => string, agency: string | undefined): Change {
  switch (event.type) {
    case 'CompetentAuthorityAllocated': {
      const { data } = event;
      const when = at(data.allocatedAt);
      return {
        at: when,
        milestone: { kind: 'allocated', at: when, authority: data.competentAuthority, basis: data.basis },
      };
    }
    case 'LeadAssessmentRecorded':
    case 'ReasonableGroundsDecisionMade': {
      const when = at(event.type === 'LeadAssessmentRecorded' ? event.data.assessedAt : event.data.decidedAt);
      const gate = event.type === 'LeadAssessmentRecorded' ? 'lead-assessment' : 'reasonable-grounds';
      return {
        at: when,
        status: event.data.outcome === 'positive' ? 'recovery' : 'assessment-negative',
        milestone: {
          kind: 'first-gate',
          at: when,
          gate,
          outcome: event.data.outcome,
          ...(gate === 'reasonable-grounds' && agency !== undefined ? { authority: agency } : {}),
        },
      };
    }
    case 'CaseListedForPanel': {
      const when = at(event.data.listedAt);
      return {
        at: when,
        status: 'listed',
        milestone: { kind: 'listed', at: when, panelId: event.data.panelId, urgent: event.data.urgent },
      };
    }
    case 'PanelConvened': {
      const when = at(event.data.convenedAt);
      const byAgency: Record<string, number> = {};
      const byDiscipline: Partial<Record<PanelDiscipline, number>> = {};
      let conflicts = 0;
      for (const member of event.data.members) {
        if (member.conflictDeclared) {
          conflicts += 1;
          continue;
        }
        byAgency[member.agency] = (byAgency[member.agency] ?? 0) + 1;
        byDiscipline[member.discipline] = (byDiscipline[member.discipline] ?? 0) + 1;
      }
      return {
        at: when,
        status: 'panel-convened',
        milestone: {
          kind: 'panel-sitting',
          at: when,
          panelId: event.data.panelId,
          meetingId: event.data.meetingId,
          byAgency: sortedRecord(byAgency),
          byDiscipline: sortedRecord(byDiscipline),
          conflicts,
        },
      };
    }
    case 'DecisionRecorded': {
      const when = at(event.data.decidedAt);
      const { decidedBy } = event.data;
      return {
        at: when,
        status: event.data.outcome === 'positive' ? 'decided-positive' : 'decided-negative',
        milestone: {
          kind: 'conclusive-decision',
          at: when,
          outcome: event.data.outcome,
          by: decidedBy.kind,
          meetingId: decidedBy.kind === 'panel' ? decidedBy.meetingId : null,
          ...(decidedBy.kind === 'competent-authority' && agency !== undefined ? { authority: agency } : {}),
        },
      };
    }
    case 'SecondReviewCompleted': {
      const when = at(event.data.reviewedAt);
      return {
        at: when,
        status: event.data.outcome === 'upheld' ? 'negative-upheld' : 'decided-positive',
        milestone: { kind: 'second-review', at: when, outcome: event.data.outcome },
      };
    }
    case 'ReconsiderationRequested': {
      const when = at(event.data.requestedAt);
      return {
        at: when,
        status: event.data.returnsTo,
        milestone: {
          kind: 'reconsideration-requested',
          at: when,
          of: event.data.returnsTo === 'referred' ? 'first-gate' : 'conclusive-decision',
        },
      };
    }
    case 'InformationRequested': {
      const when = at(event.data.requestedAt);
      return { at: when, milestone: { kind: 'information-requested', at: when } };
    }
    case 'CaseSuspended': {
      const when = at(event.data.suspendedAt);
      return { at: when, status: 'suspended', milestone: { kind: 'suspended', at: when } };
    }
    case 'CaseResumed': {
      const when = at(event.data.resumedAt);
      return { at: when, status: event.data.resumedTo, milestone: { kind: 'resumed', at: when } };
    }
    case 'ReferralWithdrawn': {
      const when = at(event.data.withdrawnAt);
      return { at: when, status: 'withdrawn', milestone: { kind: 'withdrawn', at: when } };
    }
    case 'CaseClosed': {
      const when = at(event.data.closedAt);
      return { at: when, status: 'closed', milestone: { kind: 'closed', at: when } };
    }
    case 'DeadlineBreached': {
      const when = at(event.data.dueAt);
      return { at: when, milestone: { kind: 'deadline-missed', at: when, deadline: event.data.kind } };
    }
    default:
      return unreachable(event);
  }
}

// Keys in a fixed order, so the same facts are always the same JSON.
function sortedRecord<V>(record: Readonly<Record<string, V>>): Record<string, V> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
