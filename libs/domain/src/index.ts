/**
 * @harbour/domain: the referral workflows as pure deciders. No I/O, clock, randomness or
 * framework: time and ids arrive with each command, and `decide`/`evolve` are plain functions.
 */

// Who acts, where, and the errors a decider throws.
export * from './shared/actor.model';
export * from './shared/police-regions.model';
export * from './shared/organisations.data';
export * from './shared/eea-nationalities.data';
export { requireOrganisation } from './shared/data.helpers';
export * from './shared/vocabulary.model';
export * from './shared/deep-readonly.type';
export {
  CaseAlreadyExistsError,
  CaseNotFoundError,
  DomainError,
  InvalidHistoryError,
  NotPermittedError,
  RULES,
  RuleBrokenError,
  SubjectNotFoundError,
  SubmissionNotFoundError,
  type NotPermittedReason,
  type RuleName,
} from './shared/domain.errors';

// The case workflow.
export * from './case/case.commands';
export * from './case/case.events';
export * from './case/case.state';
export { decideCase, decideCaseUnder } from './case/case.decider';
export * from './case/case.replay';
export { caseScopeOf, inCaseScope, refusalFor, scopeRefusal, type CaseScope } from './case/case.access';
export { caseFold, evolveCase, foldCaseEvents } from './case/case.evolver';
export * from './case/case.rules';
export * from './case/decision.explainer';

// Reading stored events: one decode path, with the upcasters of every type and version.
export * from './events/event.decoding';
export * from './events/event.upcasters';

// Workflow definitions.
export * from './workflow/workflow.definition';
export { NRM_PILOT_2015 } from './workflow/nrm-pilot-2015.workflow';
export { NRM_CENTRAL_2015 } from './workflow/nrm-central-2015.workflow';
export { findWorkflow, issuersOf, latestWorkflow, WORKFLOWS, workflowForRegion } from './workflow/workflow.registry';
export { DEFAULT_WORKFLOW_ROUTES, regionsRoutedTo, type WorkflowRoutes } from './workflow/workflow.routes';
export { allowedActions } from './workflow/allowed-actions.policy';
export { workflowToMermaid } from './workflow/workflow.mermaid';

// Deadlines: declared by the definitions, tracked from a case's events.
export * from './deadlines/deadline.model';
export * from './deadlines/deadline.tracker';

// The panels registry: which regional panels exist, and whose cases each decides.
export * from './panel/panel.events';
export * from './panel/panel.registry';
// Panel meetings: agenda, packs, attendance, outcomes held to quorum, disciplines and voting rule.
export * from './meeting/meeting.events';
export * from './meeting/meeting.decider';
// Decision letters and the notifications that carry them.
export * from './correspondence/correspondence.events';
export * from './correspondence/decision-letter.template';

// Duty to Notify.
export * from './dtn/dtn.commands';
export * from './dtn/dtn.events';
export * from './dtn/dtn.decider';
export * from './dtn/duty-to-notify.definition';

// The read-access log.
export * from './audit/audit.events';

// Personal data: legal holds and erasure, each in streams of their own.
export * from './privacy/privacy.events';
export * from './privacy/privacy.deciders';

// Event data types generated from event-schemas/.
export type * from './generated/event-data';

/** Fake cases and events for specs in other libs (no real person): see `testing/domain.examples.ts`. */
export * as DomainExamples from './testing/domain.examples';
export * from './calendar';
export * from './intake/first-responders.definition';
export * from './intake/intake.commands';
export * from './intake/intake.events';
export * from './intake/intake.decider';
