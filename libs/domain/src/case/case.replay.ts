import type { Actor, DecisionContext } from '../shared/actor.model';
import { assertNever } from '../shared/assert-never.helper';
import { DomainError, NotPermittedError, RuleBrokenError } from '../shared/domain.errors';
import type { WorkflowDefinition } from '../workflow/workflow.definition';
import type { CaseCommand, CaseCommandType } from './case.commands';
import { decideCaseUnder } from './case.decider';
import type { CaseEvent } from './case.events';
import { evolveCase } from './case.evolver';
import { initialCaseState, type CaseState } from './case.state';

/** One recorded step of a case: the events one command (or one system record) appended, decoded and readable. */
export interface RecordedStep {
  /** The revision of the step's first event. */
  readonly revision: bigint;
  readonly commandId: string;
  /** Who issued it, as the metadata records; `role: 'system'` for Harbour's own records. */
  readonly actor: Actor | { readonly role: 'system' };
  /** Business time of the command. */
  readonly occurredAt: string;
  readonly events: readonly CaseEvent[];
}

/** Why a recorded step could not be re-decided. */
export type NotReconstructable =
  | 'referral' // RaiseReferral chooses the definition: replay-diff replaces that choice, so it is not re-decided.
  | 'system-record' // DeadlineBreached, RecoveryPeriodEnded: Harbour's scheduler, not a command.
  | 'personal-data-erased'; // The rationale or other text it carried was crypto-shredded: the command is gone.

/** The first step of a case that would have gone differently under the other definition. */
export interface ReplayDifference {
  readonly caseId: string;
  readonly revision: string;
  readonly command: CaseCommandType;
  readonly occurredAt: string;
  /** `refused`: the other definition refuses a command that was recorded; `different-events`: it records otherwise. */
  readonly kind: 'refused' | 'different-events';
  /** The rule that refused it (`RuleBrokenError`), or `role-not-permitted` and the like for a refusal by role or scope. */
  readonly rule: string;
  /** The facts the rule used, as its refusal states them; or where the events would differ. */
  readonly facts: string;
}

export interface CaseReplay {
  readonly caseId: string;
  /** Commands re-decided (the steps before the first difference, and it). */
  readonly replayed: number;
  /** Steps folded as recorded without being re-decided, by reason. */
  readonly skipped: Readonly<Partial<Record<NotReconstructable, number>>>;
  readonly difference?: ReplayDifference;
}

/** Marks where personal data was erased: a reader gets this instead of the value. */
const ERASED_MARK = '[erased]';

/**
 * Re-decides, in order, every command a case recorded under `definition`, each against the case
 * as recorded so far (identical to the other definition's case up to the first difference), and
 * returns the first step that would have gone differently, with the rule and its facts.
 *
 * Commands are reconstructed from the events they recorded; a command that was refused recorded
 * nothing, so what a looser rule would have let through cannot be seen here.
 */
export function replayCaseUnder(
  definition: WorkflowDefinition,
  caseId: string,
  steps: readonly RecordedStep[],
  context: Pick<DecisionContext, 'panels' | 'workflowRoutes'> = {},
): CaseReplay {
  let state: CaseState = initialCaseState();
  let replayed = 0;
  const skipped: Partial<Record<NotReconstructable, number>> = {};
  for (const step of steps) {
    const command = commandOf(caseId, step);
    if (typeof command === 'string' || state.status === 'none') {
      const reason = typeof command === 'string' ? command : 'referral';
      skipped[reason] = (skipped[reason] ?? 0) + 1;
    } else {
      replayed += 1;
      const actor = step.actor as Actor;
      const difference = differenceOf(step, command.type, () =>
        decideCaseUnder(definition, command, state as Exclude<CaseState, { status: 'none' }>, {
          ...context,
          actor,
          now: step.occurredAt,
        }),
      );
      if (difference) return { caseId, replayed, skipped, difference: { caseId, ...difference } };
    }
    state = step.events.reduce(evolveCase, state);
  }
  return { caseId, replayed, skipped };
}

function differenceOf(
  step: RecordedStep,
  command: CaseCommandType,
  decide: () => CaseEvent[],
): Omit<ReplayDifference, 'caseId'> | undefined {
  const at = { revision: step.revision.toString(), command, occurredAt: step.occurredAt };
  let events: CaseEvent[];
  try {
    events = decide();
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    const rule =
      error instanceof RuleBrokenError ? error.rule : error instanceof NotPermittedError ? error.reason : error.code;
    const facts = error instanceof RuleBrokenError ? error.detail : error.message;
    return { ...at, kind: 'refused', rule, facts };
  }
  const paths = differingPaths(step.events, events, '');
  if (paths.length === 0) return undefined;
  // Paths only, never values: the fields may hold personal data, and the report is shared.
  return { ...at, kind: 'different-events', rule: 'different-events', facts: `differs at ${paths.join(', ')}` };
}

/** Where two JSON values differ (key order ignored), as JSON pointers; at most a few. */
function differingPaths(recorded: unknown, decided: unknown, at: string, found: string[] = []): string[] {
  if (found.length >= 5) return found;
  if (typeof recorded !== 'object' || recorded === null || typeof decided !== 'object' || decided === null) {
    if (recorded !== decided) found.push(at || '/');
    return found;
  }
  if (Array.isArray(recorded) !== Array.isArray(decided)) {
    found.push(at || '/');
    return found;
  }
  const a = recorded as Record<string, unknown>;
  const b = decided as Record<string, unknown>;
  for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
    differingPaths(a[key], b[key], `${at}/${key}`, found);
  }
  return found;
}

/**
 * The command a recorded step came from, rebuilt from its events; or why it cannot be. Every
 * command's input is in the first event it recorded (a panel convened with a conflicted chair was
 * refused, so a recorded convening had none).
 */
export function commandOf(caseId: string, step: RecordedStep): CaseCommand | NotReconstructable {
  if (step.actor.role === 'system') return 'system-record';
  const [event] = step.events;
  if (JSON.stringify(event.data).includes(ERASED_MARK)) return 'personal-data-erased';
  switch (event.type) {
    // The allocation is decided with the referral, never on its own.
    case 'ReferralRaised':
    case 'CompetentAuthorityAllocated':
      return 'referral';
    case 'ImmediateSupportArranged': {
      const { supportId, kinds, provider, notes } = event.data;
      return { type: 'ArrangeImmediateSupport', caseId, data: { supportId, kinds, provider, ...opt('notes', notes) } };
    }
    case 'LeadAssessmentRecorded': {
      const { assessmentId, outcome, rationale } = event.data;
      return { type: 'RecordLeadAssessment', caseId, data: { assessmentId, outcome, rationale } };
    }
    case 'ReasonableGroundsDecisionMade': {
      const { decisionId, outcome, rationale } = event.data;
      return { type: 'MakeReasonableGroundsDecision', caseId, data: { decisionId, outcome, rationale } };
    }
    case 'CaseListedForPanel': {
      const { panelId, meetingId, meetingAt, urgent, urgencyReason } = event.data;
      const data = { panelId, meetingId, meetingAt, urgent, ...opt('urgencyReason', urgencyReason) };
      return { type: 'ListCaseForPanel', caseId, data };
    }
    case 'PanelConvened': {
      const { meetingId, members } = event.data;
      return { type: 'ConvenePanel', caseId, data: { meetingId, chairDeclaredConflict: false, members } };
    }
    case 'DecisionRecorded': {
      const { decisionId, outcome, rationale, evidenceReliedOn, votes, dissent } = event.data;
      const evidence = evidenceReliedOn.map((item) => item.evidenceId);
      const data = { decisionId, outcome, rationale, evidenceReliedOn: evidence, votes, dissent };
      return { type: 'RecordDecision', caseId, data };
    }
    case 'SecondReviewCompleted': {
      const { reviewId, outcome, rationale } = event.data;
      return { type: 'CompleteSecondReview', caseId, data: { reviewId, outcome, rationale } };
    }
    case 'ReconsiderationRequested': {
      const { reconsiderationId, requestedBy, grounds } = event.data;
      return { type: 'RequestReconsideration', caseId, data: { reconsiderationId, requestedBy, grounds } };
    }
    case 'InformationRequested': {
      const { requestId, requestedFrom, details, dueBy } = event.data;
      const data = { requestId, requestedFrom, details, ...opt('dueBy', dueBy) };
      return { type: 'RequestInformation', caseId, data };
    }
    case 'InformationReceived': {
      const { requestId, summary } = event.data;
      return { type: 'RecordInformationReceived', caseId, data: { requestId, summary } };
    }
    case 'EvidenceAdded': {
      const { evidenceId, kind, description } = event.data;
      return { type: 'AddEvidence', caseId, data: { evidenceId, kind, description } };
    }
    case 'CaseSuspended': {
      const { reason, details } = event.data;
      return { type: 'SuspendCase', caseId, data: { reason, ...opt('details', details) } };
    }
    case 'CaseResumed':
      return { type: 'ResumeCase', caseId, data: {} };
    case 'ReferralWithdrawn': {
      const { basis, notes } = event.data;
      return { type: 'WithdrawReferral', caseId, data: { basis, ...opt('notes', notes) } };
    }
    case 'CaseClosed': {
      const { notes } = event.data;
      return { type: 'CloseCase', caseId, data: { ...opt('notes', notes) } };
    }
    case 'DeadlineBreached':
    case 'RecoveryPeriodEnded':
      return 'system-record';
    default:
      return assertNever(event);
  }
}

function opt<Key extends string, Value>(key: Key, value: Value | undefined): { [K in Key]?: Value } {
  return (value === undefined ? {} : { [key]: value }) as { [K in Key]?: Value };
}
