import type { WorkflowDefinition } from '../workflow/workflow.definition';
import type { DecisionRecorded } from './case.events';
import * as check from './case.rules';
import type { RuleCheck } from './case.rules';
import { caseFileOf, type CaseState, type ConvenedPanel, type RecoveryPeriod } from './case.state';

/** Why a decision stands: each rule that applied to it, checked against the case as it stood. */
export interface DecisionExplanation {
  readonly decisionId: string;
  readonly outcome: string;
  readonly decidedAt: string;
  /** `panel` on the pilot route; another kind (e.g. `competent-authority`) is explained by the rules that apply to it. */
  readonly decidedByKind: string;
  readonly workflow: { readonly id: string; readonly version: number };
  /** What the decision recorded as its standard, and whether it is the definition's. */
  readonly standard: {
    readonly stage: string;
    readonly standardOfProof: string;
    readonly guidanceVersion: string;
    readonly asDefinitionRequires: boolean;
  };
  readonly rules: readonly RuleCheck[];
  /** True when every rule was satisfied (a decision in a valid history always is). */
  readonly allSatisfied: boolean;
}

export interface ExplainDecisionInput {
  /** The case just before the decision (every earlier event folded). */
  readonly before: CaseState;
  readonly decision: DecisionRecorded;
  /** The workflow definition the case is pinned to. */
  readonly definition: WorkflowDefinition;
  /** Who recorded the decision, from the event's metadata, when known. */
  readonly recordedBy?: string;
}

/**
 * Explains a recorded decision: each rule the decider holds a decision to, with the facts from
 * the case as it stood that satisfy (or, in a tampered or hand-made history, break) it. Pure, and
 * beside the decider so the two change together; a spec holds them to the same verdicts.
 *
 * A panel decision is held to the panel rules (convened panel, presiding chair, quorum, votes by
 * members present without a conflict) and the rules of every decision (recovery period, written
 * rationale, evidence on file). A decision by anyone else is explained by the rules of every
 * decision only.
 */
export function explainDecision({
  before,
  decision,
  definition,
  recordedBy,
}: ExplainDecisionInput): DecisionExplanation {
  const { data } = decision;
  const { rules } = definition;
  const decidedBy = data.decidedBy;
  // Read as a string: a definition may record kinds this build's event type does not list yet.
  const kind = (decidedBy as { readonly kind: string }).kind;
  const checks: RuleCheck[] = [];
  if (decidedBy.kind === 'panel') checks.push(...panelRules(before, decision, decidedBy, definition, recordedBy));
  // Otherwise no panel sat (the competent authority decided): none of the panel's rules applies.
  checks.push(...everyDecisionRules(before, decision, definition));
  return {
    decisionId: data.decisionId,
    outcome: data.outcome,
    decidedAt: data.decidedAt,
    decidedByKind: kind,
    workflow: { id: definition.id, version: definition.version },
    standard: {
      stage: data.stage,
      standardOfProof: data.standardOfProof,
      guidanceVersion: data.guidanceVersion,
      asDefinitionRequires:
        data.stage === rules.decisionStage &&
        data.standardOfProof === rules.standardOfProof &&
        data.guidanceVersion === rules.guidanceVersion,
    },
    rules: checks,
    allSatisfied: checks.every((check) => check.satisfied),
  };
}

type PanelDecidedBy = Extract<DecisionRecorded['data']['decidedBy'], { readonly kind: 'panel' }>;

function panelRules(
  before: CaseState,
  decision: DecisionRecorded,
  decidedBy: PanelDecidedBy,
  definition: WorkflowDefinition,
  recordedBy: string | undefined,
): RuleCheck[] {
  const { data } = decision;
  const panel: ConvenedPanel | undefined = before.status === 'panel-convened' ? before.panel : undefined;
  const checks = [check.convenedPanelCheck(before.status, decidedBy)];
  const presiding = panel?.chairId ?? null;
  checks.push(check.presidingChairCheck(presiding, decidedBy.chairId, recordedBy));
  const members = panel?.members ?? [];
  // A definition with panels sets a quorum (WorkflowRules says so); one without has none to check.
  const quorum = definition.rules.panelQuorum;
  if (quorum !== undefined) checks.push(check.panelQuorumCheck(members, quorum));
  // The panel as convened, by the same check the convening was held to.
  if (before.status === 'panel-convened') checks.push(check.panelMembersOfRegionCheck(members, before.file.region));
  checks.push(
    check.membersPresentCheck(members, data.votes, data.dissent),
    check.conflictedMembersCheck(members, data.votes, data.dissent),
    check.oneVotePerMemberCheck(data.votes, data.dissent),
    check.dissentConsistentCheck(data.votes, data.dissent, data.outcome),
  );
  return checks;
}

function everyDecisionRules(
  before: CaseState,
  decision: DecisionRecorded,
  definition: WorkflowDefinition,
): RuleCheck[] {
  const { data } = decision;
  const onFile = before.status === 'none' ? [] : caseFileOf(before).evidence.map((item) => item.evidenceId);
  return [
    check.recoveryPeriodCheck(recoveryPeriodOf(before), data.decidedAt),
    check.rationaleCheck(data.rationale, definition.rules.minRationaleLength),
    check.evidenceOnFileCheck(
      data.evidenceReliedOn.map((item) => item.evidenceId),
      onFile,
    ),
  ];
}

function recoveryPeriodOf(state: CaseState): RecoveryPeriod | undefined {
  const open = state.status === 'suspended' ? state.resumeTo : state;
  return 'recoveryPeriod' in open ? open.recoveryPeriod : undefined;
}
