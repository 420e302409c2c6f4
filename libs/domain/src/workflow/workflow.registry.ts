import type { CaseCommandType } from '../case/case.commands';
import type { WorkflowRef } from '../case/case.state';
import { ROLES, type Role } from '../shared/actor.model';
import { NRM_CENTRAL_2015 } from './nrm-central-2015.workflow';
import { NRM_PILOT_2015 } from './nrm-pilot-2015.workflow';
import type { WorkflowDefinition } from './workflow.definition';
import { DEFAULT_WORKFLOW_ROUTES, type WorkflowRoutes } from './workflow.routes';

/**
 * Every workflow definition Harbour can run, old versions included: a case stays on the version
 * it started under, so a definition is never removed while cases use it.
 */
export const WORKFLOWS: readonly WorkflowDefinition[] = [NRM_PILOT_2015, NRM_CENTRAL_2015];

/** The definition a case is pinned to, or undefined if this build does not know it. */
export function findWorkflow(ref: WorkflowRef): WorkflowDefinition | undefined {
  return WORKFLOWS.find((workflow) => workflow.id === ref.id && workflow.version === ref.version);
}

/** The latest version of workflow `id`, or undefined if this build does not know it. */
export function latestWorkflow(id: string): WorkflowDefinition | undefined {
  return WORKFLOWS.filter((workflow) => workflow.id === id).reduce<WorkflowDefinition | undefined>(
    (latest, workflow) => (latest === undefined || workflow.version > latest.version ? workflow : latest),
    undefined,
  );
}

/**
 * The definition (latest version of the routed id) new referrals in `region` start under, if any
 * runs there. `region` is a string because an actor's region is an unchecked token claim.
 */
export function workflowForRegion(
  region: string,
  routes: WorkflowRoutes = DEFAULT_WORKFLOW_ROUTES,
): WorkflowDefinition | undefined {
  const id = Object.hasOwn(routes, region) ? (routes as Readonly<Record<string, string>>)[region] : undefined;
  return id === undefined ? undefined : latestWorkflow(id);
}

/**
 * Every role some definition lets issue `command` in some state: who may call its route at all.
 * The route's guard reads this, so the roles are declared once, in the definitions' steps; the
 * decider still refuses a role its case's definition does not name in the case's state.
 */
export function issuersOf(command: CaseCommandType): [Role, ...Role[]] {
  const named = new Set(
    WORKFLOWS.flatMap((workflow) =>
      workflow.steps.filter((step) => step.command === command).flatMap((step) => step.roles),
    ),
  );
  const [first, ...rest] = ROLES.filter((role) => named.has(role));
  // A command no definition opens anywhere has no one to call its route: a broken build.
  if (first === undefined) throw new Error(`No workflow definition lets any role issue ${command}`);
  return [first, ...rest];
}
