import type { Actor } from '../shared/actor.model';
import { refusalFor } from '../case/case.access';
import { CASE_COMMAND_TYPES, type CaseCommandType } from '../case/case.commands';
import type { CaseState } from '../case/case.state';
import { stepOf, type WorkflowDefinition } from './workflow.definition';
import { workflowForRegion } from './workflow.registry';
import { DEFAULT_WORKFLOW_ROUTES, type WorkflowRoutes } from './workflow.routes';

/**
 * What `actor` may do to a case now (`GET /cases/:id/actions`): the commands the definition
 * allows their role in the case's state, on a case inside their region or panel, whose
 * state-only preconditions are met. A listed command may still be refused for its data (notice
 * period, quorum, ...) or its timing (recovery period).
 *
 * For `none` (no case yet) it answers whether the actor may raise a referral under `definition`:
 * a new referral is raised in the lead's own region, which `routes` must send to `definition`.
 */
export function allowedActions(
  definition: WorkflowDefinition,
  state: CaseState,
  actor: Actor,
  routes: WorkflowRoutes = DEFAULT_WORKFLOW_ROUTES,
): CaseCommandType[] {
  if (state.status === 'none') {
    const roles = stepOf(definition, 'none', 'RaiseReferral')?.roles ?? [];
    return roles.includes(actor.role) && workflowForRegion(actor.region, routes) === definition
      ? ['RaiseReferral']
      : [];
  }
  return CASE_COMMAND_TYPES.filter((type) => refusalFor(definition, state, type, actor) === undefined);
}
