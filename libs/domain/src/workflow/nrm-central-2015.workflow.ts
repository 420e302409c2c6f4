import type { Role } from '../shared/actor.model';
import { CASE_STATUSES } from '../case/case.state';
import {
  afterDecisionSteps,
  anyOpenStateSteps,
  type AnyOpenStateRoles,
  firstGateDeadline,
  INFORMATION_REQUEST_DEADLINE,
  recoveryPeriodDeadline,
  suspendedSteps,
  SUPPORT_PROVIDERS_2015,
  TERMINAL_STATES,
} from './workflow.building-blocks';
import { EEA_NATIONALITIES_2015 } from '../shared/eea-nationalities.data';
import { defineWorkflow, type WorkflowDefinition } from './workflow.definition';

const LEAD: readonly Role[] = ['lead'];
const COMPETENT_AUTHORITY: readonly Role[] = ['competent-authority'];
const LEAD_OR_COMPETENT_AUTHORITY: readonly Role[] = ['lead', 'competent-authority'];
// The first responder that referred asks for reconsideration; a lead still may, for a case a lead
// raised on a first responder's behalf (before the first responder role).
const REFERRER_OR_LEAD: readonly Role[] = ['first-responder', 'lead'];

// What every open, unsuspended case allows. The competent authority holds the case file on this
// route, so it takes the case manager's part of the pilot: information, evidence, suspension.
const ANY_OPEN_STATE = {
  ArrangeImmediateSupport: LEAD,
  RequestInformation: COMPETENT_AUTHORITY,
  RecordInformationReceived: COMPETENT_AUTHORITY,
  AddEvidence: LEAD_OR_COMPETENT_AUTHORITY,
  SuspendCase: COMPETENT_AUTHORITY,
  WithdrawReferral: LEAD,
} as const satisfies AnyOpenStateRoles;

const TERMINAL = TERMINAL_STATES;

const RECOVERY_PERIOD_DAYS = 45;

// No panel on this route: a case is never listed or convened.
const STATES = CASE_STATUSES.filter((status) => status !== 'listed' && status !== 'panel-convened');

// Every state a case can be suspended in, so every state ResumeCase may return it to.
const SUSPENDABLE = STATES.filter((status) => status !== 'suspended' && !TERMINAL.includes(status));

/**
 * The central route of 2015, outside the pilot regions: a lead (the police force's first
 * responder) raises the referral, and the competent authority (the UK Human Trafficking Centre or
 * UK Visas and Immigration, national) makes the reasonable grounds decision and, after the 45-day
 * recovery period, the conclusive grounds decision, with no panel. A negative decision gets a
 * second review by another competent authority caseworker who took no part in it.
 *
 * The statuses are the pilot's: on this route `assessment-negative` means a negative reasonable
 * grounds decision, and `recovery` follows a positive one. Which regions start referrals under it
 * is configuration (`DEFAULT_WORKFLOW_ROUTES`).
 */
export const NRM_CENTRAL_2015: WorkflowDefinition = defineWorkflow({
  id: 'nrm-central-2015',
  version: 1,
  title: 'National Referral Mechanism: 2015 central route (competent authority decisions, no panel)',
  states: STATES,
  terminal: TERMINAL,
  steps: [
    // A first responder's referral reaches the competent authority, who accepts it into a case.
    { from: 'none', command: 'RaiseReferral', roles: LEAD_OR_COMPETENT_AUTHORITY, to: ['referred'] },
    ...anyOpenStateSteps('referred', ANY_OPEN_STATE),
    {
      from: 'referred',
      command: 'MakeReasonableGroundsDecision',
      roles: COMPETENT_AUTHORITY,
      to: ['recovery', 'assessment-negative'],
    },
    ...anyOpenStateSteps('recovery', ANY_OPEN_STATE),
    // The conclusive decision is made directly from recovery; the recovery-period rule refuses it early.
    {
      from: 'recovery',
      command: 'RecordDecision',
      roles: COMPETENT_AUTHORITY,
      to: ['decided-positive', 'decided-negative'],
    },
    ...anyOpenStateSteps('assessment-negative', ANY_OPEN_STATE),
    { from: 'assessment-negative', command: 'RequestReconsideration', roles: REFERRER_OR_LEAD, to: ['referred'] },
    { from: 'assessment-negative', command: 'CloseCase', roles: COMPETENT_AUTHORITY, to: ['closed'] },
    ...afterDecisionSteps(ANY_OPEN_STATE, {
      CloseCase: COMPETENT_AUTHORITY,
      CompleteSecondReview: COMPETENT_AUTHORITY,
      RequestReconsideration: REFERRER_OR_LEAD,
    }),
    ...suspendedSteps(
      { ...ANY_OPEN_STATE, ResumeCase: COMPETENT_AUTHORITY, CloseCase: COMPETENT_AUTHORITY },
      SUSPENDABLE,
    ),
  ],
  rules: {
    recoveryPeriodDays: RECOVERY_PERIOD_DAYS,
    minRationaleLength: 20,
    decisionStage: 'conclusive-grounds',
    standardOfProof: 'balance-of-probabilities',
    reasonableGroundsStandard: 'reasonable-grounds-to-believe',
    guidanceVersion: 'nrm-competent-bodies-guidance-2015',
    // Before 2019 the NCA's UKHTC decided EEA nationals' cases and UKVI everyone else's (Public
    // Accounts Committee, "Reducing modern slavery", HC 886; domain brief §10 [C]). A person with
    // an EEA nationality among two goes to the UKHTC (assumption: free movement rights, so no
    // immigration decision for UKVI to join to the case); stateless and unknown go to UKVI.
    supportProviders: SUPPORT_PROVIDERS_2015,
    // A first responder's referral goes to the competent authority (the 2015 central route).
    referralsAcceptedBy: 'competent-authority',
    competentAuthorityAllocation: {
      eeaNationalities: EEA_NATIONALITIES_2015,
      eea: 'uk-human-trafficking-centre',
      other: 'uk-visas-and-immigration',
    },
  },
  deadlines: [
    firstGateDeadline(
      'reasonable-grounds-decision',
      'The competent authority makes the reasonable grounds decision within 5 working days (again after a reconsideration)',
      'ReasonableGroundsDecisionMade',
    ),
    recoveryPeriodDeadline(
      'Recovery and reflection period after a positive reasonable grounds decision',
      'ReasonableGroundsDecisionMade',
      'decisionId',
      RECOVERY_PERIOD_DAYS,
    ),
    INFORMATION_REQUEST_DEADLINE,
  ],
  notices: [],
});
