import type { Role } from '../shared/actor.model';
import type { CaseCommandType } from '../case/case.commands';
import type { CaseCheckName } from '../case/case.rules';
import { CASE_STATUSES, type CaseStatus } from '../case/case.state';
import type { PanelDiscipline } from '../shared/vocabulary.model';
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
  /**
   * The disciplines a panel meeting must have present (and not conflicted on the case) to decide
   * it: `always`, and `forChild` besides when the case is a child's (or of unknown age). Only where
   * a panel decides.
   */
  readonly panelDisciplines?: {
    readonly always: readonly PanelDiscipline[];
    readonly forChild: readonly PanelDiscipline[];
  };
  /**
   * How a meeting's votes decide: `majority-chair-casting-vote` (more votes for the outcome than
   * against among the members present and not conflicted, each of whom votes or abstains; the
   * chair's casting vote settles a tie) or `consensus` (nobody votes against the outcome; dissent
   * is recorded on the decision). Only where a panel decides.
   */
  readonly panelVoting?: PanelVotingRule;
  /** Shortest written rationale accepted, in characters (ignoring surrounding blanks). */
  readonly minRationaleLength: number;
  readonly decisionStage: 'conclusive-grounds';
  readonly standardOfProof: 'balance-of-probabilities';
  /** The standard of a reasonable grounds decision, where the workflow makes one. */
  readonly reasonableGroundsStandard?: 'reasonable-grounds-to-believe';
  /** The guidance the standards of proof come from, recorded on every decision. */
  readonly guidanceVersion: string;
  /**
   * Where a competent authority decides: which one, by nationality. A referral records the
   * allocation (`CompetentAuthorityAllocated`) and only the allocated authority acts as one on it.
   */
  readonly competentAuthorityAllocation?: CompetentAuthorityAllocation;
  /**
   * Who accepts a first responder's referral into a case (or returns it): the region's Slavery
   * Safeguarding Lead on the pilot, the competent authority on the central route. Absent: the
   * workflow takes no first responder referrals.
   */
  readonly referralsAcceptedBy?: Role;
  /** Who supports whom: checked when support is arranged (`support-provider-for-age-group`). */
  readonly supportProviders?: SupportProviders;
}

/** Support providers by who the person is (registry ids and organisation types). */
export interface SupportProviders {
  /** The adult support contract's holder and subcontractors: adults only. */
  readonly adultContract: readonly string[];
  /** The organisation type that supports children (the local authority's children's services). */
  readonly children: 'local-authority';
}

/** Which competent authority decides a case, by the person's nationality (registry ids). */
export interface CompetentAuthorityAllocation {
  /** ISO 3166-1 alpha-3 codes of the nationalities `eea` decides for. */
  readonly eeaNationalities: readonly string[];
  /** Decides for a person with an EEA nationality (either of two). */
  readonly eea: string;
  /** Decides for everyone else, including stateless people and unknown nationality. */
  readonly other: string;
}

/** A panel's voting rule (see {@link WorkflowRules.panelVoting}). */
export type PanelVotingRule = 'majority-chair-casting-vote' | 'consensus';

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
 * One command as a definition declares it, the one place that says so: the state it is allowed
 * from, the roles that may issue it there, the checks the case must pass before the command's own
 * data is looked at, and where it leads. A step with checks the case in `from` can never pass
 * (listing before a positive lead assessment) lists no `to`: it is open only so the refusal can
 * name the rule.
 */
export interface WorkflowStep extends WorkflowTransition {
  readonly roles: readonly Role[];
  readonly checks?: readonly CaseCheckName[];
}

/**
 * A case workflow as data. `steps` says which roles may issue which command in each state (and
 * `none`, before the case exists), after which checks, and where it leads; a command no role may issue in a state is refused with
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
  /** Every command, per state it is allowed from: the one declaration `commands` and `transitions` are read from. */
  readonly steps: readonly WorkflowStep[];
  /** Which roles may issue which command in each state, as `steps` declare it. */
  readonly commands: Readonly<Record<CaseStatus | 'none', Partial<Record<CaseCommandType, readonly Role[]>>>>;
  /** Where each step leads, as `steps` declare it (what `/workflows` and its diagram show). */
  readonly transitions: readonly WorkflowTransition[];
  readonly rules: WorkflowRules;
  /** Timed, soft deadlines: a miss is recorded by the scheduler, never a block. */
  readonly deadlines: readonly DeadlineSpec[];
  /** Minimum notices checked when a command is decided. */
  readonly notices: readonly NoticeSpec[];
}

/** A definition from its steps: `commands` and `transitions` are read from them, never written twice. */
export function defineWorkflow(declared: Omit<WorkflowDefinition, 'commands' | 'transitions'>): WorkflowDefinition {
  const commands = Object.fromEntries(
    ['none', ...CASE_STATUSES].map((state) => [state, {} as Partial<Record<CaseCommandType, readonly Role[]>>]),
  ) as Record<CaseStatus | 'none', Partial<Record<CaseCommandType, readonly Role[]>>>;
  for (const { from, command, roles } of declared.steps) {
    if (commands[from][command]) throw new Error(`${declared.id}: ${command} is declared twice from ${from}`);
    commands[from][command] = roles;
  }
  return {
    ...declared,
    commands,
    transitions: declared.steps.map(({ from, command, to }) => ({ from, command, to })),
  };
}

/** The step `definition` declares for `command` from `state`, if any. */
export function stepOf(
  definition: WorkflowDefinition,
  state: CaseStatus | 'none',
  command: CaseCommandType,
): WorkflowStep | undefined {
  return definition.steps.find((step) => step.from === state && step.command === command);
}
