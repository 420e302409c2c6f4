import type { DomainEvent } from '../case/case.events';
import type { LegalHoldPlacedDataV1, LegalHoldReleasedDataV1, SubjectDataErasedDataV1 } from '../generated/event-data';

/** A case was placed on legal hold: its subject's data may not be erased until it is released. */
export type LegalHoldPlaced = DomainEvent<'LegalHoldPlaced', LegalHoldPlacedDataV1>;
/** A case's legal hold was released. */
export type LegalHoldReleased = DomainEvent<'LegalHoldReleased', LegalHoldReleasedDataV1>;
/** A subject's data key was destroyed: their personal data reads `[erased]` everywhere. */
export type SubjectDataErased = DomainEvent<'SubjectDataErased', SubjectDataErasedDataV1>;

/** Every event of a `legal-hold-<caseId>` stream. */
export type LegalHoldEvent = LegalHoldPlaced | LegalHoldReleased;

/**
 * Every privacy event type. They live in the subject's stream, not the case's: no case read model,
 * deadline or workflow rule depends on them, and a case stream stays the case workflow's alone.
 */
export const PRIVACY_EVENT_TYPES = [
  'LegalHoldPlaced',
  'LegalHoldReleased',
  'SubjectDataErased',
] as const satisfies readonly (LegalHoldEvent | SubjectDataErased)['type'][];

/**
 * Where a case's legal holds were recorded before they moved to its subject's stream (so that
 * holds and erasure are decided on one stream): read, to honour holds placed then; never written.
 */
export function legalHoldStreamName(caseId: string): string {
  return `legal-hold-${caseId}`;
}

/** The record of one subject (potential victim): the legal holds on their cases and their erasure. */
export function subjectStreamName(subjectId: string): string {
  return `subject-${subjectId}`;
}

/** The case id of a `case-<caseId>` stream, or undefined for any other stream. */
export function caseIdOfStream(stream: string): string | undefined {
  return stream.startsWith('case-') ? stream.slice('case-'.length) : undefined;
}
