/**
 * The rules a decider may refuse a command with, each a stable kebab-case name: the API returns
 * it as the problem type of an HTTP 422, so clients may branch on it. Renaming one is a breaking
 * change.
 */
export const RULES = [
  // Workflow
  'case-closed',
  'business-time-before-referral',
  'business-time-before-last-entry',
  'command-not-allowed-in-state',
  'no-workflow-for-region',
  // Referral intake (first responders)
  'not-a-first-responder',
  'referral-already-submitted',
  'referral-not-awaiting-acceptance',
  // Referral
  'force-not-in-region',
  'adult-consent-required',
  'child-needs-local-authority-contact',
  'age-group-contradicts-date-of-birth',
  'age-groups-inconsistent',
  'only-adults-may-withdraw',
  'support-provider-for-age-group',
  // Assessment, listing and panel
  'needs-positive-lead-assessment',
  'written-rationale-required',
  'panel-notice-7-days',
  'urgency-needs-reason',
  'meeting-in-the-past',
  'meeting-not-listed',
  'panel-not-before-listed-meeting',
  'panel-needs-independent-chair',
  'duplicate-panel-member',
  'panel-quorum-5',
  'unknown-panel',
  'panel-serves-another-region',
  'panel-member-from-another-region',
  'panel-already-registered',
  // Panel meetings
  'meeting-already-scheduled',
  'meeting-not-scheduled',
  'meeting-minuted',
  'case-not-listed-to-panel',
  'case-already-on-agenda',
  'case-not-on-agenda',
  'outcome-already-recorded',
  'attendance-not-recorded',
  'not-invited-to-meeting',
  'panel-discipline-missing',
  'votes-do-not-support-outcome',
  'outcome-needs-reason',
  'agenda-item-without-outcome',
  'pack-not-issued',
  // Decision and review
  'needs-convened-panel',
  'decision-by-presiding-chair',
  'recovery-period-not-elapsed',
  'evidence-not-on-file',
  'member-not-present',
  'conflicted-member-excluded',
  'duplicate-vote',
  'dissent-contradicts-vote',
  'second-reviewer-took-part',
  'wrong-competent-authority',
  // Evidence and information
  'evidence-already-on-file',
  'due-date-in-the-past',
  'information-request-not-open',
  // Duty to Notify
  'dtn-adults-only',
  'dtn-already-reported',
  'dtn-not-a-notifying-authority',
  'dtn-before-commencement',
  'dtn-england-and-wales-only',
  // Personal data: legal holds and erasure
  'legal-hold-already-placed',
  'no-legal-hold',
  'legal-hold-blocks-erasure',
  'subject-already-erased',
  'subject-data-erased',
  // Input invariants shared by many commands
  'text-required',
  'selection-required',
  'invalid-date-time',
  'unknown-organisation',
] as const;

/** The name of a business rule (see {@link RULES}). */
export type RuleName = (typeof RULES)[number];

/** Why an actor may not issue a command (see {@link NotPermittedError}). */
export type NotPermittedReason = 'role-not-permitted' | 'outside-region' | 'not-on-case-panel' | 'not-the-referrer';

/**
 * How an error is shown as RFC 9457 problem details. The domain imports nothing, so this is the
 * shape `@harbour/shared`'s `ProblemShape` has, matched structurally.
 */
export interface DomainProblem {
  readonly slug: string;
  readonly title: string;
  readonly status: number;
  readonly detail?: string;
  readonly extensions?: Readonly<Record<string, unknown>>;
}

/**
 * Base of the domain's typed errors. Those a client causes say how they are shown (`asProblem`);
 * the others (corrupt history, a date outside the calendar) are bugs and are shown as a bare 500.
 */
export abstract class DomainError extends Error {
  abstract readonly code: string;
}

/** The command breaks a business rule (HTTP 422, problem type = `rule`). */
export class RuleBrokenError extends DomainError {
  readonly code = 'rule-broken';
  constructor(
    readonly rule: RuleName,
    readonly detail: string,
    /** The field of the command at fault, where one is (shown as the problem's `field`). */
    readonly field?: string,
  ) {
    super(`${rule}: ${detail}`);
    this.name = 'RuleBrokenError';
  }

  get asProblem(): DomainProblem {
    const { rule, detail, field } = this;
    return {
      slug: `rules/${rule}`,
      title: 'A rule of the workflow was broken',
      status: 422,
      detail,
      extensions: field === undefined ? { rule } : { rule, field },
    };
  }
}

/**
 * The actor may not issue this command (HTTP 403): their role may not in this state, or the case
 * lies outside their region or panel.
 */
export class NotPermittedError extends DomainError {
  readonly code = 'not-permitted';
  constructor(
    readonly reason: NotPermittedReason,
    detail: string,
  ) {
    super(detail);
    this.name = 'NotPermittedError';
  }

  get asProblem(): DomainProblem {
    return { slug: 'forbidden', title: 'Not permitted', status: 403, detail: this.message };
  }
}

/** A command other than `RaiseReferral` named a case that does not exist (HTTP 404). */
export class CaseNotFoundError extends DomainError {
  readonly code = 'case-not-found';
  constructor(readonly caseId: string) {
    super(`Case ${caseId} does not exist`);
    this.name = 'CaseNotFoundError';
  }

  get asProblem(): DomainProblem {
    return { slug: 'not-found', title: 'Not found', status: 404, detail: this.message };
  }
}

/** No case holds personal data of this subject (HTTP 404). */
export class SubjectNotFoundError extends DomainError {
  readonly code = 'subject-not-found';
  constructor(readonly subjectId: string) {
    super(`No case holds data of subject ${subjectId}`);
    this.name = 'SubjectNotFoundError';
  }

  get asProblem(): DomainProblem {
    return { slug: 'not-found', title: 'Not found', status: 404, detail: this.message };
  }
}

/**
 * No referral was submitted under this id, or it is not the reader's to see: answered alike
 * (HTTP 404), so ids of other organisations' referrals are not disclosed.
 */
export class SubmissionNotFoundError extends DomainError {
  readonly code = 'submission-not-found';
  constructor(readonly submissionId: string) {
    super(`No referral ${submissionId} was submitted that this user may see`);
    this.name = 'SubmissionNotFoundError';
  }

  get asProblem(): DomainProblem {
    return { slug: 'not-found', title: 'Not found', status: 404, detail: this.message };
  }
}

/** `RaiseReferral` named a case id that is already taken (HTTP 409). */
export class CaseAlreadyExistsError extends DomainError {
  readonly code = 'case-already-exists';
  constructor(readonly caseId: string) {
    super(`Case ${caseId} already exists`);
    this.name = 'CaseAlreadyExistsError';
  }

  get asProblem(): DomainProblem {
    return { slug: 'case-exists', title: 'The case already exists', status: 409, detail: this.message };
  }
}

/**
 * A stream's history cannot be folded: an event arrived in a state it can never follow. History
 * is the truth, so this means corrupt or hand-edited data (HTTP 500), never a user error.
 */
export class InvalidHistoryError extends DomainError {
  readonly code = 'invalid-history';
  constructor(
    readonly eventType: string,
    readonly status: string,
  ) {
    super(`${eventType} cannot follow a stream in state ${status}`);
    this.name = 'InvalidHistoryError';
  }
}
