import type { PoliceForceArea, Region } from '../shared/police-regions.model';
import type {
  AgeGroup,
  EvidenceKind,
  ExploitationLocation,
  ExploitationType,
  FirstResponderLocation,
  FirstResponderType,
  Outcome,
  PanelDiscipline,
  ReconsiderationRequester,
  ReviewOutcome,
  SupportKind,
  SuspensionReason,
  Vote,
  WithdrawalBasis,
} from '../shared/vocabulary.model';
import type { ReferralRaised } from './case.events';

/**
 * A command to a case: imperative, plain data. Ids inside `data` (decisionId, evidenceId, ...) are
 * chosen by the caller, so a retried command produces the same events.
 */
export interface CaseCommandOf<Type extends string, Data> {
  readonly type: Type;
  readonly caseId: string;
  readonly data: Data;
}

/** The potential victim's personal details, as the referral records them. */
export type Subject = ReferralRaised['data']['subject'];

/** The local authority contact required for a child. */
export type LocalAuthorityContact = NonNullable<ReferralRaised['data']['localAuthorityContact']>;

export interface RaiseReferralData {
  readonly firstResponderLocation: FirstResponderLocation;
  /** Age group now; `unknown` is treated as a child. */
  readonly ageGroup: AgeGroup;
  readonly ageGroupAtExploitation: AgeGroup;
  readonly region: Region;
  /** Must be a force of `region`. */
  readonly policeForceArea: PoliceForceArea;
  readonly referringAgency: string;
  readonly firstResponderType: FirstResponderType;
  /** At least one; duplicates are dropped. */
  readonly exploitationTypes: readonly ExploitationType[];
  readonly exploitationLocation: ExploitationLocation;
  /** Required (given, with the time it was recorded) for an adult; a child needs none. */
  readonly consent: { readonly given: boolean; readonly recordedAt?: string };
  /** Required for a child (and for an unknown age). */
  readonly localAuthorityContact?: LocalAuthorityContact;
  readonly subject: Subject;
  /** The lead's free-text account. */
  readonly account: string;
}
/** A Slavery Safeguarding Lead accepts a referral (role `lead`, own region). */
export type RaiseReferral = CaseCommandOf<'RaiseReferral', RaiseReferralData>;

export interface ArrangeImmediateSupportData {
  readonly supportId: string;
  readonly kinds: readonly SupportKind[];
  readonly provider: string;
  readonly notes?: string;
}
/** Record immediate support arranged for the potential victim (role `lead`). */
export type ArrangeImmediateSupport = CaseCommandOf<'ArrangeImmediateSupport', ArrangeImmediateSupportData>;

export interface RecordLeadAssessmentData {
  readonly assessmentId: string;
  readonly outcome: Outcome;
  readonly rationale: string;
}
/** The lead records whether they believe the person is a victim (role `lead`). */
export type RecordLeadAssessment = CaseCommandOf<'RecordLeadAssessment', RecordLeadAssessmentData>;

export interface MakeReasonableGroundsDecisionData {
  readonly decisionId: string;
  readonly outcome: Outcome;
  readonly rationale: string;
}
/**
 * The competent authority decides whether there are reasonable grounds to believe the person is a
 * victim (role `competent-authority`; the central route's counterpart of the lead assessment).
 */
export type MakeReasonableGroundsDecision = CaseCommandOf<
  'MakeReasonableGroundsDecision',
  MakeReasonableGroundsDecisionData
>;

export interface ListCaseForPanelData {
  readonly panelId: string;
  readonly meetingId: string;
  readonly meetingAt: string;
  /** Lifts the notice period; needs an `urgencyReason`. */
  readonly urgent: boolean;
  /** Required when urgent, ignored otherwise. */
  readonly urgencyReason?: string;
}
/** List (or relist) the case for a panel meeting (role `case-manager`). */
export type ListCaseForPanel = CaseCommandOf<'ListCaseForPanel', ListCaseForPanelData>;

/** A member at the panel meeting. */
export interface PanelMemberAttendance {
  readonly memberId: string;
  readonly agency: string;
  readonly discipline: PanelDiscipline;
  /** The member declared a conflict of interest on this case: present, but takes no part. */
  readonly conflictDeclared: boolean;
}
export interface ConvenePanelData {
  /** The meeting the case is listed to. */
  readonly meetingId: string;
  /** The chair (the actor) declared a conflict of interest on this case. */
  readonly chairDeclaredConflict: boolean;
  readonly members: readonly PanelMemberAttendance[];
}
/** The independent chair convenes the meeting for this case (role `panel-chair`). */
export type ConvenePanel = CaseCommandOf<'ConvenePanel', ConvenePanelData>;

export interface RecordDecisionData {
  readonly decisionId: string;
  readonly outcome: Outcome;
  readonly rationale: string;
  /** Ids of evidence on the case file the decision relies on. */
  readonly evidenceReliedOn: readonly string[];
  readonly votes: readonly { readonly memberId: string; readonly vote: Vote }[];
  readonly dissent: readonly { readonly memberId: string; readonly reason: string }[];
}
/**
 * Record the conclusive grounds decision: the presiding chair for the panel (pilot), or the
 * competent authority with no panel, so with no votes or dissent (central).
 */
export type RecordDecision = CaseCommandOf<'RecordDecision', RecordDecisionData>;

export interface CompleteSecondReviewData {
  readonly reviewId: string;
  readonly outcome: ReviewOutcome;
  readonly rationale: string;
}
/** Someone who took no part in a negative decision reviews it (the roles the workflow names). */
export type CompleteSecondReview = CaseCommandOf<'CompleteSecondReview', CompleteSecondReviewData>;

export interface RequestReconsiderationData {
  readonly reconsiderationId: string;
  readonly requestedBy: ReconsiderationRequester;
  readonly grounds: string;
}
/** Ask for a negative outcome to be reconsidered (role `lead`, for the first responder or support provider). */
export type RequestReconsideration = CaseCommandOf<'RequestReconsideration', RequestReconsiderationData>;

export interface RequestInformationData {
  readonly requestId: string;
  readonly requestedFrom: string;
  readonly details: string;
  /** When the answer is wanted; after now. */
  readonly dueBy?: string;
}
/** Ask an organisation for information (`case-manager`, or `panel-chair` once listed). */
export type RequestInformation = CaseCommandOf<'RequestInformation', RequestInformationData>;

export interface RecordInformationReceivedData {
  /** The open request this answers. */
  readonly requestId: string;
  readonly summary: string;
}
/** Record the answer to an information request (whoever may request information in the state). */
export type RecordInformationReceived = CaseCommandOf<'RecordInformationReceived', RecordInformationReceivedData>;

export interface AddEvidenceData {
  readonly evidenceId: string;
  readonly kind: EvidenceKind;
  readonly description: string;
}
/** Add evidence to the case file (`lead` or `case-manager`). */
export type AddEvidence = CaseCommandOf<'AddEvidence', AddEvidenceData>;

export interface SuspendCaseData {
  readonly reason: SuspensionReason;
  readonly details?: string;
}
/** Pause the case (role `case-manager`). */
export type SuspendCase = CaseCommandOf<'SuspendCase', SuspendCaseData>;

/** Resume a suspended case where it was paused (role `case-manager`). */
export type ResumeCase = CaseCommandOf<'ResumeCase', Readonly<Record<string, never>>>;

export interface WithdrawReferralData {
  readonly basis: WithdrawalBasis;
  readonly notes?: string;
}
/** Record an adult's withdrawal from the NRM (role `lead`). */
export type WithdrawReferral = CaseCommandOf<'WithdrawReferral', WithdrawReferralData>;

export interface CloseCaseData {
  readonly notes?: string;
}
/** Close a concluded case (role `case-manager`). */
export type CloseCase = CaseCommandOf<'CloseCase', CloseCaseData>;

/** Every command to a case. */
export type CaseCommand =
  | RaiseReferral
  | ArrangeImmediateSupport
  | RecordLeadAssessment
  | MakeReasonableGroundsDecision
  | ListCaseForPanel
  | ConvenePanel
  | RecordDecision
  | CompleteSecondReview
  | RequestReconsideration
  | RequestInformation
  | RecordInformationReceived
  | AddEvidence
  | SuspendCase
  | ResumeCase
  | WithdrawReferral
  | CloseCase;

/** The name of a case command. */
export type CaseCommandType = CaseCommand['type'];

/** Every case command type, in workflow order (a spec holds it equal to {@link CaseCommand}). */
export const CASE_COMMAND_TYPES = [
  'RaiseReferral',
  'ArrangeImmediateSupport',
  'RecordLeadAssessment',
  'MakeReasonableGroundsDecision',
  'ListCaseForPanel',
  'ConvenePanel',
  'RecordDecision',
  'CompleteSecondReview',
  'RequestReconsideration',
  'RequestInformation',
  'RecordInformationReceived',
  'AddEvidence',
  'SuspendCase',
  'ResumeCase',
  'WithdrawReferral',
  'CloseCase',
] as const satisfies readonly CaseCommandType[];
