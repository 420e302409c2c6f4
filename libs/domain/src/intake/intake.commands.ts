import type { RaiseReferralData } from '../case/case.commands';

/**
 * A first responder submits a referral for its organisation (role `first-responder`; the token's
 * `agency` must be a first responder organisation and becomes the referring agency).
 */
export interface SubmitReferral {
  readonly type: 'SubmitReferral';
  readonly submissionId: string;
  /** The referral; its organisation and that organisation's type come from the token. */
  readonly data: Omit<RaiseReferralData, 'referringAgency' | 'firstResponderType'>;
}

/** The region's lead (pilot) or the competent authority (central) accepts it into case `caseId`. */
export interface AcceptReferral {
  readonly type: 'AcceptReferral';
  readonly submissionId: string;
  readonly caseId: string;
}

/** The region's lead (pilot) or the competent authority (central) returns it with a reason. */
export interface ReturnReferral {
  readonly type: 'ReturnReferral';
  readonly submissionId: string;
  readonly reason: string;
}

/** Every command to an `intake-<submissionId>` stream. */
export type IntakeCommand = SubmitReferral | AcceptReferral | ReturnReferral;
