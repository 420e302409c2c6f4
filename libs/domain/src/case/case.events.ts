import { assertNever } from '../shared/assert-never.helper';
import type {
  CaseClosedDataV1,
  CaseListedForPanelDataV1,
  CaseResumedDataV1,
  CaseSuspendedDataV1,
  CompetentAuthorityAllocatedDataV1,
  DeadlineBreachedDataV1,
  DecisionRecordedDataV1,
  EvidenceAddedDataV1,
  ImmediateSupportArrangedDataV1,
  InformationReceivedDataV1,
  InformationRequestedDataV1,
  LeadAssessmentRecordedDataV2,
  PanelConvenedDataV2,
  ReasonableGroundsDecisionMadeDataV1,
  ReconsiderationRequestedDataV1,
  RecoveryPeriodEndedDataV1,
  ReferralRaisedDataV2,
  ReferralWithdrawnDataV1,
  SecondReviewCompletedDataV1,
} from '../generated/event-data';
import type { DeepReadonly } from '../shared/deep-readonly.type';

/**
 * An event as the domain sees it: a stored, never-changing `type` and readonly data whose shape is
 * generated from the event's JSON Schema. The application layer adds metadata when it appends.
 */
export interface DomainEvent<Type extends string, Data> {
  readonly type: Type;
  readonly data: DeepReadonly<Data>;
}

/** A lead accepted a referral; the case starts as `referred`. */
export type ReferralRaised = DomainEvent<'ReferralRaised', ReferralRaisedDataV2>;
/**
 * Central route: the case was allocated, with the referral, to the competent authority that
 * decides it (by nationality, as the definition's allocation says).
 */
export type CompetentAuthorityAllocated = DomainEvent<'CompetentAuthorityAllocated', CompetentAuthorityAllocatedDataV1>;
/** Immediate support was arranged for the potential victim. */
export type ImmediateSupportArranged = DomainEvent<'ImmediateSupportArranged', ImmediateSupportArrangedDataV1>;
/** The lead recorded whether they believe the person is a victim; positive starts recovery. */
export type LeadAssessmentRecorded = DomainEvent<'LeadAssessmentRecorded', LeadAssessmentRecordedDataV2>;
/**
 * The competent authority made the reasonable grounds decision (central route); positive starts
 * recovery, negative leaves the case `assessment-negative`.
 */
export type ReasonableGroundsDecisionMade = DomainEvent<
  'ReasonableGroundsDecisionMade',
  ReasonableGroundsDecisionMadeDataV1
>;
/** The case was listed for a panel meeting. */
export type CaseListedForPanel = DomainEvent<'CaseListedForPanel', CaseListedForPanelDataV1>;
/** The chair convened the panel meeting with the members present. */
export type PanelConvened = DomainEvent<'PanelConvened', PanelConvenedDataV2>;
/** The conclusive grounds decision: by the panel (pilot) or the competent authority (central). */
export type DecisionRecorded = DomainEvent<'DecisionRecorded', DecisionRecordedDataV1>;
/** A negative decision was reviewed by someone who took no part in it. */
export type SecondReviewCompleted = DomainEvent<'SecondReviewCompleted', SecondReviewCompletedDataV1>;
/** A negative outcome is to be reconsidered. */
export type ReconsiderationRequested = DomainEvent<'ReconsiderationRequested', ReconsiderationRequestedDataV1>;
/** Further information was requested. */
export type InformationRequested = DomainEvent<'InformationRequested', InformationRequestedDataV1>;
/** The answer to an information request arrived. */
export type InformationReceived = DomainEvent<'InformationReceived', InformationReceivedDataV1>;
/** The scheduler found a soft deadline missed (a record of the miss, never a block). */
export type DeadlineBreached = DomainEvent<'DeadlineBreached', DeadlineBreachedDataV1>;
/** The scheduler found the minimum recovery period run. */
export type RecoveryPeriodEnded = DomainEvent<'RecoveryPeriodEnded', RecoveryPeriodEndedDataV1>;
/** Evidence was added to the case file. */
export type EvidenceAdded = DomainEvent<'EvidenceAdded', EvidenceAddedDataV1>;
/** The case was paused. */
export type CaseSuspended = DomainEvent<'CaseSuspended', CaseSuspendedDataV1>;
/** The case resumed where it was paused. */
export type CaseResumed = DomainEvent<'CaseResumed', CaseResumedDataV1>;
/** An adult withdrew from the NRM. Terminal. */
export type ReferralWithdrawn = DomainEvent<'ReferralWithdrawn', ReferralWithdrawnDataV1>;
/** The case was closed. Terminal. */
export type CaseClosed = DomainEvent<'CaseClosed', CaseClosedDataV1>;

/** Every event of a `case-<caseId>` stream. */
export type CaseEvent =
  | ReferralRaised
  | CompetentAuthorityAllocated
  | ImmediateSupportArranged
  | LeadAssessmentRecorded
  | ReasonableGroundsDecisionMade
  | CaseListedForPanel
  | PanelConvened
  | DecisionRecorded
  | SecondReviewCompleted
  | ReconsiderationRequested
  | InformationRequested
  | InformationReceived
  | EvidenceAdded
  | CaseSuspended
  | CaseResumed
  | ReferralWithdrawn
  | CaseClosed
  | DeadlineBreached
  | RecoveryPeriodEnded;

/** The stored name of a case event. */
export type CaseEventType = CaseEvent['type'];

/** Every case event type, in workflow order (a spec holds it equal to {@link CaseEvent}). */
export const CASE_EVENT_TYPES = [
  'ReferralRaised',
  'CompetentAuthorityAllocated',
  'ImmediateSupportArranged',
  'LeadAssessmentRecorded',
  'ReasonableGroundsDecisionMade',
  'CaseListedForPanel',
  'PanelConvened',
  'DecisionRecorded',
  'SecondReviewCompleted',
  'ReconsiderationRequested',
  'InformationRequested',
  'InformationReceived',
  'EvidenceAdded',
  'CaseSuspended',
  'CaseResumed',
  'ReferralWithdrawn',
  'CaseClosed',
  'DeadlineBreached',
  'RecoveryPeriodEnded',
] as const satisfies readonly CaseEventType[];

/** The stream of one case. */
export function caseStreamName(caseId: string): string {
  return `case-${caseId}`;
}

/**
 * The business time of a case event: when it happened, as the command that produced it said (the
 * scheduler's events happen when the deadline fell due). Deadlines start and settle at these times.
 */
export function businessTimeOf(event: CaseEvent): string {
  switch (event.type) {
    case 'ReferralRaised':
      return event.data.raisedAt;
    case 'CompetentAuthorityAllocated':
      return event.data.allocatedAt;
    case 'ImmediateSupportArranged':
      return event.data.arrangedAt;
    case 'LeadAssessmentRecorded':
      return event.data.assessedAt;
    case 'ReasonableGroundsDecisionMade':
      return event.data.decidedAt;
    case 'CaseListedForPanel':
      return event.data.listedAt;
    case 'PanelConvened':
      return event.data.convenedAt;
    case 'DecisionRecorded':
      return event.data.decidedAt;
    case 'SecondReviewCompleted':
      return event.data.reviewedAt;
    case 'ReconsiderationRequested':
    case 'InformationRequested':
      return event.data.requestedAt;
    case 'InformationReceived':
      return event.data.receivedAt;
    case 'EvidenceAdded':
      return event.data.addedAt;
    case 'CaseSuspended':
      return event.data.suspendedAt;
    case 'CaseResumed':
      return event.data.resumedAt;
    case 'ReferralWithdrawn':
      return event.data.withdrawnAt;
    case 'CaseClosed':
      return event.data.closedAt;
    case 'DeadlineBreached':
      return event.data.dueAt;
    case 'RecoveryPeriodEnded':
      return event.data.endedAt;
    default:
      return assertNever(event);
  }
}
