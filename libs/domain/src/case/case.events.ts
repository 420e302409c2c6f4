import type {
  CaseClosedDataV1,
  CaseListedForPanelDataV1,
  CaseResumedDataV1,
  CaseSuspendedDataV1,
  DecisionRecordedDataV1,
  EvidenceAddedDataV1,
  ImmediateSupportArrangedDataV1,
  InformationRequestedDataV1,
  LeadAssessmentRecordedDataV1,
  PanelConvenedDataV1,
  ReasonableGroundsDecisionMadeDataV1,
  ReconsiderationRequestedDataV1,
  ReferralRaisedDataV1,
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
export type ReferralRaised = DomainEvent<'ReferralRaised', ReferralRaisedDataV1>;
/** Immediate support was arranged for the potential victim. */
export type ImmediateSupportArranged = DomainEvent<'ImmediateSupportArranged', ImmediateSupportArrangedDataV1>;
/** The lead recorded whether they believe the person is a victim; positive starts recovery. */
export type LeadAssessmentRecorded = DomainEvent<'LeadAssessmentRecorded', LeadAssessmentRecordedDataV1>;
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
export type PanelConvened = DomainEvent<'PanelConvened', PanelConvenedDataV1>;
/** The conclusive grounds decision: by the panel (pilot) or the competent authority (central). */
export type DecisionRecorded = DomainEvent<'DecisionRecorded', DecisionRecordedDataV1>;
/** A negative decision was reviewed by someone who took no part in it. */
export type SecondReviewCompleted = DomainEvent<'SecondReviewCompleted', SecondReviewCompletedDataV1>;
/** A negative outcome is to be reconsidered. */
export type ReconsiderationRequested = DomainEvent<'ReconsiderationRequested', ReconsiderationRequestedDataV1>;
/** Further information was requested. */
export type InformationRequested = DomainEvent<'InformationRequested', InformationRequestedDataV1>;
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
  | ImmediateSupportArranged
  | LeadAssessmentRecorded
  | ReasonableGroundsDecisionMade
  | CaseListedForPanel
  | PanelConvened
  | DecisionRecorded
  | SecondReviewCompleted
  | ReconsiderationRequested
  | InformationRequested
  | EvidenceAdded
  | CaseSuspended
  | CaseResumed
  | ReferralWithdrawn
  | CaseClosed;

/** The stored name of a case event. */
export type CaseEventType = CaseEvent['type'];

/** Every case event type, in workflow order (a spec holds it equal to {@link CaseEvent}). */
export const CASE_EVENT_TYPES = [
  'ReferralRaised',
  'ImmediateSupportArranged',
  'LeadAssessmentRecorded',
  'ReasonableGroundsDecisionMade',
  'CaseListedForPanel',
  'PanelConvened',
  'DecisionRecorded',
  'SecondReviewCompleted',
  'ReconsiderationRequested',
  'InformationRequested',
  'EvidenceAdded',
  'CaseSuspended',
  'CaseResumed',
  'ReferralWithdrawn',
  'CaseClosed',
] as const satisfies readonly CaseEventType[];

/** The schema version the domain emits for every case event today. */
export const CASE_EVENT_SCHEMA_VERSION = 1;

/** The stream of one case. */
export function caseStreamName(caseId: string): string {
  return `case-${caseId}`;
}
