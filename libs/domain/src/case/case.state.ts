import type { PoliceForceArea, Region } from '../shared/police-regions.model';
import type { AgeGroup, EvidenceKind, Outcome, PanelDiscipline, ReviewOutcome } from '../shared/vocabulary.model';
import type { DecisionRecorded } from './case.events';

/** Every status a case can be in (the initial `none` is not a case yet). */
export const CASE_STATUSES = [
  'referred',
  'recovery',
  'assessment-negative',
  'listed',
  'panel-convened',
  'decided-positive',
  'decided-negative',
  'negative-upheld',
  'suspended',
  'closed',
  'withdrawn',
] as const;

/** A case's status. */
export type CaseStatus = (typeof CASE_STATUSES)[number];

/** The workflow definition a case is pinned to for its whole life. */
export interface WorkflowRef {
  readonly id: string;
  readonly version: number;
}

/** What identifies every existing case, whatever its status (a suspended one included). */
export interface CaseIdentity {
  readonly caseId: string;
  /** The workflow definition the case started under; it runs under it for its whole life. */
  readonly workflow: WorkflowRef;
  /**
   * Business time of the latest entry a person recorded (the referral's, to begin with): the case's
   * business time never goes backwards, so no command may be dated before it. What Harbour records
   * by itself (a deadline missed) does not move it.
   */
  readonly lastEntryAt: string;
}

/** What every existing case knows about the referral and its file, whatever its status. */
export interface CaseFile {
  readonly region: Region;
  readonly policeForceArea: PoliceForceArea;
  /** Age group now; decides consent and withdrawal rules. */
  readonly ageGroup: AgeGroup;
  readonly referringAgency: string;
  readonly raisedAt: string;
  /** Leads who raised or assessed the case: none of them may chair its panel. */
  readonly leadIds: readonly string[];
  /** The panel the case is, or was last, listed to: panel roles act on the case through it. */
  readonly panelId?: string;
  readonly evidence: readonly {
    readonly evidenceId: string;
    readonly kind: EvidenceKind;
    readonly description: string;
  }[];
  /** Information requests not yet answered, by request id. */
  readonly openInformationRequests: readonly string[];
  /**
   * Central route: the registry id of the competent authority the case was allocated to. Absent
   * on the pilot route and on central cases raised before allocation was recorded (any competent
   * authority may act on those).
   */
  readonly competentAuthority?: string;
}

/**
 * The recovery and reflection period, started by a positive lead assessment (pilot) or positive
 * reasonable grounds decision (central).
 */
export interface RecoveryPeriod {
  readonly startsAt: string;
  /** No conclusive decision before this. */
  readonly endsAt: string;
  readonly days: number;
}

/** The meeting a case is listed to. */
export interface Listing {
  readonly panelId: string;
  readonly meetingId: string;
  readonly meetingAt: string;
  readonly urgent: boolean;
}

/** A convened panel: chair and members present (a member with a declared conflict takes no part). */
export interface ConvenedPanel {
  readonly chairId: string;
  readonly members: readonly {
    readonly memberId: string;
    /** A registry id; a name as typed only where `agencyUnverified` (a panel convened before the registry). */
    readonly agency: string;
    readonly agencyUnverified?: boolean;
    readonly discipline: PanelDiscipline;
    readonly conflictDeclared: boolean;
  }[];
}

/** Who made a conclusive grounds decision, as `DecisionRecorded` names them. */
export type DecisionMaker = DecisionRecorded['data']['decidedBy'];

/** A conclusive grounds decision as the case remembers it. */
export interface DecisionOnFile {
  readonly decisionId: string;
  /** The decision's outcome; a second review may later overturn a negative one. */
  readonly outcome: Outcome;
  /** The panel (pilot) or the competent authority caseworker (central). */
  readonly decidedBy: DecisionMaker;
  /**
   * Everyone who took part: at a panel, everyone at the meeting (chair, members including
   * conflicted ones, voters, dissenters); for the competent authority, its decision maker.
   */
  readonly participantIds: readonly string[];
}

/** A completed second review. */
export interface ReviewOnFile {
  readonly reviewId: string;
  readonly outcome: ReviewOutcome;
  readonly reviewerId: string;
}

/** No `ReferralRaised` yet. */
export interface NoCase {
  readonly status: 'none';
}
/** Referred and awaiting the lead's assessment (pilot) or the reasonable grounds decision (central). */
export interface ReferredCase extends CaseIdentity {
  readonly status: 'referred';
  readonly file: CaseFile;
}
/**
 * Positive lead assessment or reasonable grounds decision: in the recovery period, then listed for
 * a panel (pilot) or decided by the competent authority (central).
 */
export interface RecoveryCase extends CaseIdentity {
  readonly status: 'recovery';
  readonly file: CaseFile;
  readonly recoveryPeriod: RecoveryPeriod;
}
/**
 * Negative first gate, to be closed unless reconsidered: a negative lead assessment (pilot) or,
 * on the central route, a negative reasonable grounds decision (`gate` says which).
 */
export interface AssessmentNegativeCase extends CaseIdentity {
  readonly status: 'assessment-negative';
  readonly file: CaseFile;
  readonly gate: 'lead-assessment' | 'reasonable-grounds-decision';
  /** The assessmentId, or the decisionId of the reasonable grounds decision. */
  readonly assessmentId: string;
}
/** Listed for a panel meeting. */
export interface ListedCase extends CaseIdentity {
  readonly status: 'listed';
  readonly file: CaseFile;
  readonly recoveryPeriod: RecoveryPeriod;
  readonly listing: Listing;
}
/** The panel is sitting on the case. */
export interface PanelConvenedCase extends CaseIdentity {
  readonly status: 'panel-convened';
  readonly file: CaseFile;
  readonly recoveryPeriod: RecoveryPeriod;
  readonly listing: Listing;
  readonly panel: ConvenedPanel;
}
/** Found to be a victim (by the decision, or by a second review overturning a negative one). */
export interface DecidedPositiveCase extends CaseIdentity {
  readonly status: 'decided-positive';
  readonly file: CaseFile;
  readonly recoveryPeriod: RecoveryPeriod;
  readonly decision: DecisionOnFile;
  readonly review?: ReviewOnFile;
}
/** Negative decision awaiting second review (or reconsideration). */
export interface DecidedNegativeCase extends CaseIdentity {
  readonly status: 'decided-negative';
  readonly file: CaseFile;
  readonly recoveryPeriod: RecoveryPeriod;
  readonly decision: DecisionOnFile;
}
/** Negative decision upheld on second review. */
export interface NegativeUpheldCase extends CaseIdentity {
  readonly status: 'negative-upheld';
  readonly file: CaseFile;
  readonly recoveryPeriod: RecoveryPeriod;
  readonly decision: DecisionOnFile;
  readonly review: ReviewOnFile;
}
/** Paused; `resumeTo` is the state it was paused in, kept whole so resuming loses nothing. */
export interface SuspendedCase extends CaseIdentity {
  readonly status: 'suspended';
  readonly resumeTo: SuspendableCase;
}
/** Closed. Terminal. */
export interface ClosedCase extends CaseIdentity {
  readonly status: 'closed';
  readonly file: CaseFile;
  readonly closedFrom: CaseStatus;
}
/** Withdrawn by an adult. Terminal. */
export interface WithdrawnCase extends CaseIdentity {
  readonly status: 'withdrawn';
  readonly file: CaseFile;
  readonly withdrawnFrom: CaseStatus;
}

/** An open case that may be suspended. */
export type SuspendableCase =
  | ReferredCase
  | RecoveryCase
  | AssessmentNegativeCase
  | ListedCase
  | PanelConvenedCase
  | DecidedPositiveCase
  | DecidedNegativeCase
  | NegativeUpheldCase;

/** A case that is not closed or withdrawn. */
export type OpenCase = SuspendableCase | SuspendedCase;

/** A case that exists. */
export type ExistingCase = OpenCase | ClosedCase | WithdrawnCase;

/** The state of a case stream, folded from its events. */
export type CaseState = NoCase | ExistingCase;

/** The state of a stream with no events. */
export function initialCaseState(): CaseState {
  return { status: 'none' };
}

/** The case file of an existing case (a suspended case keeps it in the state it resumes to). */
export function caseFileOf(state: ExistingCase): CaseFile {
  return state.status === 'suspended' ? state.resumeTo.file : state.file;
}
