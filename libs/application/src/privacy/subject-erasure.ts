import {
  CaseNotFoundError,
  SubjectNotFoundError,
  caseIdOfStream,
  caseStreamName,
  decideSubject,
  evolveSubject,
  initialLegalHoldState,
  initialSubjectRecord,
  legalHoldStreamName,
  subjectStreamName,
  type LegalHoldCommand,
  type LegalHoldEvent,
  type LegalHoldState,
  type PrivacyContext,
  type SubjectCommand,
  type SubjectErasureState,
  type SubjectEvent,
  type SubjectRecord,
} from '@harbour/domain';
import { StreamNotFoundError, type EventStore } from '@harbour/event-store';
import type { PersonalDataProtector } from '@harbour/privacy';
import type { EventSchemaRegistry } from '../event-schemas/event-schema-registry';
import { ConcurrencyConflictError } from '../command-handling/command-errors';
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

/** How often a hold or an erasure that lost a race for the subject's record is decided again. */
const MAX_ATTEMPTS = 10;

/**
 * The decider of a subject's record, starting from the holds recorded before holds moved to the
 * subject's stream (in `legal-hold-<caseId>` streams, which nothing writes any more, so reading
 * them races nothing).
 */
async function subjectDecider(
  store: EventStore,
  caseIds: readonly string[],
): Promise<Decider<SubjectCommand, SubjectEvent, SubjectRecord, PrivacyContext>> {
  let before = initialSubjectRecord();
  for (const caseId of caseIds) {
    for await (const event of readIfAny(store, legalHoldStreamName(caseId))) {
      before = evolveSubject(before, { type: event.type, data: event.data } as unknown as LegalHoldEvent);
    }
  }
  return { initialState: () => before, decide: decideSubject, evolve: evolveSubject };
}

async function* readIfAny(store: EventStore, stream: string) {
  try {
    yield* store.readStream(stream);
  } catch (error) {
    if (!(error instanceof StreamNotFoundError)) throw error;
  }
}

/**
 * Decides a command on the subject's record and appends its event with the record's revision
 * expected: holds and erasures of one subject are serialised there. One that loses a race is
 * decided again on the record as it now stands (unless the caller named a revision with
 * If-Match, which then no longer holds).
 */
async function commandSubject(
  deps: PrivacyDeps,
  subjectId: string,
  command: SubjectCommand,
  meta: CommandMeta<CommandActor>,
): Promise<CommandOutcome<SubjectRecord>> {
  const caseIds = await casesOfSubject(deps.personalData, subjectId);
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await handleStreamCommand(
        deps,
        subjectStreamName(subjectId),
        await subjectDecider(deps.store, caseIds),
        command,
        meta,
        { actor: meta.actor, now: meta.occurredAt },
        () => undefined,
      );
    } catch (error) {
      const retry = error instanceof ConcurrencyConflictError && meta.expectedRevision === undefined;
      if (!retry || attempt >= MAX_ATTEMPTS) throw error;
    }
  }
}

/** The subject whose personal data a case holds. @throws CaseNotFoundError for a case with none. */
export async function subjectOfCase(personalData: PersonalDataProtector, caseId: string): Promise<string> {
  const subjectId = await personalData.subjectOf(caseStreamName(caseId));
  if (subjectId === undefined) throw new CaseNotFoundError(caseId);
  return subjectId;
}

/** Places or releases a case's legal hold, on the record of the case's subject. */
export async function commandLegalHold(
  deps: PrivacyDeps,
  command: LegalHoldCommand,
  meta: CommandMeta<CommandActor>,
): Promise<CommandOutcome<LegalHoldState>> {
  const subjectId = await subjectOfCase(deps.personalData, command.data.caseId);
  const outcome = await commandSubject(deps, subjectId, command, meta);
  return { ...outcome, state: outcome.state.holds[command.data.caseId] ?? initialLegalHoldState() };
}

/** A subject's record: the holds on their cases and their erasure. */
export async function subjectRecordOf(
  deps: { readonly store: EventStore; readonly personalData: PersonalDataProtector },
  subjectId: string,
): Promise<{ record: SubjectRecord; revision: bigint | null }> {
  const decider = await subjectDecider(deps.store, await casesOfSubject(deps.personalData, subjectId));
  const { state, revision } = await loadState(deps.store, subjectStreamName(subjectId), decider);
  return { record: state, revision };
}

/** Whether a case is on legal hold now. */
export async function legalHoldOf(
  deps: { readonly store: EventStore; readonly personalData: PersonalDataProtector },
  caseId: string,
): Promise<LegalHoldState> {
  const { record } = await subjectRecordOf(deps, await subjectOfCase(deps.personalData, caseId));
  return record.holds[caseId] ?? initialLegalHoldState();
}

/** Whether a subject's data was erased, as their `subject-<subjectId>` stream records. */
export async function erasureOf(
  deps: { readonly store: EventStore; readonly personalData: PersonalDataProtector },
  subjectId: string,
): Promise<SubjectErasureState> {
  return (await subjectRecordOf(deps, subjectId)).record.erasure;
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
 * Erases a subject's personal data: records `SubjectDataErased` on their record, refused while
 * any of their cases is on legal hold, then destroys their data key, after which every reader
 * shows `[erased]` where the data was. The events and their hash chain are untouched.
 *
 * The hold check and the record are one decision on the subject's stream (see `commandSubject`),
 * and the key is destroyed only once that decision is stored: a hold that arrives meanwhile is
 * refused (`subject-data-erased`), one that arrived first refuses the erasure.
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

  const recorded = await subjectRecordOf(deps, subjectId);
  if (recorded.record.erasure.status === 'erased') {
    // Finishes what an earlier attempt began (a crash before the key went, or a reader that kept
    // its bytes in the key store's files): only then is it answered, done or already erased.
    await keys.destroy(subjectId);
  }
  if (recorded.record.erasure.status === 'erased' && known?.wrappedKey) {
    return {
      subjectId,
      caseIds,
      erasedAt: recorded.record.erasure.erasedAt,
      completed: true,
      revision: recorded.revision!,
      position: -1n,
    };
  }
  const outcome = await commandSubject(
    deps,
    subjectId,
    { type: 'EraseSubjectData', data: { subjectId, basis: request.basis, reason: request.reason, caseIds } },
    meta,
  );
  await keys.destroy(subjectId);
  const erasedAt = outcome.state.erasure.status === 'erased' ? outcome.state.erasure.erasedAt : meta.occurredAt;
  return { subjectId, caseIds, erasedAt, completed: false, revision: outcome.revision, position: outcome.position };
}
