import type { DomainEvent } from '../case/case.events';
import type {
  DecisionLetterIssuedDataV1,
  NotificationFailedDataV1,
  NotificationSentDataV1,
} from '../generated/event-data';

/** A decision letter was made from a versioned template; its documents' digests are recorded. */
export type DecisionLetterIssued = DomainEvent<'DecisionLetterIssued', DecisionLetterIssuedDataV1>;
/** The mail server accepted an email carrying a letter. */
export type NotificationSent = DomainEvent<'NotificationSent', NotificationSentDataV1>;
/** An email carrying a letter failed for good. */
export type NotificationFailed = DomainEvent<'NotificationFailed', NotificationFailedDataV1>;

/** Every event of a `correspondence-<caseId>` stream. */
export type CorrespondenceEvent = DecisionLetterIssued | NotificationSent | NotificationFailed;

export const CORRESPONDENCE_EVENT_TYPES = [
  'DecisionLetterIssued',
  'NotificationSent',
  'NotificationFailed',
] as const satisfies readonly CorrespondenceEvent['type'][];

/**
 * What Harbour told people about a case: its letters and the notifications that carried them.
 * A stream of its own beside `case-<caseId>`, written by the letters process manager, so that
 * Harbour's own sending never races a caseworker's command on the case (no 409/412 for them)
 * and the case's fold stays about the case.
 */
export function correspondenceStreamName(caseId: string): string {
  return `correspondence-${caseId}`;
}
