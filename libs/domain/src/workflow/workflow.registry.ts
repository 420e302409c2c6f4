import type { Region } from '../shared/police-regions.model';
import type { WorkflowRef } from '../case/case.state';
import { NRM_PILOT_2015 } from './nrm-pilot-2015.workflow';
import type { WorkflowDefinition } from './workflow.definition';

/**
 * Every workflow definition Harbour can run, old versions included: a case stays on the version
 * it started under, so a definition is never removed while cases use it.
 */
export const WORKFLOWS: readonly WorkflowDefinition[] = [NRM_PILOT_2015];

/** The definition a case is pinned to, or undefined if this build does not know it. */
export function findWorkflow(ref: WorkflowRef): WorkflowDefinition | undefined {
  return WORKFLOWS.find((workflow) => workflow.id === ref.id && workflow.version === ref.version);
}

/** The definition (latest version) new referrals in `region` start under, if any runs there. */
export function workflowForRegion(region: Region): WorkflowDefinition | undefined {
  return WORKFLOWS.filter((workflow) => workflow.regions.includes(region)).reduce<WorkflowDefinition | undefined>(
    (latest, workflow) => (latest === undefined || workflow.version > latest.version ? workflow : latest),
    undefined,
  );
}
