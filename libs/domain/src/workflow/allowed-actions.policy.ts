import type { Actor } from '../shared/actor.model';
import { refusalFor } from '../case/case.access';
import { CASE_COMMAND_TYPES, type CaseCommandType } from '../case/case.commands';
import type { CaseState } from '../case/case.state';
import type { WorkflowDefinition } from './workflow.definition';

/**
 * What `actor` may do to a case now (`GET /cases/:id/actions`): the commands the definition
 * allows their role in the case's state, on a case inside their region or panel, whose
 * state-only preconditions are met. A listed command may still be refused for its data (notice
 * period, quorum, ...) or its timing (recovery period).
 *
 * For `none` (no case yet) it answers whether the actor may raise a referral under `definition`.
 */
export function allowedActions(definition: WorkflowDefinition, state: CaseState, actor: Actor): CaseCommandType[] {
  if (state.status === 'none') {
    const roles = definition.commands.none.RaiseReferral ?? [];
    // A new referral is raised in the lead's own region, which this definition must cover.
    return roles.includes(actor.role) && (definition.regions as readonly string[]).includes(actor.region)
      ? ['RaiseReferral']
      : [];
  }
  return CASE_COMMAND_TYPES.filter((type) => refusalFor(definition, state, type, actor) === undefined);
}
