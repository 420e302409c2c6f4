import type { Role } from '../shared/actor.model';
import type { CaseCommandType } from '../case/case.commands';
import type { CaseStatus } from '../case/case.state';
import type { DeadlineSpec, NoticeSpec } from '../deadlines/deadline.model';

/** The numbers and fixed values a workflow's rules use. */
export interface WorkflowRules {
  /** Minimum recovery and reflection period in calendar days before a conclusive decision. */
  readonly recoveryPeriodDays: number;
  /** Minimum notice of a panel meeting in days, unless the case is urgent. Only where a panel decides. */
  readonly panelNoticeDays?: number;
  /**
   * Members present, excluding the chair and anyone with a declared conflict, needed to convene.
   * Only where a panel decides.
   */
  readonly panelQuorum?: number;
  /** Shortest written rationale accepted, in characters (ignoring surrounding blanks). */
  readonly minRationaleLength: number;
  readonly decisionStage: 'conclusive-grounds';
  readonly standardOfProof: 'balance-of-probabilities';
  /** The standard of a reasonable grounds decision, where the workflow makes one. */
  readonly reasonableGroundsStandard?: 'reasonable-grounds-to-believe';
  /** The guidance the standards of proof come from, recorded on every decision. */
  readonly guidanceVersion: string;
}

/**
 * One move a command makes: issued in `from`, when it succeeds the case ends in one of `to`. A
 * command that leaves the status alone lists `from` itself; one that is open in `from` only so its
 * refusal can name the unmet rule (it never succeeds there) lists no `to`.
 */
export interface WorkflowTransition {
  readonly from: CaseStatus | 'none';
  readonly command: CaseCommandType;
  readonly to: readonly CaseStatus[];
}

/**
 * A case workflow as data. `commands` says which roles may issue which command in each state (and
 * `none`, before the case exists); a command no role may issue in a state is refused with
 * `command-not-allowed-in-state`, one another role may issue with `NotPermittedError`. A few
 * commands are open in a state whose precondition the case may not have met yet (listing before a
 * positive lead assessment, deciding before the panel convened), so the refusal can name the rule.
 *
 * A definition never changes once a case has started under it: a change is a new `version`. Which
 * regions start new referrals under which definition is configuration, not part of the definition
 * (see `WorkflowRoutes`).
 */
export interface WorkflowDefinition {
  readonly id: string;
  readonly version: number;
  readonly title: string;
  readonly states: readonly CaseStatus[];
  /** States in which the case takes no more commands. */
  readonly terminal: readonly CaseStatus[];
  readonly commands: Readonly<Record<CaseStatus | 'none', Partial<Record<CaseCommandType, readonly Role[]>>>>;
  /** Where each command open in `commands` leads: exactly one entry per (state, command) there. */
  readonly transitions: readonly WorkflowTransition[];
  readonly rules: WorkflowRules;
  /** Timed, soft deadlines: a miss is recorded by the scheduler, never a block. */
  readonly deadlines: readonly DeadlineSpec[];
  /** Minimum notices checked when a command is decided. */
  readonly notices: readonly NoticeSpec[];
}
