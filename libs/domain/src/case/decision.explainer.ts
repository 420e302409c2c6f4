import type { RuleName } from '../shared/domain.errors';
import type { WorkflowDefinition } from '../workflow/workflow.definition';
import type { DecisionRecorded } from './case.events';
import { panelQuorumCheck, recoveryPeriodCheck, type ExplanationFact, type RuleCheck } from './case.rules';
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

function check(
  rule: RuleName,
  satisfied: boolean,
  explanation: string,
  facts: Record<string, ExplanationFact>,
): RuleCheck {
  return { rule, satisfied, explanation, facts };
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
  const checks = [
    check(
      'needs-convened-panel',
      panel !== undefined,
      panel
        ? `The panel had convened on the case at meeting ${decidedBy.meetingId}.`
        : `The case was ${before.status}, not panel-convened, when the decision was recorded.`,
      { statusBefore: before.status, meetingId: decidedBy.meetingId, panelId: decidedBy.panelId },
    ),
  ];
  const presiding = panel?.chairId ?? null;
  const byChair = presiding !== null && decidedBy.chairId === presiding && (recordedBy ?? presiding) === presiding;
  checks.push(
    check(
      'decision-by-presiding-chair',
      byChair,
      byChair
        ? `Recorded by ${presiding}, the chair who convened the panel.`
        : `The presiding chair was ${presiding ?? 'nobody'}; the decision names ${decidedBy.chairId} and was recorded by ${recordedBy ?? 'an unknown user'}.`,
      { presidingChair: presiding, decisionChair: decidedBy.chairId, recordedBy: recordedBy ?? null },
    ),
  );

  const members = panel?.members ?? [];
  const conflicted = members.filter((member) => member.conflictDeclared).map((member) => member.memberId);
  // A definition with panels sets a quorum (WorkflowRules says so); one without has none to check.
  const quorum = definition.rules.panelQuorum;
  if (quorum !== undefined) checks.push(panelQuorumCheck(members, quorum));

  const participants = [...data.votes.map((vote) => vote.memberId), ...data.dissent.map((d) => d.memberId)];
  const absent = unique(participants.filter((id) => !members.some((member) => member.memberId === id)));
  const conflictedTakingPart = unique(participants.filter((id) => conflicted.includes(id)));
  checks.push(
    check(
      'member-not-present',
      absent.length === 0,
      absent.length === 0
        ? 'Every member who voted or dissented was at the meeting.'
        : `${absent.join(', ')} voted or dissented without being at the meeting.`,
      { voters: unique(data.votes.map((vote) => vote.memberId)), notPresent: absent },
    ),
    check(
      'conflicted-member-excluded',
      conflictedTakingPart.length === 0,
      conflictedTakingPart.length === 0
        ? `No member with a declared conflict voted or dissented${conflicted.length ? ` (${conflicted.join(', ')} took no part)` : ''}.`
        : `${conflictedTakingPart.join(', ')} declared a conflict yet took part.`,
      { excludedForConflict: conflicted, conflictedTakingPart },
    ),
  );

  const twiceVoted = duplicates(data.votes.map((vote) => vote.memberId));
  const twiceDissented = duplicates(data.dissent.map((d) => d.memberId));
  checks.push(
    check(
      'duplicate-vote',
      twiceVoted.length === 0 && twiceDissented.length === 0,
      twiceVoted.length + twiceDissented.length === 0
        ? `${data.votes.length} vote${data.votes.length === 1 ? '' : 's'} cast, one per member.`
        : `${[...twiceVoted, ...twiceDissented].join(', ')} voted or dissented twice.`,
      { votes: data.votes.length, votedTwice: twiceVoted, dissentedTwice: twiceDissented },
    ),
  );

  const contradicting = data.dissent
    .filter((d) => data.votes.some((vote) => vote.memberId === d.memberId && vote.vote === data.outcome))
    .map((d) => d.memberId);
  checks.push(
    check(
      'dissent-contradicts-vote',
      contradicting.length === 0,
      contradicting.length === 0
        ? data.dissent.length === 0
          ? 'No member dissented.'
          : `${data.dissent.length} dissent${data.dissent.length === 1 ? '' : 's'} recorded, none from a member who voted for the outcome.`
        : `${contradicting.join(', ')} dissented from the outcome they voted for.`,
      { dissenters: data.dissent.map((d) => d.memberId), contradicting },
    ),
  );
  return checks;
}

function everyDecisionRules(
  before: CaseState,
  decision: DecisionRecorded,
  definition: WorkflowDefinition,
): RuleCheck[] {
  const { data } = decision;
  const checks: RuleCheck[] = [];
  checks.push(recoveryPeriodCheck(recoveryPeriodOf(before), data.decidedAt));

  const length = data.rationale.trim().length;
  const minimum = definition.rules.minRationaleLength;
  checks.push(
    check(
      'written-rationale-required',
      length >= minimum,
      `The written rationale is ${length} characters long; the definition asks for at least ${minimum}.`,
      { rationaleLength: length, minimumLength: minimum },
    ),
  );

  const onFile = before.status === 'none' ? [] : caseFileOf(before).evidence.map((item) => item.evidenceId);
  const reliedOn = data.evidenceReliedOn.map((item) => item.evidenceId);
  const missing = reliedOn.filter((id) => !onFile.includes(id));
  checks.push(
    check(
      'evidence-not-on-file',
      missing.length === 0,
      reliedOn.length === 0
        ? 'The decision relies on no evidence besides the referral.'
        : missing.length === 0
          ? `All ${reliedOn.length} item${reliedOn.length === 1 ? '' : 's'} of evidence relied on ${reliedOn.length === 1 ? 'was' : 'were'} on the case file.`
          : `Evidence ${missing.join(', ')} was relied on but not on the case file.`,
      { reliedOn, onFile, missing },
    ),
  );
  return checks;
}

function recoveryPeriodOf(state: CaseState): RecoveryPeriod | undefined {
  const open = state.status === 'suspended' ? state.resumeTo : state;
  return 'recoveryPeriod' in open ? open.recoveryPeriod : undefined;
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}

function duplicates(values: readonly string[]): string[] {
  return unique(values.filter((value, index) => values.indexOf(value) !== index));
}
