/**
 * The `WorkflowRoutes` (region -> workflow id) new referrals start under: configuration read once
 * at boot, handed to the case decider in its context.
 */
export const WORKFLOW_ROUTES = Symbol('WORKFLOW_ROUTES');
