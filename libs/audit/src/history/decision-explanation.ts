import {
  explainDecision,
  findWorkflow,
  type CaseState,
  type DecisionExplanation,
  type DecisionRecorded,
  type WorkflowDefinition,
} from '@harbour/domain';
import { AuditRecordNotFoundError } from '../audit.errors';
import { foldCase, historyEntryOf, type HistoryEntry, type LoadedCase } from './case-history';

/** A recorded decision with the case just before it, the definition in force, and why it stands. */
export interface RecordedDecisionExplanation {
  readonly caseId: string;
  readonly decision: HistoryEntry;
  /** The case as it stood just before the decision, and the revision that was. */
  readonly stateBefore: CaseState;
  readonly stateBeforeRevision: string;
  /** The workflow definition (and version) the case was pinned to. */
  readonly workflow: WorkflowDefinition;
  readonly explanation: DecisionExplanation;
}

/**
 * Explains decision `decisionId` of a loaded case with the domain's own explainer.
 * @throws AuditRecordNotFoundError when the case holds no such decision.
 */
export function explainRecordedDecision(loaded: LoadedCase, decisionId: string): RecordedDecisionExplanation {
  const index = loaded.events.findIndex(
    (event) => event.type === 'DecisionRecorded' && event.data.decisionId === decisionId,
  );
  if (index < 0) throw new AuditRecordNotFoundError(`Case ${loaded.caseId} has no decision ${decisionId}`);
  const event = loaded.events[index];
  const before = foldCase(loaded.events.slice(0, index));
  if (before.status === 'none') throw new Error(`Decision ${decisionId} is the first event of its stream`);
  const workflow = findWorkflow(before.workflow);
  // A deployment that dropped a definition its cases use is broken, not the query.
  if (!workflow) throw new Error(`Unknown workflow definition ${before.workflow.id} v${before.workflow.version}`);
  const actor = event.metadata.actor;
  const recordedBy =
    typeof actor === 'object' && actor !== null && !Array.isArray(actor) && typeof actor.userId === 'string'
      ? actor.userId
      : undefined;
  return {
    caseId: loaded.caseId,
    decision: historyEntryOf(event),
    stateBefore: before,
    stateBeforeRevision: String(event.revision - 1n),
    workflow,
    explanation: explainDecision({
      before,
      decision: { type: 'DecisionRecorded', data: event.data } as unknown as DecisionRecorded,
      definition: workflow,
      recordedBy,
    }),
  };
}

/** Every decision of a loaded case, explained, oldest first. */
export function explainAllDecisions(loaded: LoadedCase): RecordedDecisionExplanation[] {
  return loaded.events
    .filter((event) => event.type === 'DecisionRecorded' && typeof event.data.decisionId === 'string')
    .map((event) => explainRecordedDecision(loaded, event.data.decisionId as string));
}
