import { historyEntryOf, loadCase, type HistoryEntry } from '@harbour/audit';
import { SubjectNotFoundError, type CaseState, type LegalHoldState, type SubjectErasureState } from '@harbour/domain';
import type { EventStore } from '@harbour/event-store';
import type { PersonalDataProtector } from '@harbour/privacy';
import { casesOfSubject, erasureOf, legalHoldOf } from './subject-erasure';

/** One case of a subject access export. */
export interface SubjectCaseExport {
  readonly caseId: string;
  readonly status: string;
  readonly legalHold: LegalHoldState;
  /** The case as it stands, personal data decrypted. */
  readonly state: CaseState;
  /** Every event, oldest first, personal data decrypted (`[erased]` once erased). */
  readonly history: readonly HistoryEntry[];
}

/** Everything Harbour holds about a subject, for a subject access request. */
export interface SubjectExport {
  readonly subjectId: string;
  readonly exportedAt: string;
  readonly erasure: SubjectErasureState;
  readonly cases: readonly SubjectCaseExport[];
}

/**
 * Gathers every case that holds the subject's personal data, decrypted. The caller logs the read
 * of each case (the access log) before sending it.
 * @throws SubjectNotFoundError when no case holds the subject's data.
 */
export async function buildSubjectExport(
  deps: { readonly store: EventStore; readonly personalData: PersonalDataProtector },
  subjectId: string,
  now: Date,
): Promise<SubjectExport> {
  const caseIds = await casesOfSubject(deps.personalData, subjectId);
  if (caseIds.length === 0) throw new SubjectNotFoundError(subjectId);
  const cases: SubjectCaseExport[] = [];
  for (const caseId of caseIds) {
    const loaded = await loadCase(deps.store, caseId, (events) => deps.personalData.openAll(events));
    cases.push({
      caseId,
      status: loaded.state.status,
      legalHold: await legalHoldOf(deps, caseId),
      state: loaded.state,
      history: loaded.events.map(historyEntryOf),
    });
  }
  return { subjectId, exportedAt: now.toISOString(), erasure: await erasureOf(deps, subjectId), cases };
}
