import type { Actor, DecisionContext } from '../shared/actor.model';
import { assertNever } from '../shared/assert-never.helper';
import { optional, optionalText, requireOrganisation, requireSelection, requireText } from '../shared/data.helpers';
import { CaseAlreadyExistsError, CaseNotFoundError, NotPermittedError, RuleBrokenError } from '../shared/domain.errors';
import { sameOrganisation } from '../shared/organisations.data';
import { isForceInRegion, type Region } from '../shared/police-regions.model';
import { addDays, ageInYears, daysBetween, instant } from '../shared/time.helpers';
import type { Outcome } from '../shared/vocabulary.model';
import { stepOf, type WorkflowDefinition } from '../workflow/workflow.definition';
import { findWorkflow, workflowForRegion } from '../workflow/workflow.registry';
import { DEFAULT_WORKFLOW_ROUTES } from '../workflow/workflow.routes';
import { defaultPanels, panelDirectory, type PanelDirectory } from '../panel/panel.registry';
import { refusalFor } from './case.access';
import { allocateCompetentAuthority, supportProviderCheck } from './case.rules';
import {
  conflictedMembersCheck,
  dissentConsistentCheck,
  enforce,
  evidenceOnFileCheck,
  membersPresentCheck,
  oneVotePerMemberCheck,
  panelMembersOfRegionCheck,
  panelQuorumCheck,
  presidingChairCheck,
  rationaleCheck,
  recoveryPeriodCheck,
} from './case.rules';
import type {
  AddEvidence,
  ArrangeImmediateSupport,
  CaseCommand,
  CaseCommandType,
  CloseCase,
  CompleteSecondReview,
  ConvenePanel,
  ListCaseForPanel,
  MakeReasonableGroundsDecision,
  RaiseReferral,
  RecordDecision,
  RecordLeadAssessment,
  RecordInformationReceived,
  RequestInformation,
  RequestReconsideration,
  SuspendCase,
  WithdrawReferral,
} from './case.commands';
import type { CaseClosed, CaseEvent, ReferralRaised } from './case.events';
import {
  type AssessmentNegativeCase,
  type CaseFile,
  caseFileOf,
  type CaseState,
  type CaseStatus,
  type DecidedNegativeCase,
  type DecidedPositiveCase,
  type ExistingCase,
  type ListedCase,
  type NegativeUpheldCase,
  type OpenCase,
  type PanelConvenedCase,
  type RecoveryCase,
  type SuspendedCase,
  type SuspendableCase,
} from './case.state';

/**
 * Decides what a command to a case produces, or throws why it may not: `CaseNotFoundError`,
 * `CaseAlreadyExistsError`, `NotPermittedError` or `RuleBrokenError`. Pure: time and ids come in
 * with the context and the command.
 *
 * The case's own workflow definition (the one it started under) says who may issue what in which
 * state; the command handlers below hold the rules about the command's data.
 */
export function decideCase(command: CaseCommand, state: CaseState, context: DecisionContext): CaseEvent[] {
  instant(context.now, 'now');
  if (state.status === 'none') {
    if (command.type !== 'RaiseReferral') throw new CaseNotFoundError(command.caseId);
    return raiseReferral(command, context);
  }
  return decideCaseUnder(pinnedWorkflow(state), command, state, context);
}

/**
 * Decides a command to an existing case under `definition` instead of the one the case is pinned
 * to: replay-diff asks what another version of a workflow would have decided, command by command.
 */
export function decideCaseUnder(
  definition: WorkflowDefinition,
  command: CaseCommand,
  state: ExistingCase,
  context: DecisionContext,
): CaseEvent[] {
  instant(context.now, 'now');
  const refusal = refusalFor(definition, state, command.type, context.actor);
  if (refusal) throw refusal;
  requireBusinessTimeInOrder(state, context.now);

  switch (command.type) {
    case 'RaiseReferral':
      // Unreachable: refusalFor refuses it first. Kept so the switch stays exhaustive.
      throw new CaseAlreadyExistsError(state.caseId);
    case 'ArrangeImmediateSupport':
      return arrangeImmediateSupport(command, requireOpen(state, command.type), definition, context);
    case 'RecordLeadAssessment':
      return recordLeadAssessment(command, state, definition, context);
    case 'MakeReasonableGroundsDecision':
      return makeReasonableGroundsDecision(command, state, definition, context);
    case 'ListCaseForPanel':
      return listCaseForPanel(command, state, definition, context);
    case 'ConvenePanel':
      return convenePanel(command, requireStatus(state, command.type, 'listed'), definition, context);
    case 'RecordDecision': {
      const deciding = requireStatus(state, command.type, 'panel-convened', 'recovery');
      return deciding.status === 'panel-convened'
        ? recordDecision(command, deciding, definition, context)
        : recordCompetentAuthorityDecision(command, deciding, definition, context);
    }
    case 'CompleteSecondReview':
      return completeSecondReview(command, requireStatus(state, command.type, 'decided-negative'), definition, context);
    case 'RequestReconsideration':
      return requestReconsideration(
        command,
        requireStatus(state, command.type, 'assessment-negative', 'decided-negative', 'negative-upheld'),
        context,
      );
    case 'RequestInformation':
      return requestInformation(command, requireOpen(state, command.type), context);
    case 'RecordInformationReceived':
      return recordInformationReceived(command, requireOpen(state, command.type), context);
    case 'AddEvidence':
      return addEvidence(command, requireOpen(state, command.type), context);
    case 'SuspendCase':
      return suspendCase(command, requireSuspendable(state, command.type), context);
    case 'ResumeCase':
      return resumeCase(requireStatus(state, command.type, 'suspended'), context);
    case 'WithdrawReferral':
      return withdrawReferral(command, requireOpen(state, command.type), context);
    case 'CloseCase':
      return closeCase(
        command,
        requireStatus(state, command.type, 'decided-positive', 'negative-upheld', 'assessment-negative', 'suspended'),
        context,
      );
    default:
      return assertNever(command);
  }
}

function pinnedWorkflow(state: ExistingCase): WorkflowDefinition {
  const { workflow } = state;
  const definition = findWorkflow(workflow);
  // A deployment that dropped a definition its cases still use is broken, not the command.
  if (!definition) throw new Error(`Unknown workflow definition ${workflow.id} v${workflow.version}`);
  return definition;
}

// The workflow definition's steps decide where a command is allowed (refusalFor). A handler that
// reads only the case file takes any existing case; these narrow the state for a handler that reads
// what only some states carry (the listing, the convened panel, the decision, the suspension), and
// guard against a definition that opens such a command somewhere the handler cannot run.
function requireStatus<Status extends CaseStatus>(
  state: ExistingCase,
  type: CaseCommandType,
  ...statuses: Status[]
): Extract<ExistingCase, { status: Status }> {
  if ((statuses as CaseStatus[]).includes(state.status)) return state as Extract<ExistingCase, { status: Status }>;
  throw new RuleBrokenError('command-not-allowed-in-state', `${type} is not allowed while the case is ${state.status}`);
}

/**
 * A case's business time never goes backwards and never precedes the referral: a case raised
 * today cannot take an assessment, a listing and a decision dated 2005 and so skip its recovery
 * period, nor a closure dated years ago that would make its data due for destruction at once.
 * Importing an old case in order (each entry at or after the one before) is still possible.
 */
function requireBusinessTimeInOrder(state: ExistingCase, now: string): void {
  const at = instant(now, 'now');
  const { raisedAt } = caseFileOf(state);
  if (at < instant(raisedAt, 'raisedAt')) {
    throw new RuleBrokenError(
      'business-time-before-referral',
      `The business time ${now} is before the referral, raised at ${raisedAt}`,
    );
  }
  if (at < instant(state.lastEntryAt, 'lastEntryAt')) {
    throw new RuleBrokenError(
      'business-time-before-last-entry',
      `The business time ${now} is before the case's last entry, at ${state.lastEntryAt}`,
    );
  }
}

function requireOpen(state: ExistingCase, type: CaseCommandType): OpenCase {
  if (state.status === 'closed' || state.status === 'withdrawn') {
    throw new RuleBrokenError('case-closed', `${type}: the case is ${state.status}`);
  }
  return state;
}

function requireSuspendable(state: ExistingCase, type: CaseCommandType): SuspendableCase {
  const open = requireOpen(state, type);
  if (open.status === 'suspended') {
    throw new RuleBrokenError('command-not-allowed-in-state', `${type}: the case is already suspended`);
  }
  return open;
}

function raiseReferral(command: RaiseReferral, { actor, now, workflowRoutes }: DecisionContext): CaseEvent[] {
  const { data } = command;
  const definition = workflowForRegion(data.region, workflowRoutes ?? DEFAULT_WORKFLOW_ROUTES);
  if (!definition) {
    throw new RuleBrokenError('no-workflow-for-region', `No workflow takes new referrals in ${data.region}`);
  }
  const roles = stepOf(definition, 'none', 'RaiseReferral')?.roles ?? [];
  if (roles.length === 0) {
    throw new RuleBrokenError('command-not-allowed-in-state', `${definition.id} takes no referrals`);
  }
  if (!roles.includes(actor.role)) {
    throw new NotPermittedError('role-not-permitted', `A ${actor.role} may not raise a referral`);
  }
  requireReferrerInRegion(actor, data.region);

  if (!isForceInRegion(data.policeForceArea, data.region)) {
    throw new RuleBrokenError('force-not-in-region', `${data.policeForceArea} is not a force of ${data.region}`);
  }
  const exploitationTypes = requireSelection(data.exploitationTypes, 'exploitationTypes');
  const referringAgency = requireOrganisation(data.referringAgency, 'referringAgency');
  requireText(data.subject.name, 'subject.name');
  requireText(data.account, 'account');
  checkAgeGroups(data, now);

  // Age unknown counts as a child: the UK presumes a child until the age is established.
  const treatedAsChild = data.ageGroup !== 'adult';
  if (!treatedAsChild) {
    if (!data.consent.given) {
      throw new RuleBrokenError('adult-consent-required', 'An adult must consent to a referral (else: Duty to Notify)');
    }
    if (data.consent.recordedAt === undefined) {
      throw new RuleBrokenError('adult-consent-required', "An adult's consent must be recorded with its time");
    }
  } else if (data.localAuthorityContact === undefined) {
    throw new RuleBrokenError(
      'child-needs-local-authority-contact',
      'A referral of a child (or of a person of unknown age) needs a local authority contact',
    );
  }
  if (data.consent.recordedAt !== undefined) instant(data.consent.recordedAt, 'consent.recordedAt');

  const { subject, localAuthorityContact: contact } = data;
  const event: ReferralRaised = {
    type: 'ReferralRaised',
    data: {
      caseId: command.caseId,
      raisedAt: now,
      leadId: actor.userId,
      workflow: { id: definition.id, version: definition.version },
      firstResponderLocation: data.firstResponderLocation,
      ageGroup: data.ageGroup,
      ageGroupAtExploitation: data.ageGroupAtExploitation,
      region: data.region,
      policeForceArea: data.policeForceArea,
      referringAgency,
      firstResponderType: data.firstResponderType,
      exploitationTypes,
      exploitationLocation: data.exploitationLocation,
      consent: { given: data.consent.given, ...optional('recordedAt', data.consent.recordedAt) },
      ...optional(
        'localAuthorityContact',
        contact && {
          authority: requireText(contact.authority, 'localAuthorityContact.authority'),
          name: requireText(contact.name, 'localAuthorityContact.name'),
          ...optionalText('phone', contact.phone),
          ...optionalText('email', contact.email),
        },
      ),
      subject: {
        subjectId: subject.subjectId,
        name: subject.name,
        aliases: subject.aliases.filter((alias) => alias.trim() !== ''),
        ...optional('dateOfBirth', subject.dateOfBirth),
        gender: subject.gender,
        nationality: subject.nationality,
        ...optional('secondNationality', subject.secondNationality),
        ...optionalText('language', subject.language),
        interpreterNeeded: subject.interpreterNeeded,
        contact: {
          ...optionalText('phone', subject.contact.phone),
          ...optionalText('email', subject.contact.email),
          ...optionalText('postalAddress', subject.contact.postalAddress),
          safeToEmail: subject.contact.safeToEmail,
          safeToPost: subject.contact.safeToPost,
        },
      },
      account: data.account,
    },
  };
  const allocation = definition.rules.competentAuthorityAllocation;
  if (allocation === undefined) return [event];
  const { competentAuthority, basis } = allocateCompetentAuthority(allocation, [
    subject.nationality,
    ...(subject.secondNationality === undefined ? [] : [subject.secondNationality]),
  ]);
  return [
    event,
    {
      type: 'CompetentAuthorityAllocated',
      data: { caseId: command.caseId, allocatedAt: now, competentAuthority, basis },
    },
  ];
}

function requireReferrerInRegion(actor: Actor, region: Region): void {
  if ((actor.role === 'lead' || actor.role === 'case-manager') && actor.region !== region) {
    throw new NotPermittedError('outside-region', `A referral in ${region} is outside ${actor.region}`);
  }
  if (actor.role === 'panel-chair' || actor.role === 'panel-member') {
    throw new NotPermittedError('not-on-case-panel', 'A new case is listed to no panel');
  }
}

function checkAgeGroups(data: RaiseReferral['data'], now: string): void {
  if (data.ageGroup === 'child' && data.ageGroupAtExploitation === 'adult') {
    throw new RuleBrokenError('age-groups-inconsistent', 'A child now cannot have been an adult when exploited');
  }
  if (data.subject.dateOfBirth === undefined) return;
  const age = ageInYears(data.subject.dateOfBirth, now);
  if (age < 0) {
    throw new RuleBrokenError('age-group-contradicts-date-of-birth', 'The date of birth is in the future');
  }
  // An unknown age group with a date of birth is an age in dispute: the presumption stands.
  if ((data.ageGroup === 'adult' && age < 18) || (data.ageGroup === 'child' && age >= 18)) {
    throw new RuleBrokenError(
      'age-group-contradicts-date-of-birth',
      `The date of birth makes the person ${age}, not ${data.ageGroup === 'adult' ? 'an adult' : 'a child'}`,
    );
  }
}

function arrangeImmediateSupport(
  command: ArrangeImmediateSupport,
  state: OpenCase,
  definition: WorkflowDefinition,
  { now }: DecisionContext,
): CaseEvent[] {
  const { data } = command;
  const provider = requireText(data.provider, 'provider');
  enforce(supportProviderCheck(definition.rules.supportProviders, caseFileOf(state).ageGroup, provider));
  return [
    {
      type: 'ImmediateSupportArranged',
      data: {
        caseId: state.caseId,
        supportId: data.supportId,
        arrangedAt: now,
        kinds: requireSelection(data.kinds, 'kinds'),
        provider,
        ...optionalText('notes', data.notes),
      },
    },
  ];
}

function recordLeadAssessment(
  command: RecordLeadAssessment,
  state: ExistingCase,
  definition: WorkflowDefinition,
  { actor, now }: DecisionContext,
): CaseEvent[] {
  const { data } = command;
  const { recoveryPeriodDays, minRationaleLength, guidanceVersion } = definition.rules;
  return [
    {
      type: 'LeadAssessmentRecorded',
      data: {
        caseId: state.caseId,
        assessmentId: data.assessmentId,
        assessedAt: now,
        assessorId: actor.userId,
        outcome: data.outcome,
        // The lead's belief stands in for the reasonable grounds decision, to its standard.
        standardOfProof: 'reasonable-grounds-to-believe',
        guidanceVersion,
        rationale: requireRationale(data.rationale, 'rationale', minRationaleLength),
        // The recovery period runs from the positive assessment, the pilot's reasonable grounds.
        ...optional('recoveryPeriod', recoveryPeriodFrom(data.outcome, now, recoveryPeriodDays)),
      },
    },
  ];
}

function recoveryPeriodFrom(outcome: Outcome, now: string, days: number) {
  return outcome === 'positive' ? { startsAt: now, endsAt: addDays(now, days, 'now'), days } : undefined;
}

function makeReasonableGroundsDecision(
  command: MakeReasonableGroundsDecision,
  state: ExistingCase,
  definition: WorkflowDefinition,
  { actor, now }: DecisionContext,
): CaseEvent[] {
  const { data } = command;
  const { recoveryPeriodDays, minRationaleLength, guidanceVersion } = definition.rules;
  if (actor.role !== 'competent-authority') {
    throw new NotPermittedError('role-not-permitted', `A ${actor.role} may not make a reasonable grounds decision`);
  }
  return [
    {
      type: 'ReasonableGroundsDecisionMade',
      data: {
        caseId: state.caseId,
        decisionId: data.decisionId,
        decidedAt: now,
        decisionMakerId: actor.userId,
        agency: actor.agency,
        outcome: data.outcome,
        standardOfProof: 'reasonable-grounds-to-believe',
        guidanceVersion,
        rationale: requireRationale(data.rationale, 'rationale', minRationaleLength),
        ...optional('recoveryPeriod', recoveryPeriodFrom(data.outcome, now, recoveryPeriodDays)),
      },
    },
  ];
}

function listCaseForPanel(
  command: ListCaseForPanel,
  state: ExistingCase,
  definition: WorkflowDefinition,
  { now, panels, workflowRoutes }: DecisionContext,
): CaseEvent[] {
  const { data } = command;
  requirePanelOfRegion(
    data.panelId,
    caseFileOf(state).region,
    panels ?? panelDirectory(defaultPanels(workflowRoutes ?? DEFAULT_WORKFLOW_ROUTES)),
  );
  const panelNoticeDays = panelRule(definition, 'panelNoticeDays');
  const noticeDays = daysBetween(now, 'now', data.meetingAt, 'meetingAt');
  if (noticeDays < 0) throw new RuleBrokenError('meeting-in-the-past', `The meeting at ${data.meetingAt} has passed`);
  const urgencyReason = data.urgent ? data.urgencyReason : undefined;
  if (data.urgent && (urgencyReason === undefined || urgencyReason.trim() === '')) {
    throw new RuleBrokenError('urgency-needs-reason', 'An urgent listing must say why the case is urgent');
  }
  if (!data.urgent && noticeDays < panelNoticeDays) {
    throw new RuleBrokenError(
      'panel-notice-7-days',
      `The meeting needs ${panelNoticeDays} days' notice, unless urgent; it is ${Math.floor(noticeDays)} days away`,
    );
  }
  return [
    {
      type: 'CaseListedForPanel',
      data: {
        caseId: state.caseId,
        listedAt: now,
        panelId: data.panelId,
        meetingId: data.meetingId,
        meetingAt: data.meetingAt,
        urgent: data.urgent,
        ...optional('urgencyReason', urgencyReason),
      },
    },
  ];
}

function convenePanel(
  command: ConvenePanel,
  state: ListedCase,
  definition: WorkflowDefinition,
  { actor, now }: DecisionContext,
): CaseEvent[] {
  const { data } = command;
  const { listing, file } = state;
  if (data.meetingId !== listing.meetingId) {
    throw new RuleBrokenError('meeting-not-listed', `The case is listed to meeting ${listing.meetingId}`);
  }
  if (instant(now, 'now') < instant(listing.meetingAt, 'meetingAt')) {
    throw new RuleBrokenError('panel-not-before-listed-meeting', `The meeting is listed for ${listing.meetingAt}`);
  }
  const chairProblem = chairIndependenceProblem(data, file, actor);
  if (chairProblem) throw new RuleBrokenError('panel-needs-independent-chair', chairProblem);
  const seen = new Set<string>();
  for (const member of data.members) {
    if (seen.has(member.memberId)) {
      throw new RuleBrokenError('duplicate-panel-member', `${member.memberId} is listed twice`);
    }
    seen.add(member.memberId);
  }
  // Each member's organisation by registry id (the field named as the request body names it), so
  // the rules about who sits compare identities and the record shows registry names.
  const members = data.members.map((member, index) => ({
    memberId: member.memberId,
    agency: requireOrganisation(member.agency, `members.${index}.agency`),
    discipline: member.discipline,
    conflictDeclared: member.conflictDeclared,
  }));
  enforce(panelMembersOfRegionCheck(members, file.region));
  enforce(panelQuorumCheck(members, panelRule(definition, 'panelQuorum')));
  return [
    {
      type: 'PanelConvened',
      data: {
        caseId: state.caseId,
        panelId: listing.panelId,
        meetingId: listing.meetingId,
        convenedAt: now,
        chair: { chairId: actor.userId, agency: requireOrganisation(actor.agency, 'agency') },
        members,
      },
    },
  ];
}

// Panels are regional: a case goes only to a registered panel that serves its region, whose
// members are the only ones who then read it.
function requirePanelOfRegion(panelId: string, region: Region, panels: PanelDirectory): void {
  const panel = panels(panelId);
  if (!panel) throw new RuleBrokenError('unknown-panel', `No panel ${panelId} is registered`);
  if (panel.region !== region) {
    throw new RuleBrokenError(
      'panel-serves-another-region',
      `Panel ${panelId} serves ${panel.region}; the case is in ${region}`,
    );
  }
}

// A definition that opens panel commands without the panel's numbers is broken, not the command.
function panelRule(definition: WorkflowDefinition, rule: 'panelNoticeDays' | 'panelQuorum'): number {
  const value = definition.rules[rule];
  if (value === undefined) throw new Error(`Workflow ${definition.id} v${definition.version} has no ${rule}`);
  return value;
}

// The pilot's chair is appointed from outside the case: not conflicted, not sitting as a member,
// not a lead who raised or assessed it, not from the referring organisation.
function chairIndependenceProblem(
  data: ConvenePanel['data'],
  file: ListedCase['file'],
  actor: Actor,
): string | undefined {
  if (data.chairDeclaredConflict) return 'The chair declared a conflict of interest on this case';
  if (data.members.some((member) => member.memberId === actor.userId)) return 'The chair cannot also sit as a member';
  if (file.leadIds.includes(actor.userId)) return 'The chair raised or assessed this case';
  if (sameOrganisation(actor.agency, file.referringAgency)) return 'The chair works for the referring organisation';
  return undefined;
}

function recordDecision(
  command: RecordDecision,
  state: PanelConvenedCase,
  definition: WorkflowDefinition,
  { actor, now }: DecisionContext,
): CaseEvent[] {
  const { data } = command;
  const { panel, listing } = state;
  enforce(presidingChairCheck(panel.chairId, panel.chairId, actor.userId));
  const decision = everyDecision(command, state, definition, now);
  enforce(membersPresentCheck(panel.members, data.votes, data.dissent));
  enforce(conflictedMembersCheck(panel.members, data.votes, data.dissent));
  enforce(oneVotePerMemberCheck(data.votes, data.dissent));
  for (const { reason } of data.dissent) requireText(reason, 'dissent.reason');
  enforce(dissentConsistentCheck(data.votes, data.dissent, data.outcome));

  return [
    {
      type: 'DecisionRecorded',
      data: {
        ...decision,
        decidedBy: { kind: 'panel', panelId: listing.panelId, meetingId: listing.meetingId, chairId: panel.chairId },
        membersPresent: panel.members
          .filter((member) => !member.conflictDeclared)
          .map(({ memberId, agency, discipline }) => ({ memberId, agency, discipline })),
        votes: data.votes.map(({ memberId, vote }) => ({ memberId, vote })),
        dissent: data.dissent.map(({ memberId, reason }) => ({ memberId, reason })),
      },
    },
  ];
}

/**
 * What every conclusive decision records, held to the rules of every decision: the recovery
 * period has run, the rationale is written, the evidence relied on is on the case file.
 */
function everyDecision(
  { data }: RecordDecision,
  state: PanelConvenedCase | RecoveryCase,
  { rules }: WorkflowDefinition,
  now: string,
) {
  requireRecoveryPeriodElapsed(state.recoveryPeriod, now);
  return {
    caseId: state.caseId,
    decisionId: data.decisionId,
    decidedAt: now,
    stage: rules.decisionStage,
    outcome: data.outcome,
    standardOfProof: rules.standardOfProof,
    guidanceVersion: rules.guidanceVersion,
    rationale: requireRationale(data.rationale, 'rationale', rules.minRationaleLength),
    evidenceReliedOn: evidenceOnFile(data.evidenceReliedOn, state.file),
  };
}

function requireRecoveryPeriodElapsed(recoveryPeriod: RecoveryCase['recoveryPeriod'], now: string): void {
  enforce(recoveryPeriodCheck(recoveryPeriod, now));
}

function evidenceOnFile(evidenceIds: readonly string[], file: CaseFile) {
  const onFile = new Map(file.evidence.map((item) => [item.evidenceId, item.description]));
  enforce(evidenceOnFileCheck(evidenceIds, [...onFile.keys()]));
  return [...new Set(evidenceIds)].flatMap((evidenceId) => {
    const description = onFile.get(evidenceId);
    return description === undefined ? [] : [{ evidenceId, description }];
  });
}

function requireRationale(rationale: string, field: string, minimum: number): string {
  enforce(rationaleCheck(rationale, minimum, field));
  return rationale;
}

/**
 * The central route's conclusive decision: the competent authority decides from recovery, with no
 * listing and no panel, so nobody else was present to vote or dissent. The recovery period, the
 * written rationale and the evidence on file hold as for a panel.
 */
function recordCompetentAuthorityDecision(
  command: RecordDecision,
  state: RecoveryCase,
  definition: WorkflowDefinition,
  { actor, now }: DecisionContext,
): CaseEvent[] {
  const { data } = command;
  if (actor.role !== 'competent-authority') {
    throw new NotPermittedError('role-not-permitted', `A ${actor.role} may not decide a case without a panel`);
  }
  const decision = everyDecision(command, state, definition, now);
  // No panel sits on a competent authority decision, so nobody is present to vote or dissent.
  enforce(membersPresentCheck([], data.votes, data.dissent));
  return [
    {
      type: 'DecisionRecorded',
      data: {
        ...decision,
        decidedBy: { kind: 'competent-authority', decisionMakerId: actor.userId, agency: actor.agency },
        membersPresent: [],
        votes: [],
        dissent: [],
      },
    },
  ];
}

function completeSecondReview(
  command: CompleteSecondReview,
  state: DecidedNegativeCase,
  definition: WorkflowDefinition,
  { actor, now }: DecisionContext,
): CaseEvent[] {
  const { data } = command;
  if (state.decision.participantIds.includes(actor.userId)) {
    throw new RuleBrokenError(
      'second-reviewer-took-part',
      'The second reviewer must have taken no part in the decision (chair, member present or voter)',
    );
  }
  const role = actor.role;
  if (role !== 'case-manager' && role !== 'panel-chair' && role !== 'competent-authority') {
    throw new NotPermittedError('role-not-permitted', `A ${role} may not complete a second review`);
  }
  return [
    {
      type: 'SecondReviewCompleted',
      data: {
        caseId: state.caseId,
        reviewId: data.reviewId,
        decisionId: state.decision.decisionId,
        reviewedAt: now,
        outcome: data.outcome,
        rationale: requireRationale(data.rationale, 'rationale', definition.rules.minRationaleLength),
        reviewer: { reviewerId: actor.userId, role, agency: actor.agency },
      },
    },
  ];
}

function requestReconsideration(
  command: RequestReconsideration,
  state: AssessmentNegativeCase | DecidedNegativeCase | NegativeUpheldCase,
  { now }: DecisionContext,
): CaseEvent[] {
  const { data } = command;
  // A negative first gate goes back to be assessed or decided again; a negative conclusive decision
  // back to recovery (to be listed again, or decided again on the central route), its recovery
  // period long since elapsed. A reasonable grounds decision is a decision, reconsidered as one.
  const target =
    state.status === 'assessment-negative'
      ? {
          reconsiders: {
            kind: state.gate === 'lead-assessment' ? ('lead-assessment' as const) : ('decision' as const),
            id: state.assessmentId,
          },
          returnsTo: 'referred' as const,
        }
      : { reconsiders: { kind: 'decision' as const, id: state.decision.decisionId }, returnsTo: 'recovery' as const };
  return [
    {
      type: 'ReconsiderationRequested',
      data: {
        caseId: state.caseId,
        reconsiderationId: data.reconsiderationId,
        requestedAt: now,
        requestedBy: data.requestedBy,
        grounds: requireText(data.grounds, 'grounds'),
        ...target,
      },
    },
  ];
}

function requestInformation(command: RequestInformation, state: OpenCase, { now }: DecisionContext): CaseEvent[] {
  const { data } = command;
  if (data.dueBy !== undefined && instant(data.dueBy, 'dueBy') <= instant(now, 'now')) {
    throw new RuleBrokenError('due-date-in-the-past', `dueBy ${data.dueBy} is not after now`);
  }
  return [
    {
      type: 'InformationRequested',
      data: {
        caseId: state.caseId,
        requestId: data.requestId,
        requestedAt: now,
        requestedFrom: requireText(data.requestedFrom, 'requestedFrom'),
        details: requireText(data.details, 'details'),
        ...optional('dueBy', data.dueBy),
      },
    },
  ];
}

function recordInformationReceived(
  command: RecordInformationReceived,
  state: OpenCase,
  { now }: DecisionContext,
): CaseEvent[] {
  const { data } = command;
  if (!caseFileOf(state).openInformationRequests.includes(data.requestId)) {
    throw new RuleBrokenError(
      'information-request-not-open',
      `No unanswered information request ${data.requestId} on this case`,
    );
  }
  return [
    {
      type: 'InformationReceived',
      data: {
        caseId: state.caseId,
        requestId: data.requestId,
        receivedAt: now,
        summary: requireText(data.summary, 'summary'),
      },
    },
  ];
}

function addEvidence(command: AddEvidence, state: OpenCase, { now }: DecisionContext): CaseEvent[] {
  const { data } = command;
  const file = caseFileOf(state);
  if (file.evidence.some((item) => item.evidenceId === data.evidenceId)) {
    throw new RuleBrokenError('evidence-already-on-file', `Evidence ${data.evidenceId} is already on the case file`);
  }
  return [
    {
      type: 'EvidenceAdded',
      data: {
        caseId: state.caseId,
        evidenceId: data.evidenceId,
        addedAt: now,
        kind: data.kind,
        description: requireText(data.description, 'description'),
      },
    },
  ];
}

function suspendCase(command: SuspendCase, state: SuspendableCase, { now }: DecisionContext): CaseEvent[] {
  return [
    {
      type: 'CaseSuspended',
      data: {
        caseId: state.caseId,
        suspendedAt: now,
        suspendedFrom: state.status,
        reason: command.data.reason,
        ...optionalText('details', command.data.details),
      },
    },
  ];
}

function resumeCase(state: SuspendedCase, { now }: DecisionContext): CaseEvent[] {
  return [
    {
      type: 'CaseResumed',
      data: { caseId: state.caseId, resumedAt: now, resumedTo: state.resumeTo.status },
    },
  ];
}

function withdrawReferral(command: WithdrawReferral, state: OpenCase, { now }: DecisionContext): CaseEvent[] {
  const file = caseFileOf(state);
  // Children generally cannot withdraw, and an unknown age is presumed a child.
  if (file.ageGroup !== 'adult') {
    throw new RuleBrokenError('only-adults-may-withdraw', `The person's age group is ${file.ageGroup}`);
  }
  return [
    {
      type: 'ReferralWithdrawn',
      data: {
        caseId: state.caseId,
        withdrawnAt: now,
        withdrawnFrom: state.status,
        basis: command.data.basis,
        ...optionalText('notes', command.data.notes),
      },
    },
  ];
}

function closeCase(
  command: CloseCase,
  state: DecidedPositiveCase | NegativeUpheldCase | AssessmentNegativeCase | SuspendedCase,
  { now }: DecisionContext,
): CaseEvent[] {
  const outcome = closingOutcome(state);
  return [
    {
      type: 'CaseClosed',
      data: {
        caseId: state.caseId,
        closedAt: now,
        closedFrom: state.status,
        outcome,
        ...optionalText('notes', command.data.notes),
      },
    },
  ];
}

function closingOutcome(
  state: DecidedPositiveCase | NegativeUpheldCase | AssessmentNegativeCase | SuspendedCase,
): CaseClosed['data']['outcome'] {
  switch (state.status) {
    case 'decided-positive':
      return 'conclusive-grounds-positive';
    case 'negative-upheld':
      return 'conclusive-grounds-negative';
    case 'assessment-negative':
      return state.gate === 'lead-assessment' ? 'lead-assessment-negative' : 'reasonable-grounds-negative';
    case 'suspended':
      return 'closed-while-suspended';
    default:
      return assertNever(state);
  }
}
