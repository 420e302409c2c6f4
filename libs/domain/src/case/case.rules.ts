import type { DutyToNotifyDefinition } from '../dtn/duty-to-notify.definition';
import type { FirstResponderOrganisations } from '../intake/first-responders.definition';
import { RuleBrokenError, type RuleName } from '../shared/domain.errors';
import { organisationById, resolveOrganisationId } from '../shared/organisations.data';
import type { CompetentAuthorityAllocation, SupportProviders } from '../workflow/workflow.definition';
import { instant } from '../shared/time.helpers';
import type { AgeGroup, PanelDiscipline } from '../shared/vocabulary.model';
import type { PanelVotingRule, WorkflowRules } from '../workflow/workflow.definition';
import { caseFileOf, type ExistingCase, type RecoveryPeriod } from './case.state';

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

/** The refusal naming the check's rule and explanation when it did not hold. */
export function refusalOf(check: RuleCheck): RuleBrokenError | undefined {
  return check.satisfied ? undefined : new RuleBrokenError(check.rule, check.explanation);
}

/** Refuses with the check's rule and explanation when it did not hold. */
export function enforce(check: RuleCheck): void {
  const refusal = refusalOf(check);
  if (refusal) throw refusal;
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

/** A panel member as the rules about organisations read them: an id, or a name marked unverified. */
export interface MemberOrganisation {
  readonly memberId: string;
  /** A registry id; a name as typed only where `agencyUnverified` (recorded before the registry). */
  readonly agency: string;
  readonly agencyUnverified?: boolean;
}

/**
 * `panel-member-from-another-region`: panels are regional (the pilot's regional multi-disciplinary
 * panels), so each member's organisation serves the panel's region or is national (no region in
 * the registry: UKVI, Border Force, the GLAA, national NGOs). Compared by registry id; a name
 * recorded before the registry, unverified, is not judged by a guess at its region.
 */
export function panelMembersOfRegionCheck(members: readonly MemberOrganisation[], region: string): RuleCheck {
  const fromElsewhere = members.filter((member) => {
    if (member.agencyUnverified) return false;
    const serves = organisationById(member.agency)?.region;
    return serves !== undefined && serves !== region;
  });
  const satisfied = fromElsewhere.length === 0;
  return {
    rule: 'panel-member-from-another-region',
    satisfied,
    explanation: satisfied
      ? `Every member's organisation serves ${region} or is national.`
      : `The panel serves ${region}; ${fromElsewhere
          .map((member) => `${member.memberId} (${member.agency}) serves ${organisationById(member.agency)?.region}`)
          .join(', ')}`,
    facts: { region, membersFromElsewhere: fromElsewhere.map((member) => member.memberId) },
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

/** `needs-convened-panel`: the panel had convened on the case when its decision was recorded. */
export function convenedPanelCheck(
  statusBefore: string,
  meeting: { readonly meetingId: string; readonly panelId: string },
): RuleCheck {
  const satisfied = statusBefore === 'panel-convened';
  return {
    rule: 'needs-convened-panel',
    satisfied,
    explanation: satisfied
      ? `The panel had convened on the case at meeting ${meeting.meetingId}.`
      : `The case was ${statusBefore}, not panel-convened, when the decision was recorded.`,
    facts: { statusBefore, meetingId: meeting.meetingId, panelId: meeting.panelId },
  };
}

/**
 * The checks a definition's step may name: on the case as it stands, before the command's own
 * data is looked at. `refusalFor` runs those of the step, so `decideCase` and `allowedActions`
 * read the same declaration.
 */
export const CASE_CHECKS = {
  'needs-positive-lead-assessment': (state: ExistingCase): RuleCheck => {
    const assessed = state.status !== 'referred' && state.status !== 'assessment-negative';
    return {
      rule: 'needs-positive-lead-assessment',
      satisfied: assessed,
      explanation: assessed
        ? 'The lead assessment was positive.'
        : state.status === 'referred'
          ? 'The lead has not assessed the case yet'
          : 'The lead assessment was negative; only a reconsideration can bring the case to a panel',
      facts: { status: state.status },
    };
  },
  'information-request-not-open': (state: ExistingCase): RuleCheck => {
    const open = caseFileOf(state).openInformationRequests.length;
    return {
      rule: 'information-request-not-open',
      satisfied: open > 0,
      explanation:
        open > 0
          ? `${open} information request${open === 1 ? ' is' : 's are'} open.`
          : 'The case has no unanswered information request',
      facts: { openInformationRequests: open },
    };
  },
  'needs-convened-panel': (state: ExistingCase): RuleCheck => {
    const convened = state.status !== 'listed';
    return {
      rule: 'needs-convened-panel',
      satisfied: convened,
      explanation: convened ? 'The panel has convened on the case.' : 'The panel has not convened on the case',
      facts: { status: state.status },
    };
  },
} as const satisfies Record<string, (state: ExistingCase) => RuleCheck>;

/** The name of a check a definition's step may list. */
export type CaseCheckName = keyof typeof CASE_CHECKS;

/** A member taking part in a decision: a vote or a dissent, by member id. */
interface TakingPart {
  readonly memberId: string;
}

/** The members at a meeting, as the rules about who takes part read them. */
type MembersAtMeeting = readonly { readonly memberId: string; readonly conflictDeclared: boolean }[];

/**
 * `decision-by-presiding-chair`: the decision names, and is recorded by, the chair who convened
 * the panel. An unknown recorder (a history without metadata) is taken to be the chair.
 */
export function presidingChairCheck(
  presidingChair: string | null,
  decisionChair: string,
  recordedBy: string | undefined,
): RuleCheck {
  const satisfied =
    presidingChair !== null && decisionChair === presidingChair && (recordedBy ?? presidingChair) === presidingChair;
  return {
    rule: 'decision-by-presiding-chair',
    satisfied,
    explanation: satisfied
      ? `Recorded by ${presidingChair}, the chair who convened the panel.`
      : `Only the chair who convened the panel records its decision: the presiding chair was ${presidingChair ?? 'nobody'}; the decision names ${decisionChair} and was recorded by ${recordedBy ?? 'an unknown user'}`,
    facts: { presidingChair, decisionChair, recordedBy: recordedBy ?? null },
  };
}

/** `member-not-present`: every member who votes or dissents was at the meeting (none where no panel sat). */
export function membersPresentCheck(
  members: MembersAtMeeting,
  votes: readonly TakingPart[],
  dissent: readonly TakingPart[],
): RuleCheck {
  const participants = [...votes, ...dissent].map((part) => part.memberId);
  const absent = unique(participants.filter((id) => !members.some((member) => member.memberId === id)));
  return {
    rule: 'member-not-present',
    satisfied: absent.length === 0,
    explanation:
      absent.length === 0
        ? 'Every member who voted or dissented was at the meeting.'
        : `${absent.join(', ')} voted or dissented without being at the meeting`,
    facts: { voters: unique(votes.map((vote) => vote.memberId)), notPresent: absent },
  };
}

/** `conflicted-member-excluded`: a member who declared a conflict neither votes nor dissents. */
export function conflictedMembersCheck(
  members: MembersAtMeeting,
  votes: readonly TakingPart[],
  dissent: readonly TakingPart[],
): RuleCheck {
  const conflicted = members.filter((member) => member.conflictDeclared).map((member) => member.memberId);
  const takingPart = unique(
    [...votes, ...dissent].map((part) => part.memberId).filter((id) => conflicted.includes(id)),
  );
  return {
    rule: 'conflicted-member-excluded',
    satisfied: takingPart.length === 0,
    explanation:
      takingPart.length === 0
        ? `No member with a declared conflict voted or dissented${conflicted.length ? ` (${conflicted.join(', ')} took no part)` : ''}.`
        : `${takingPart.join(', ')} declared a conflict yet took part`,
    facts: { excludedForConflict: conflicted, conflictedTakingPart: takingPart },
  };
}

/** `duplicate-vote`: one vote and one dissent per member. */
export function oneVotePerMemberCheck(votes: readonly TakingPart[], dissent: readonly TakingPart[]): RuleCheck {
  const votedTwice = repeated(votes.map((vote) => vote.memberId));
  const dissentedTwice = repeated(dissent.map((d) => d.memberId));
  const satisfied = votedTwice.length + dissentedTwice.length === 0;
  return {
    rule: 'duplicate-vote',
    satisfied,
    explanation: satisfied
      ? `${votes.length} vote${votes.length === 1 ? '' : 's'} cast, one per member.`
      : `${[...votedTwice, ...dissentedTwice].join(', ')} voted or dissented twice`,
    facts: { votes: votes.length, votedTwice, dissentedTwice },
  };
}

/** `dissent-contradicts-vote`: nobody dissents from the outcome they voted for. */
export function dissentConsistentCheck(
  votes: readonly { readonly memberId: string; readonly vote: string }[],
  dissent: readonly TakingPart[],
  outcome: string,
): RuleCheck {
  const contradicting = dissent
    .filter((d) => votes.some((vote) => vote.memberId === d.memberId && vote.vote === outcome))
    .map((d) => d.memberId);
  const satisfied = contradicting.length === 0;
  return {
    rule: 'dissent-contradicts-vote',
    satisfied,
    explanation: satisfied
      ? dissent.length === 0
        ? 'No member dissented.'
        : `${dissent.length} dissent${dissent.length === 1 ? '' : 's'} recorded, none from a member who voted for the outcome.`
      : `${contradicting.join(', ')} dissented from the outcome they voted for`,
    facts: { dissenters: dissent.map((d) => d.memberId), contradicting },
  };
}

/** `written-rationale-required`: the rationale explains the decision in at least `minimum` characters. */
export function rationaleCheck(rationale: string, minimum: number, field = 'rationale'): RuleCheck {
  const length = rationale.trim().length;
  const satisfied = length >= minimum;
  return {
    rule: 'written-rationale-required',
    satisfied,
    explanation: satisfied
      ? `The written rationale is ${length} characters long; the definition asks for at least ${minimum}.`
      : `${field} must explain the decision in at least ${minimum} characters`,
    facts: { rationaleLength: length, minimumLength: minimum },
  };
}

/** `evidence-not-on-file`: every item of evidence relied on is on the case file. */
export function evidenceOnFileCheck(reliedOn: readonly string[], onFile: readonly string[]): RuleCheck {
  const missing = unique(reliedOn.filter((id) => !onFile.includes(id)));
  const satisfied = missing.length === 0;
  return {
    rule: 'evidence-not-on-file',
    satisfied,
    explanation:
      reliedOn.length === 0
        ? 'The decision relies on no evidence besides the referral.'
        : satisfied
          ? `All ${reliedOn.length} item${reliedOn.length === 1 ? '' : 's'} of evidence relied on ${reliedOn.length === 1 ? 'was' : 'were'} on the case file.`
          : `Evidence ${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} not on the case file`,
    facts: { reliedOn: [...reliedOn], onFile: [...onFile], missing },
  };
}

/**
 * `dtn-not-a-notifying-authority`: the organisation the notifier's token names is under the
 * duty (by statute or by policy). NGOs, health bodies and unknown organisations are not.
 */
export function notifyingAuthorityCheck(definition: DutyToNotifyDefinition, agency: string): RuleCheck {
  const organisation = organisationById(agency);
  const type = organisation?.type ?? null;
  const basis =
    organisation === undefined
      ? null
      : definition.statutoryTypes.includes(organisation.type) || definition.statutoryBodies.includes(organisation.id)
        ? 'statute'
        : definition.byPolicy.includes(organisation.id)
          ? 'policy'
          : null;
  return {
    rule: 'dtn-not-a-notifying-authority',
    satisfied: basis !== null,
    explanation:
      basis !== null
        ? `${organisation?.name ?? agency} notifies under the Duty to Notify by ${basis}.`
        : organisation === undefined
          ? `${agency} is not an organisation of the registry, so it is not a notifying authority`
          : `${organisation.name} (${organisation.type}) is not under the Duty to Notify: only police, local authorities, the NCA and the GLA (by statute) and UKVI, Border Force and Immigration Enforcement (by policy) notify`,
    facts: { agency, organisationType: type, basis, duty: definition.id },
  };
}

/** `dtn-before-commencement`: the notification's business time is on or after the duty came into force. */
export function dutyInForceCheck(definition: DutyToNotifyDefinition, notifiedAt: string): RuleCheck {
  const inForce = instant(notifiedAt, 'notifiedAt') >= instant(definition.inForceFrom, 'inForceFrom');
  return {
    rule: 'dtn-before-commencement',
    satisfied: inForce,
    explanation: inForce
      ? `The duty was in force from ${definition.inForceFrom}; the notification was made at ${notifiedAt}.`
      : `The Duty to Notify came into force on ${definition.inForceFrom}; a notification made at ${notifiedAt} is before it`,
    facts: { inForceFrom: definition.inForceFrom, notifiedAt },
  };
}

/** `dtn-england-and-wales-only`: the notification is from a region of England or Wales. */
export function dutyRegionCheck(definition: DutyToNotifyDefinition, region: string): RuleCheck {
  const covered = (definition.regions as readonly string[]).includes(region);
  return {
    rule: 'dtn-england-and-wales-only',
    satisfied: covered,
    explanation: covered
      ? `${region} is in England and Wales, where the duty runs.`
      : `The Duty to Notify (s.52) runs in England and Wales only; ${region} is outside it`,
    facts: { region, regions: [...definition.regions] },
  };
}

/**
 * Which competent authority decides a case, by the person's nationalities: the EEA authority when
 * any of them is an EEA nationality of the definition, else the other.
 */
export function allocateCompetentAuthority(
  allocation: CompetentAuthorityAllocation,
  nationalities: readonly string[],
): { readonly competentAuthority: string; readonly basis: 'eea-national' | 'non-eea-national' } {
  const eea = nationalities.some((code) => allocation.eeaNationalities.includes(code));
  return eea
    ? { competentAuthority: allocation.eea, basis: 'eea-national' }
    : { competentAuthority: allocation.other, basis: 'non-eea-national' };
}

/**
 * `wrong-competent-authority`: a competent authority acts only on cases allocated to it (the
 * organisation its token names). A case with no allocation recorded (the pilot route, or a central
 * case raised before allocation) is any competent authority's.
 */
export function allocatedAuthorityCheck(allocatedTo: string | undefined, agency: string): RuleCheck {
  const actingFor = resolveOrganisationId(agency) ?? agency;
  const satisfied = allocatedTo === undefined || allocatedTo === actingFor;
  return {
    rule: 'wrong-competent-authority',
    satisfied,
    explanation:
      allocatedTo === undefined
        ? 'The case records no allocation, so any competent authority may act on it.'
        : satisfied
          ? `The case is allocated to ${allocatedTo}, the actor's competent authority.`
          : `The case is allocated to ${allocatedTo}; ${actingFor} may not act on it as the competent authority`,
    facts: { allocatedTo: allocatedTo ?? null, actingFor },
  };
}

/**
 * `support-provider-for-age-group`: the adult support contract supports adults, the local
 * authority's children's services support children (an unknown age counts as a child). A provider
 * the registry does not know (a GP surgery, a solicitor typed as text) is neither and passes.
 */
export function supportProviderCheck(
  providers: SupportProviders | undefined,
  ageGroup: string,
  provider: string,
): RuleCheck {
  const id = resolveOrganisationId(provider);
  const type = id === undefined ? null : (organisationById(id)?.type ?? null);
  const child = ageGroup !== 'adult';
  const adultContract = id !== undefined && (providers?.adultContract ?? []).includes(id);
  const childrensServices = providers !== undefined && type === providers.children;
  const satisfied = child ? !adultContract : !childrensServices;
  return {
    rule: 'support-provider-for-age-group',
    satisfied,
    explanation: satisfied
      ? `${provider} may support ${child ? 'a child' : 'an adult'}.`
      : child
        ? `${provider} holds the adult support contract; a child (or a person of unknown age) is supported by the local authority's children's services`
        : `${provider} is a local authority: its children's services support children; an adult is supported under the adult contract (${(providers?.adultContract ?? []).join(', ')})`,
    facts: { ageGroup, provider: id ?? provider, providerType: type },
  };
}

/**
 * `panel-discipline-missing`: the disciplines the definition names for the case are in the room,
 * among the members present without a conflict on it (a child's case, or one of unknown age,
 * needs `forChild` besides `always`).
 */
export function panelDisciplinesCheck(
  required: NonNullable<WorkflowRules['panelDisciplines']>,
  ageGroup: AgeGroup,
  members: readonly {
    readonly memberId: string;
    readonly discipline: PanelDiscipline;
    readonly conflictDeclared: boolean;
  }[],
): RuleCheck {
  const needed = unique([...required.always, ...(ageGroup === 'adult' ? [] : required.forChild)]);
  const present = unique(members.filter((member) => !member.conflictDeclared).map((member) => member.discipline));
  const missing = needed.filter((discipline) => !present.includes(discipline));
  return {
    rule: 'panel-discipline-missing',
    satisfied: missing.length === 0,
    explanation:
      missing.length === 0
        ? `Every discipline the definition names for ${ageGroup === 'adult' ? "an adult's" : "a child's"} case was present (${needed.join(', ')}).`
        : `To decide ${ageGroup === 'adult' ? "an adult's" : "a child's"} case the panel needs ${missing.join(' and ')} present without a conflict; missing: ${missing.join(', ')}`,
    facts: { required: needed, present, missing, ageGroup },
  };
}

/**
 * `votes-do-not-support-outcome`: the outcome follows from the votes under the definition's
 * voting rule. Every member entitled to vote (present, not conflicted) votes or abstains.
 */
export function votingRuleCheck(
  rule: PanelVotingRule,
  eligibleVoters: readonly string[],
  votes: readonly { readonly memberId: string; readonly vote: 'positive' | 'negative' | 'abstain' }[],
  chairCastingVote: 'positive' | 'negative' | null,
  outcome: 'positive' | 'negative',
): RuleCheck {
  const positive = votes.filter((vote) => vote.vote === 'positive').length;
  const negative = votes.filter((vote) => vote.vote === 'negative').length;
  const notVoting = eligibleVoters.filter((id) => !votes.some((vote) => vote.memberId === id));
  const facts = {
    rule,
    positive,
    negative,
    abstained: votes.length - positive - negative,
    notVoting,
    chairCastingVote,
    outcome,
  };
  const refuse = (why: string): RuleCheck => ({
    rule: 'votes-do-not-support-outcome',
    satisfied: false,
    explanation: why,
    facts,
  });
  if (notVoting.length > 0) return refuse(`${notVoting.join(', ')} may vote and neither voted nor abstained`);
  const against = outcome === 'positive' ? negative : positive;
  const forIt = outcome === 'positive' ? positive : negative;
  if (rule === 'consensus') {
    if (against > 0 || forIt === 0) {
      return refuse(
        `Under consensus nobody votes against the outcome and someone votes for it: ${forIt} for ${outcome}, ${against} against`,
      );
    }
    return {
      rule: 'votes-do-not-support-outcome',
      satisfied: true,
      explanation: `Consensus: ${forIt} for ${outcome}, none against.`,
      facts,
    };
  }
  if (forIt > against) {
    return {
      rule: 'votes-do-not-support-outcome',
      satisfied: true,
      explanation: `A majority of ${forIt} to ${against} for ${outcome}.`,
      facts,
    };
  }
  if (forIt === against) {
    if (chairCastingVote === outcome) {
      return {
        rule: 'votes-do-not-support-outcome',
        satisfied: true,
        explanation: `Tied ${forIt} to ${against}; the chair's casting vote was ${outcome}.`,
        facts,
      };
    }
    return refuse(
      chairCastingVote === null
        ? `The votes tied ${forIt} to ${against}: the chair's casting vote decides a tie, and none was given`
        : `The votes tied ${forIt} to ${against} and the chair's casting vote was ${chairCastingVote}, not ${outcome}`,
    );
  }
  return refuse(`The votes were ${forIt} for ${outcome} and ${against} against: a majority did not support it`);
}

function unique<T extends string>(values: readonly T[]): T[] {
  return [...new Set(values)];
}

function repeated<T extends string>(values: readonly T[]): T[] {
  return unique(values.filter((value, index) => values.indexOf(value) !== index));
}

/**
 * `not-a-first-responder`: the organisation the token names is a first responder organisation of
 * the definition (a police force or local authority by type, or a named agency or NGO).
 */
export function firstResponderOrganisationCheck(definition: FirstResponderOrganisations, agency: string): RuleCheck {
  const organisation = organisationById(agency);
  const type = organisation?.type ?? null;
  const basis =
    organisation === undefined
      ? null
      : definition.byType.includes(organisation.type)
        ? 'type'
        : definition.named.includes(organisation.id)
          ? 'named'
          : null;
  return {
    rule: 'not-a-first-responder',
    satisfied: basis !== null,
    explanation:
      basis !== null
        ? `${organisation?.name ?? agency} is a first responder organisation (${basis === 'type' ? `every ${type}` : 'named'}).`
        : organisation === undefined
          ? `${agency} is not an organisation of the registry, so it is not a first responder`
          : `${organisation.name} (${organisation.type}) is not a first responder organisation: police forces, local authorities, UKVI, Border Force, Immigration Enforcement, the GLA(A), the NCA and the specified NGOs refer`,
    facts: { agency, organisationType: type, basis, firstResponders: definition.id },
  };
}
