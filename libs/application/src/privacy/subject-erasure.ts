import {
  SubjectNotFoundError,
  caseIdOfStream,
  decideLegalHold,
  decideSubjectErasure,
  evolveLegalHold,
  evolveSubjectErasure,
  initialLegalHoldState,
  initialSubjectErasureState,
  legalHoldStreamName,
  subjectStreamName,
  type EraseSubjectData,
  type ErasureContext,
  type LegalHoldCommand,
  type LegalHoldEvent,
  type LegalHoldState,
  type PrivacyContext,
  type SubjectDataErased,
  type SubjectErasureState,
} from '@harbour/domain';
import type { EventStore } from '@harbour/event-store';
import type { PersonalDataProtector } from '@harbour/privacy';
import type { EventSchemaRegistry } from '../event-schemas/event-schema-registry';
import {
  handleStreamCommand,
  loadState,
  type CommandActor,
  type CommandMeta,
  type CommandOutcome,
  type Decider,
  type SystemActor,
} from '../command-handling/handle-stream-command';

export interface PrivacyDeps {
  readonly store: EventStore;
  readonly schemas: EventSchemaRegistry;
  readonly personalData: PersonalDataProtector;
}

/** The retention run, as event metadata names it. */
export const RETENTION_ACTOR: SystemActor = {
  userId: 'system:retention',
  role: 'system',
  agency: 'harbour',
  region: '*',
  panels: [],
};

const legalHoldDecider: Decider<LegalHoldCommand, LegalHoldEvent, LegalHoldState, PrivacyContext> = {
  initialState: initialLegalHoldState,
  decide: decideLegalHold,
  evolve: evolveLegalHold,
};

const erasureDecider: Decider<EraseSubjectData, SubjectDataErased, SubjectErasureState, ErasureContext> = {
  initialState: initialSubjectErasureState,
  decide: decideSubjectErasure,
  evolve: evolveSubjectErasure,
};

/** Places or releases a case's legal hold (in its own `legal-hold-<caseId>` stream). */
export function commandLegalHold(
  deps: PrivacyDeps,
  command: LegalHoldCommand,
  meta: CommandMeta<CommandActor>,
): Promise<CommandOutcome<LegalHoldState>> {
  return handleStreamCommand(
    deps,
    legalHoldStreamName(command.data.caseId),
    legalHoldDecider,
    command,
    meta,
    { actor: meta.actor, now: meta.occurredAt },
    () => undefined,
  );
}

/** Whether a case is on legal hold now. */
export async function legalHoldOf(store: EventStore, caseId: string): Promise<LegalHoldState> {
  return (await loadState(store, legalHoldStreamName(caseId), legalHoldDecider)).state;
}

/** Whether a subject's data was erased, as their `subject-<subjectId>` stream records. */
export async function erasureOf(store: EventStore, subjectId: string): Promise<SubjectErasureState> {
  return (await loadState(store, subjectStreamName(subjectId), erasureDecider)).state;
}

/** The cases holding a subject's personal data, from the key store's stream → subject records. */
export async function casesOfSubject(personalData: PersonalDataProtector, subjectId: string): Promise<string[]> {
  const streams = await personalData.keys.store.streamsOfSubject(subjectId);
  return streams.map(caseIdOfStream).filter((caseId): caseId is string => caseId !== undefined);
}

export interface ErasureOutcome {
  readonly subjectId: string;
  readonly caseIds: readonly string[];
  readonly erasedAt: string;
  /** True when an erasure recorded earlier was only finished now (its key outlived a crash). */
  readonly completed: boolean;
  readonly revision: bigint;
  readonly position: bigint;
}

/**
 * Erases a subject's personal data: refuses while any of their cases is on legal hold, records
 * `SubjectDataErased` in `subject-<subjectId>`, then destroys their data key, after which every
 * reader shows `[erased]` where the data was. The events and their hash chain are untouched.
 *
 * Recorded first, destroyed second: if the process dies between the two, the next attempt finds
 * the record and finishes the destruction instead of refusing it as already done.
 * @throws SubjectNotFoundError when no case holds the subject's data.
 */
export async function eraseSubject(
  deps: PrivacyDeps,
  request: { readonly subjectId: string; readonly basis: 'request' | 'retention'; readonly reason: string },
  meta: CommandMeta<CommandActor>,
): Promise<ErasureOutcome> {
  const { subjectId } = request;
  const keys = deps.personalData.keys;
  const caseIds = await casesOfSubject(deps.personalData, subjectId);
  const known = await keys.store.findKey(subjectId);
  if (caseIds.length === 0 && known === undefined) throw new SubjectNotFoundError(subjectId);

  const recorded = await loadState(deps.store, subjectStreamName(subjectId), erasureDecider);
  if (recorded.state.status === 'erased' && known?.wrappedKey) {
    await keys.destroy(subjectId);
    return {
      subjectId,
      caseIds,
      erasedAt: recorded.state.erasedAt,
      completed: true,
      revision: recorded.revision!,
      position: -1n,
    };
  }
  const heldCaseIds: string[] = [];
  for (const caseId of caseIds) {
    if ((await legalHoldOf(deps.store, caseId)).status === 'held') heldCaseIds.push(caseId);
  }
  const outcome = await handleStreamCommand(
    deps,
    subjectStreamName(subjectId),
    erasureDecider,
    { type: 'EraseSubjectData', data: { subjectId, basis: request.basis, reason: request.reason, caseIds } },
    meta,
    { actor: meta.actor, now: meta.occurredAt, heldCaseIds },
    () => undefined,
  );
  await keys.destroy(subjectId);
  const erasedAt = outcome.state.status === 'erased' ? outcome.state.erasedAt : meta.occurredAt;
  return { subjectId, caseIds, erasedAt, completed: false, revision: outcome.revision, position: outcome.position };
}
