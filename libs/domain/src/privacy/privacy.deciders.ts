import type { Actor } from '../shared/actor.model';
import { assertNever } from '../shared/assert-never.helper';
import { NotPermittedError, RuleBrokenError } from '../shared/domain.errors';
import type { LegalHoldEvent, SubjectDataErased } from './privacy.events';

/** Whether a case is on legal hold, as its subject's record (`subject-<subjectId>`) says. */
export type LegalHoldState =
  | { readonly status: 'none' }
  | { readonly status: 'held'; readonly holdId: string; readonly placedAt: string; readonly reason: string }
  | { readonly status: 'released'; readonly holdId: string };

export type LegalHoldCommand =
  | {
      readonly type: 'PlaceLegalHold';
      readonly data: { readonly caseId: string; readonly holdId: string; readonly reason: string };
    }
  | { readonly type: 'ReleaseLegalHold'; readonly data: { readonly caseId: string; readonly reason: string } };

export interface PrivacyContext {
  readonly actor: Actor | { readonly role: 'system' };
  readonly now: string;
}

export function initialLegalHoldState(): LegalHoldState {
  return { status: 'none' };
}

function requireAdmin(context: PrivacyContext, what: string): void {
  if (context.actor.role !== 'admin' && context.actor.role !== 'system') {
    throw new NotPermittedError('role-not-permitted', `Only an admin may ${what}`);
  }
}

function requireReason(reason: string): string {
  if (reason.trim() === '') throw new RuleBrokenError('text-required', 'A reason is required');
  return reason;
}

/** Whether a subject's data was erased, folded from their `subject-<subjectId>` stream. */
export type SubjectErasureState =
  { readonly status: 'none' } | { readonly status: 'erased'; readonly erasedAt: string };

export interface EraseSubjectData {
  readonly type: 'EraseSubjectData';
  readonly data: {
    readonly subjectId: string;
    readonly basis: 'request' | 'retention';
    readonly reason: string;
    readonly caseIds: readonly string[];
  };
}

export function initialSubjectErasureState(): SubjectErasureState {
  return { status: 'none' };
}

/**
 * Everything that decides whether a subject's personal data may be destroyed, in one stream,
 * `subject-<subjectId>`: the legal holds on each of their cases and their erasure. Holds and
 * erasures are decided against this one record and appended with its revision expected, so of a
 * hold and an erasure sent at the same moment one is decided first and the other sees it: no
 * ordering of requests, in one process or many, erases data a hold was placed on.
 */
export interface SubjectRecord {
  readonly erasure: SubjectErasureState;
  /** Each of the subject's cases that was ever held, by case id. */
  readonly holds: Readonly<Record<string, LegalHoldState>>;
}

/** What is decided on a subject's record. */
export type SubjectCommand = LegalHoldCommand | EraseSubjectData;

/** Every event of a `subject-<subjectId>` stream. */
export type SubjectEvent = LegalHoldEvent | SubjectDataErased;

export function initialSubjectRecord(): SubjectRecord {
  return { erasure: initialSubjectErasureState(), holds: {} };
}

/** The cases of the subject on legal hold now. */
export function heldCaseIdsOf(record: SubjectRecord): string[] {
  return Object.entries(record.holds)
    .filter(([, hold]) => hold.status === 'held')
    .map(([caseId]) => caseId);
}

/**
 * Places or releases a case's legal hold (one at a time per case), or records the erasure of the
 * subject's data: refused while any of their cases is held, and a hold refused once the data is
 * erased (there is nothing left to hold).
 */
export function decideSubject(command: SubjectCommand, record: SubjectRecord, context: PrivacyContext): SubjectEvent[] {
  switch (command.type) {
    case 'PlaceLegalHold': {
      requireAdmin(context, 'place a legal hold');
      const hold = record.holds[command.data.caseId] ?? initialLegalHoldState();
      if (hold.status === 'held') {
        throw new RuleBrokenError('legal-hold-already-placed', `The case is already on legal hold (${hold.holdId})`);
      }
      if (record.erasure.status === 'erased') {
        throw new RuleBrokenError(
          'subject-data-erased',
          `The subject's personal data was erased at ${record.erasure.erasedAt}: nothing is left to hold`,
        );
      }
      return [
        {
          type: 'LegalHoldPlaced',
          data: {
            caseId: command.data.caseId,
            holdId: command.data.holdId,
            placedAt: context.now,
            reason: requireReason(command.data.reason),
          },
        },
      ];
    }
    case 'ReleaseLegalHold': {
      requireAdmin(context, 'release a legal hold');
      const hold = record.holds[command.data.caseId] ?? initialLegalHoldState();
      if (hold.status !== 'held') throw new RuleBrokenError('no-legal-hold', 'The case is not on legal hold');
      return [
        {
          type: 'LegalHoldReleased',
          data: {
            caseId: command.data.caseId,
            holdId: hold.holdId,
            releasedAt: context.now,
            reason: requireReason(command.data.reason),
          },
        },
      ];
    }
    case 'EraseSubjectData': {
      requireAdmin(context, "erase a subject's data");
      if (record.erasure.status === 'erased') {
        throw new RuleBrokenError(
          'subject-already-erased',
          `The subject's data was erased at ${record.erasure.erasedAt}`,
        );
      }
      const held = heldCaseIdsOf(record);
      if (held.length > 0) {
        throw new RuleBrokenError(
          'legal-hold-blocks-erasure',
          `Case ${held.join(', ')} is on legal hold; release the hold before erasing`,
        );
      }
      return [
        {
          type: 'SubjectDataErased',
          data: {
            subjectId: command.data.subjectId,
            erasedAt: context.now,
            basis: command.data.basis,
            reason: requireReason(command.data.reason),
            caseIds: [...command.data.caseIds],
          },
        },
      ];
    }
    default:
      return assertNever(command);
  }
}

/**
 * Folds a subject's record. A hold recorded before holds moved to the subject's stream (in a
 * `legal-hold-<caseId>` stream of its own) folds the same way: the application folds those first.
 */
export function evolveSubject(record: SubjectRecord, event: SubjectEvent): SubjectRecord {
  switch (event.type) {
    case 'LegalHoldPlaced': {
      const { caseId, holdId, placedAt, reason } = event.data;
      return { ...record, holds: { ...record.holds, [caseId]: { status: 'held', holdId, placedAt, reason } } };
    }
    case 'LegalHoldReleased': {
      const { caseId, holdId } = event.data;
      return { ...record, holds: { ...record.holds, [caseId]: { status: 'released', holdId } } };
    }
    case 'SubjectDataErased':
      return { ...record, erasure: { status: 'erased', erasedAt: event.data.erasedAt } };
    default:
      return assertNever(event);
  }
}
