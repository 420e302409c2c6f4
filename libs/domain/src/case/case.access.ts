import type { Actor, Role } from '../shared/actor.model';
import { assertNever } from '../shared/assert-never.helper';
import { CaseAlreadyExistsError, type DomainError, NotPermittedError, RuleBrokenError } from '../shared/domain.errors';
import { stepOf, type WorkflowDefinition } from '../workflow/workflow.definition';
import type { CaseCommandType } from './case.commands';
import { allocatedAuthorityCheck, CASE_CHECKS, type CaseCheckName, refusalOf } from './case.rules';
import { type CaseFile, caseFileOf, type ExistingCase } from './case.state';

/**
 * Why `actor` may not issue a command of `type` to an existing case now, or undefined if they may
 * (the command's own data may still break a rule). Checked in this order: the case is closed or
 * withdrawn; the definition lets no role, or not this role, issue it in this state; the case is
 * outside the actor's region or panel; a competent authority is not the one the case is allocated
 * to (`wrong-competent-authority`); the case fails a check the definition's step names
 * (`CASE_CHECKS`).
 *
 * `decideCase` throws what this returns, and `allowedActions` lists the commands it passes, so
 * the two never disagree.
 */
export function refusalFor(
  definition: WorkflowDefinition,
  state: ExistingCase,
  type: CaseCommandType,
  actor: Actor,
): DomainError | undefined {
  const file = caseFileOf(state);
  if (type === 'RaiseReferral') return new CaseAlreadyExistsError(state.caseId);
  if (definition.terminal.includes(state.status)) {
    return new RuleBrokenError('case-closed', `The case is ${state.status}; it takes no more commands`);
  }
  const step = stepOf(definition, state.status, type);
  const roles = step?.roles ?? [];
  if (roles.length === 0) {
    return new RuleBrokenError(
      'command-not-allowed-in-state',
      `${type} is not allowed while the case is ${state.status}`,
    );
  }
  if (!roles.includes(actor.role)) {
    return new NotPermittedError(
      'role-not-permitted',
      `A ${actor.role} may not ${type} while the case is ${state.status} (only ${roles.join(', ')})`,
    );
  }
  return (
    scopeRefusal(file, actor) ??
    (actor.role === 'competent-authority'
      ? refusalOf(allocatedAuthorityCheck(file.competentAuthority, actor.agency))
      : undefined) ??
    checkRefusal(step?.checks ?? [], state)
  );
}

/** The first of the step's checks that the case does not pass, as a refusal. */
function checkRefusal(checks: readonly CaseCheckName[], state: ExistingCase): RuleBrokenError | undefined {
  for (const name of checks) {
    const refusal = refusalOf(CASE_CHECKS[name](state));
    if (refusal) return refusal;
  }
  return undefined;
}

/** Which cases a role works on: those of its own region, those listed to its panels, or every case. */
export type CaseScope = 'region' | 'panel' | 'national' | 'referrer';

/**
 * The one declaration of case scope, read by the decider (a command outside it is refused) and by
 * the read side (a case outside it is not there). Leads and case managers work in their own
 * region; panel roles only on cases listed to their panel. The other roles are national: the
 * competent authority decides central-route cases wherever they are, and the read-only roles
 * issue no case commands. A first responder acts only on the cases its organisation referred.
 */
export function caseScopeOf(role: Role): CaseScope {
  switch (role) {
    case 'lead':
    case 'case-manager':
      return 'region';
    case 'panel-chair':
    case 'panel-member':
      return 'panel';
    case 'competent-authority':
    case 'auditor':
    case 'analyst':
    case 'admin':
      return 'national';
    case 'first-responder':
      return 'referrer';
    default:
      return assertNever(role);
  }
}

/** Whether a case of this region, listed to this panel (if any), is in the actor's scope. */
export function inCaseScope(
  actor: Actor,
  where: { readonly region: string; readonly panelId?: string | null; readonly referringAgency?: string },
): boolean {
  switch (caseScopeOf(actor.role)) {
    case 'region':
      return actor.region === where.region;
    case 'panel':
      return typeof where.panelId === 'string' && actor.panels.includes(where.panelId);
    case 'national':
      return true;
    case 'referrer':
      return where.referringAgency === actor.agency;
  }
}

/** Why a case is outside the actor's scope for a command, or undefined when it is inside. */
export function scopeRefusal(file: CaseFile, actor: Actor): NotPermittedError | undefined {
  if (inCaseScope(actor, file)) return undefined;
  switch (caseScopeOf(actor.role)) {
    case 'region':
      return new NotPermittedError('outside-region', `The case is in ${file.region}, outside ${actor.region}`);
    case 'referrer':
      return new NotPermittedError(
        'not-the-referrer',
        `The case was referred by another organisation, not ${actor.agency}`,
      );
    default:
      return new NotPermittedError('not-on-case-panel', 'The case is not listed to a panel the actor sits on');
  }
}
