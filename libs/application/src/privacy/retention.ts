import type { EventStore, RecordedEvent } from '@harbour/event-store';
import {
  KeyDestructionIncompleteError,
  retentionEndsAt,
  type RetentionOutcome,
  type RetentionPolicy,
} from '@harbour/privacy';
import { uuidFromName } from '@harbour/shared';
import { RETENTION_ACTOR, eraseSubject, type PrivacyDeps } from './subject-erasure';

/** A subject whose cases have all ended, with when their personal data falls due for erasure. */
export interface RetentionEntry {
  readonly subjectId: string;
  readonly caseIds: readonly string[];
  /** How the case that ended last ended, and when: the period runs from there. */
  readonly outcome: RetentionOutcome;
  readonly endedAt: string;
  readonly period: string;
  readonly dueAt: string;
  /** Cases of the subject on legal hold: retention skips the subject while any is. */
  readonly heldCaseIds: readonly string[];
}

/** What retention finds at a point in time. */
export interface RetentionReport {
  readonly at: string;
  /** Due now and not held: what `apply` erases. */
  readonly due: readonly RetentionEntry[];
  /** Due now but held. */
  readonly held: readonly RetentionEntry[];
  /** Ended, not yet due. */
  readonly notYetDue: number;
  /** Subjects with a case still open. */
  readonly open: number;
  /** Subjects already erased. */
  readonly erased: number;
}

interface CaseFacts {
  subjectId?: string;
  ended?: { outcome: RetentionOutcome; at: string };
  held: boolean;
}

const TYPES = [
  'ReferralRaised',
  'CaseClosed',
  'ReferralWithdrawn',
  'LegalHoldPlaced',
  'LegalHoldReleased',
  'SubjectDataErased',
];

/**
 * Walks the event store once (the facts it needs are never personal: subject ids, outcomes,
 * times, holds) and lists, per subject, whether their data is due for erasure under `policy`. A
 * subject is due once every case of theirs has ended and the period of the last to end has run.
 */
export async function retentionReport(store: EventStore, policy: RetentionPolicy, now: Date): Promise<RetentionReport> {
  const cases = new Map<string, CaseFacts>();
  const erased = new Set<string>();
  const facts = (caseId: string) => {
    let found = cases.get(caseId);
    if (!found) cases.set(caseId, (found = { held: false }));
    return found;
  };
  for await (const event of store.readAll({ filter: { eventTypes: TYPES } })) {
    const data = event.data;
    const caseId = typeof data.caseId === 'string' ? data.caseId : undefined;
    switch (event.type) {
      case 'ReferralRaised': {
        const subject = data.subject;
        if (caseId && typeof subject === 'object' && subject !== null && !Array.isArray(subject)) {
          if (typeof subject.subjectId === 'string') facts(caseId).subjectId = subject.subjectId;
        }
        break;
      }
      case 'CaseClosed':
        if (caseId) {
          facts(caseId).ended = { outcome: data.outcome as RetentionOutcome, at: endedAt(data.closedAt, event) };
        }
        break;
      case 'ReferralWithdrawn':
        if (caseId) facts(caseId).ended = { outcome: 'withdrawn', at: endedAt(data.withdrawnAt, event) };
        break;
      case 'LegalHoldPlaced':
      case 'LegalHoldReleased':
        if (caseId) facts(caseId).held = event.type === 'LegalHoldPlaced';
        break;
      case 'SubjectDataErased':
        if (typeof data.subjectId === 'string') erased.add(data.subjectId);
        break;
    }
  }
  const bySubject = new Map<string, { caseId: string; facts: CaseFacts }[]>();
  for (const [caseId, caseFacts] of cases) {
    if (!caseFacts.subjectId) continue;
    bySubject.set(caseFacts.subjectId, [...(bySubject.get(caseFacts.subjectId) ?? []), { caseId, facts: caseFacts }]);
  }
  const due: RetentionEntry[] = [];
  const held: RetentionEntry[] = [];
  let notYetDue = 0;
  let open = 0;
  let erasedCount = 0;
  for (const [subjectId, subjectCases] of bySubject) {
    if (erased.has(subjectId)) {
      erasedCount += 1;
      continue;
    }
    if (subjectCases.some((entry) => !entry.facts.ended)) {
      open += 1;
      continue;
    }
    const last = subjectCases
      .map((entry) => entry.facts.ended!)
      .reduce((a, b) => (new Date(a.at).getTime() >= new Date(b.at).getTime() ? a : b));
    const period = policy[last.outcome] ?? policy['closed-while-suspended'];
    const dueAt = retentionEndsAt(last.at, period);
    if (dueAt.getTime() > now.getTime()) {
      notYetDue += 1;
      continue;
    }
    const entry: RetentionEntry = {
      subjectId,
      caseIds: subjectCases.map((c) => c.caseId),
      outcome: last.outcome,
      endedAt: last.at,
      period: period.text,
      dueAt: dueAt.toISOString(),
      heldCaseIds: subjectCases.filter((c) => c.facts.held).map((c) => c.caseId),
    };
    (entry.heldCaseIds.length > 0 ? held : due).push(entry);
  }
  const byDue = (a: RetentionEntry, b: RetentionEntry) => a.dueAt.localeCompare(b.dueAt);
  return { at: now.toISOString(), due: due.sort(byDue), held: held.sort(byDue), notYetDue, open, erased: erasedCount };
}

/**
 * When the retention period of a case starts: its business time of closure, or the time the
 * closure was recorded when that is later. A closure back-dated to 2000 and entered today keeps
 * the data for the full period from today; a business time cannot shorten how long data is kept.
 */
function endedAt(businessTime: unknown, event: RecordedEvent): string {
  const recordedAt = event.recordedAt.toISOString();
  const at = typeof businessTime === 'string' ? businessTime : recordedAt;
  return Date.parse(at) >= event.recordedAt.getTime() ? at : recordedAt;
}

/** What `apply` did. */
export interface RetentionSummary {
  readonly report: RetentionReport;
  readonly erased: number;
  /** Due but refused (a hold placed since the report, or another run erased it first). */
  readonly skipped: number;
  /**
   * Subjects recorded as erased, their keys unreadable, but a copy of a key's bytes still in a
   * file of the key store because another process kept reading (see `KeyDestructionIncompleteError`).
   */
  readonly incomplete: readonly string[];
  readonly dryRun: boolean;
}

/**
 * Erases every subject the report finds due and not held, as the system actor `system:retention`,
 * one at a time (each erasure re-checks the holds). With `dryRun`, only reports.
 */
export async function applyRetention(
  deps: PrivacyDeps,
  policy: RetentionPolicy,
  now: Date,
  options: { readonly dryRun?: boolean; readonly onProgress?: (done: number, total: number) => void } = {},
): Promise<RetentionSummary> {
  const report = await retentionReport(deps.store, policy, now);
  if (options.dryRun) return { report, erased: 0, skipped: 0, incomplete: [], dryRun: true };
  let erased = 0;
  let skipped = 0;
  const unfinished: string[] = [];
  options.onProgress?.(0, report.due.length);
  for (const [index, entry] of report.due.entries()) {
    // Derived from the subject and the rule: a rerun after a crash is the same command.
    const commandId = uuidFromName(`retention:${entry.subjectId}`);
    try {
      await eraseSubject(
        deps,
        {
          subjectId: entry.subjectId,
          basis: 'retention',
          reason: `retention policy: ${entry.outcome} kept ${entry.period} after ${entry.endedAt}`,
        },
        { actor: RETENTION_ACTOR, occurredAt: now.toISOString(), commandId, correlationId: commandId },
      );
      erased += 1;
    } catch (error) {
      if (error instanceof KeyDestructionIncompleteError) unfinished.push(entry.subjectId);
      else if ((error as { rule?: string }).rule === undefined) throw error;
      else skipped += 1;
    }
    options.onProgress?.(index + 1, report.due.length);
  }
  // Readers that held an old page have had the rest of the run to let go: wipe again, once.
  const incomplete: string[] = [];
  for (const subjectId of unfinished) {
    try {
      await deps.personalData.keys.destroy(subjectId);
      erased += 1;
    } catch (error) {
      if (!(error instanceof KeyDestructionIncompleteError)) throw error;
      incomplete.push(subjectId);
    }
  }
  return { report, erased, skipped, incomplete, dryRun: false };
}
