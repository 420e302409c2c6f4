import { RuleBrokenError, type RuleName } from '../shared/domain.errors';
import { instant } from '../shared/time.helpers';
import type { RecoveryPeriod } from './case.state';

/** A fact a rule used, as a decision explanation shows it. */
export type ExplanationFact = string | number | boolean | null | readonly string[];

/**
 * One named rule, checked: whether it held, why in words, and the facts it used. The decider
 * enforces it (a refusal names the rule and says why), and the decision explainer reports it:
 * both call the same check, so what the explanation says is what the decider did.
 */
export interface RuleCheck {
  readonly rule: RuleName;
  readonly satisfied: boolean;
  readonly explanation: string;
  readonly facts: Readonly<Record<string, ExplanationFact>>;
}

/** Refuses with the check's rule and explanation when it did not hold. */
export function enforce(check: RuleCheck): void {
  if (!check.satisfied) throw new RuleBrokenError(check.rule, check.explanation);
}

/** `panel-quorum-5`: enough members present without a declared conflict, besides the chair. */
export function panelQuorumCheck(
  members: readonly { readonly memberId: string; readonly conflictDeclared: boolean }[],
  quorum: number,
): RuleCheck {
  const counted = members.filter((member) => !member.conflictDeclared).map((member) => member.memberId);
  const conflicted = members.filter((member) => member.conflictDeclared).map((member) => member.memberId);
  const satisfied = counted.length >= quorum;
  return {
    rule: 'panel-quorum-5',
    satisfied,
    explanation: satisfied
      ? `${counted.length} member${counted.length === 1 ? '' : 's'} present without a conflict besides the chair; the quorum is ${quorum}.`
      : `A panel needs ${quorum} members present besides the chair and without a conflict; ${counted.length} are`,
    facts: { membersCounted: counted, excludedForConflict: conflicted, counted: counted.length, quorum },
  };
}

/** `recovery-period-not-elapsed`: no conclusive decision before the recovery period has run. */
export function recoveryPeriodCheck(recovery: RecoveryPeriod | undefined, decidedAt: string): RuleCheck {
  if (recovery === undefined) {
    return {
      rule: 'recovery-period-not-elapsed',
      satisfied: false,
      explanation: 'The case had no recovery period running when the decision was made, so it cannot have elapsed.',
      facts: { recoveryEndsAt: null, decidedAt },
    };
  }
  const elapsed = instant(decidedAt, 'decidedAt') >= instant(recovery.endsAt, 'recoveryPeriod.endsAt');
  return {
    rule: 'recovery-period-not-elapsed',
    satisfied: elapsed,
    explanation: elapsed
      ? `The ${recovery.days}-day recovery period ended at ${recovery.endsAt}; the decision was made at ${decidedAt}.`
      : `No conclusive decision before the recovery period ends at ${recovery.endsAt} (the decision was made at ${decidedAt})`,
    facts: {
      recoveryStartsAt: recovery.startsAt,
      recoveryEndsAt: recovery.endsAt,
      recoveryDays: recovery.days,
      decidedAt,
    },
  };
}
