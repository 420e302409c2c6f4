import { CaseNotFoundError, caseFileOf, scopeRefusal, type Actor, type ExistingCase } from '@harbour/domain';
import type { Role } from '@harbour/security';

/**
 * A read of a case outside the actor's region or panels is answered exactly as a read of a case
 * that does not exist (404, the same body): a 403 naming the case's region told anyone with a
 * token which case ids exist, and where.
 */
export function assertReadable(state: ExistingCase, actor: Actor): void {
  if (scopeRefusal(caseFileOf(state), actor)) throw new CaseNotFoundError(state.caseId);
}

/**
 * Who may read case-level data (the case file, its summary, its decisions). Never `analyst`: they
 * get aggregates only, never anything about one person. Region and panel scoping apply on top.
 */
export const CASE_READERS = [
  'lead',
  'case-manager',
  'panel-chair',
  'panel-member',
  'competent-authority',
  'auditor',
  'admin',
] as const satisfies readonly Role[];

/** Who may read the panel schedule: those who run, sit on or oversee panels. */
export const PANEL_READERS = [
  'case-manager',
  'panel-chair',
  'panel-member',
  'competent-authority',
  'auditor',
  'admin',
] as const satisfies readonly Role[];

/**
 * Who may read the read-access log (who was sent which case): audit teams and administrators.
 * The same roles verify a case whose history is too damaged to fold (and so to scope).
 */
export const AUDIT_LOG_READERS = ['auditor', 'admin'] as const satisfies readonly Role[];

/**
 * Who administers personal data: legal holds, erasure and subject access exports. A subject access
 * export decrypts everything about one person across cases, so it is not a case read: not even
 * the auditor, who reads every case one at a time, logged, may take it.
 */
export const PERSONAL_DATA_ADMINS = ['admin'] as const satisfies readonly Role[];
