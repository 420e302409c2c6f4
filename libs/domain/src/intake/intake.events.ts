import type { DomainEvent } from '../case/case.events';
import type { ReferralAcceptedDataV1, ReferralReturnedDataV1, ReferralSubmittedDataV1 } from '../generated/event-data';

/** A first responder organisation submitted a referral; it waits to be accepted or returned. */
export type ReferralSubmitted = DomainEvent<'ReferralSubmitted', ReferralSubmittedDataV1>;
/** The lead (pilot) or competent authority (central) accepted it into a case. Terminal. */
export type ReferralAccepted = DomainEvent<'ReferralAccepted', ReferralAcceptedDataV1>;
/** The lead (pilot) or competent authority (central) returned it with a reason. Terminal. */
export type ReferralReturned = DomainEvent<'ReferralReturned', ReferralReturnedDataV1>;

/** Every event of an `intake-<submissionId>` stream. */
export type IntakeEvent = ReferralSubmitted | ReferralAccepted | ReferralReturned;

/** Every intake event type. */
export const INTAKE_EVENT_TYPES = [
  'ReferralSubmitted',
  'ReferralAccepted',
  'ReferralReturned',
] as const satisfies readonly IntakeEvent['type'][];

/** The stream of one first responder's submitted referral. */
export function intakeStreamName(submissionId: string): string {
  return `intake-${submissionId}`;
}
