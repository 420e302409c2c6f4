/**
 * The closed lists of values the referral, decision and Duty to Notify data use. They mirror the
 * enums of the event schemas (a spec holds them equal), and the HTTP edge can validate against them.
 */

/** Where the first responder is located (the route into the NRM). */
export const FIRST_RESPONDER_LOCATIONS = ['england', 'wales', 'scotland', 'northern-ireland'] as const;
export type FirstResponderLocation = (typeof FIRST_RESPONDER_LOCATIONS)[number];

/** Age group; `unknown` is treated as a child (the UK presumption of age). */
export const AGE_GROUPS = ['adult', 'child', 'unknown'] as const;
export type AgeGroup = (typeof AGE_GROUPS)[number];

/** The kind of first responder organisation. */
export const FIRST_RESPONDER_TYPES = ['government-agency', 'police', 'local-authority', 'ngo'] as const;
export type FirstResponderType = (typeof FIRST_RESPONDER_TYPES)[number];

/** Forms of exploitation a referral reports. */
export const EXPLOITATION_TYPES = [
  'labour',
  'sexual',
  'domestic-servitude',
  'criminal',
  'organ-harvesting',
  'not-specified',
] as const;
export type ExploitationType = (typeof EXPLOITATION_TYPES)[number];

/** Where the exploitation took place. */
export const EXPLOITATION_LOCATIONS = ['uk', 'overseas', 'both'] as const;
export type ExploitationLocation = (typeof EXPLOITATION_LOCATIONS)[number];

/** Gender as the potential victim gives it (the Home Office form's three values). */
export const GENDERS = ['female', 'male', 'other'] as const;
export type Gender = (typeof GENDERS)[number];

/** Kinds of immediate support. */
export const SUPPORT_KINDS = [
  'accommodation',
  'subsistence',
  'medical',
  'counselling',
  'legal-advice',
  'interpreter',
  'outreach',
  'other',
] as const;
export type SupportKind = (typeof SUPPORT_KINDS)[number];

/** Kinds of evidence on a case file. */
export const EVIDENCE_KINDS = [
  'statement',
  'medical-report',
  'police-report',
  'local-authority-report',
  'support-provider-report',
  'immigration-record',
  'identity-document',
  'other',
] as const;
export type EvidenceKind = (typeof EVIDENCE_KINDS)[number];

/** The disciplines a panel member brings (the pilot drew members from these services). */
export const PANEL_DISCIPLINES = [
  'police',
  'health',
  'local-authority',
  'gangmasters-licensing-authority',
  'border-force',
  'uk-visas-and-immigration',
  'ngo',
  'other',
] as const;
export type PanelDiscipline = (typeof PANEL_DISCIPLINES)[number];

/** A panel member's vote. The pilot's voting rule is unknown, so no majority is enforced. */
export const VOTES = ['positive', 'negative', 'abstain'] as const;
export type Vote = (typeof VOTES)[number];

/** Outcome of a lead assessment or a panel decision. */
export const OUTCOMES = ['positive', 'negative'] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** Outcome of a second review of a negative decision. */
export const REVIEW_OUTCOMES = ['upheld', 'overturned'] as const;
export type ReviewOutcome = (typeof REVIEW_OUTCOMES)[number];

/** Who may ask for reconsideration: only the first responder or the support provider. */
export const RECONSIDERATION_REQUESTERS = ['first-responder', 'support-provider'] as const;
export type ReconsiderationRequester = (typeof RECONSIDERATION_REQUESTERS)[number];

/** Why a case is suspended. */
export const SUSPENSION_REASONS = [
  'subject-missing',
  'subject-unwell',
  'criminal-proceedings',
  'awaiting-information',
  'other',
] as const;
export type SuspensionReason = (typeof SUSPENSION_REASONS)[number];

/** How a withdrawal came about: in writing, or treated as withdrawn when an adult leaves the UK. */
export const WITHDRAWAL_BASES = ['written-request', 'left-the-uk'] as const;
export type WithdrawalBasis = (typeof WITHDRAWAL_BASES)[number];

/**
 * Why an adult did not consent to a referral, as categories: a Duty to Notify report stays
 * anonymous, and free text could identify the person.
 */
export const DTN_REFUSAL_REASONS = [
  'fear-of-exploiters',
  'distrust-of-authorities',
  'does-not-identify-as-victim',
  'wants-to-leave-the-uk',
  'no-support-needed',
  'other',
  'not-stated',
] as const;
export type DtnRefusalReason = (typeof DTN_REFUSAL_REASONS)[number];
