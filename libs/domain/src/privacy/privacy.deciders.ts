import type { Actor } from '../shared/actor.model';
import { assertNever } from '../shared/assert-never.helper';
import { NotPermittedError, RuleBrokenError } from '../shared/domain.errors';
import type { LegalHoldEvent, SubjectDataErased } from './privacy.events';

/** Whether a case is on legal hold, folded from its `legal-hold-<caseId>` stream. */
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

/** Places or releases a case's legal hold; one hold at a time. */
export function decideLegalHold(
  command: LegalHoldCommand,
  state: LegalHoldState,
  context: PrivacyContext,
): LegalHoldEvent[] {
  switch (command.type) {
    case 'PlaceLegalHold':
      requireAdmin(context, 'place a legal hold');
      if (state.status === 'held') {
        throw new RuleBrokenError('legal-hold-already-placed', `The case is already on legal hold (${state.holdId})`);
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
    case 'ReleaseLegalHold':
      requireAdmin(context, 'release a legal hold');
      if (state.status !== 'held') throw new RuleBrokenError('no-legal-hold', 'The case is not on legal hold');
      return [
        {
          type: 'LegalHoldReleased',
          data: {
            caseId: command.data.caseId,
            holdId: state.holdId,
            releasedAt: context.now,
            reason: requireReason(command.data.reason),
          },
        },
      ];
    default:
      return assertNever(command);
  }
}

export function evolveLegalHold(_state: LegalHoldState, event: LegalHoldEvent): LegalHoldState {
  switch (event.type) {
    case 'LegalHoldPlaced':
      return { status: 'held', holdId: event.data.holdId, placedAt: event.data.placedAt, reason: event.data.reason };
    case 'LegalHoldReleased':
      return { status: 'released', holdId: event.data.holdId };
    default:
      return assertNever(event);
  }
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

export interface ErasureContext extends PrivacyContext {
  /** The subject's cases that are on legal hold now. */
  readonly heldCaseIds: readonly string[];
}

export function initialSubjectErasureState(): SubjectErasureState {
  return { status: 'none' };
}

/** Records the erasure of a subject's data, unless a case of theirs is on legal hold. */
export function decideSubjectErasure(
  command: EraseSubjectData,
  state: SubjectErasureState,
  context: ErasureContext,
): SubjectDataErased[] {
  requireAdmin(context, "erase a subject's data");
  if (state.status === 'erased') {
    throw new RuleBrokenError('subject-already-erased', `The subject's data was erased at ${state.erasedAt}`);
  }
  if (context.heldCaseIds.length > 0) {
    throw new RuleBrokenError(
      'legal-hold-blocks-erasure',
      `Case ${context.heldCaseIds.join(', ')} is on legal hold; release the hold before erasing`,
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

export function evolveSubjectErasure(_state: SubjectErasureState, event: SubjectDataErased): SubjectErasureState {
  return { status: 'erased', erasedAt: event.data.erasedAt };
}
