import type { Role } from '../shared/actor.model';
import { CASE_STATUSES } from '../case/case.state';
import {
  anyOpenStateTransitions,
  firstGateDeadline,
  INFORMATION_REQUEST_DEADLINE,
  recoveryPeriodDeadline,
  TERMINAL_STATES,
} from './workflow.building-blocks';
import type { WorkflowDefinition } from './workflow.definition';

const LEAD: readonly Role[] = ['lead'];
const COMPETENT_AUTHORITY: readonly Role[] = ['competent-authority'];
const LEAD_OR_COMPETENT_AUTHORITY: readonly Role[] = ['lead', 'competent-authority'];

// What every open, unsuspended case allows. The competent authority holds the case file on this
// route, so it takes the case manager's part of the pilot: information, evidence, suspension.
const ANY_OPEN_STATE = {
  ArrangeImmediateSupport: LEAD,
  RequestInformation: COMPETENT_AUTHORITY,
  RecordInformationReceived: COMPETENT_AUTHORITY,
  AddEvidence: LEAD_OR_COMPETENT_AUTHORITY,
  SuspendCase: COMPETENT_AUTHORITY,
  WithdrawReferral: LEAD,
} as const;

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
export const NRM_CENTRAL_2015: WorkflowDefinition = {
  id: 'nrm-central-2015',
  version: 1,
  title: 'National Referral Mechanism: 2015 central route (competent authority decisions, no panel)',
  states: STATES,
  terminal: TERMINAL,
  commands: {
    none: { RaiseReferral: LEAD },
    referred: { ...ANY_OPEN_STATE, MakeReasonableGroundsDecision: COMPETENT_AUTHORITY },
    // The conclusive decision is made directly from recovery; the recovery-period rule refuses it early.
    recovery: { ...ANY_OPEN_STATE, RecordDecision: COMPETENT_AUTHORITY },
    'assessment-negative': {
      ...ANY_OPEN_STATE,
      RequestReconsideration: LEAD,
      CloseCase: COMPETENT_AUTHORITY,
    },
    listed: {},
    'panel-convened': {},
    'decided-positive': { ...ANY_OPEN_STATE, CloseCase: COMPETENT_AUTHORITY },
    'decided-negative': {
      ...ANY_OPEN_STATE,
      CompleteSecondReview: COMPETENT_AUTHORITY,
      RequestReconsideration: LEAD,
    },
    'negative-upheld': { ...ANY_OPEN_STATE, RequestReconsideration: LEAD, CloseCase: COMPETENT_AUTHORITY },
    suspended: {
      ArrangeImmediateSupport: LEAD,
      RequestInformation: COMPETENT_AUTHORITY,
      RecordInformationReceived: COMPETENT_AUTHORITY,
      AddEvidence: LEAD_OR_COMPETENT_AUTHORITY,
      ResumeCase: COMPETENT_AUTHORITY,
      WithdrawReferral: LEAD,
      CloseCase: COMPETENT_AUTHORITY,
    },
    closed: {},
    withdrawn: {},
  },
  transitions: [
    { from: 'none', command: 'RaiseReferral', to: ['referred'] },
    ...anyOpenStateTransitions('referred'),
    { from: 'referred', command: 'MakeReasonableGroundsDecision', to: ['recovery', 'assessment-negative'] },
    ...anyOpenStateTransitions('recovery'),
    { from: 'recovery', command: 'RecordDecision', to: ['decided-positive', 'decided-negative'] },
    ...anyOpenStateTransitions('assessment-negative'),
    { from: 'assessment-negative', command: 'RequestReconsideration', to: ['referred'] },
    { from: 'assessment-negative', command: 'CloseCase', to: ['closed'] },
    ...anyOpenStateTransitions('decided-positive'),
    { from: 'decided-positive', command: 'CloseCase', to: ['closed'] },
    ...anyOpenStateTransitions('decided-negative'),
    { from: 'decided-negative', command: 'CompleteSecondReview', to: ['negative-upheld', 'decided-positive'] },
    { from: 'decided-negative', command: 'RequestReconsideration', to: ['recovery'] },
    ...anyOpenStateTransitions('negative-upheld'),
    { from: 'negative-upheld', command: 'RequestReconsideration', to: ['recovery'] },
    { from: 'negative-upheld', command: 'CloseCase', to: ['closed'] },
    { from: 'suspended', command: 'ArrangeImmediateSupport', to: ['suspended'] },
    { from: 'suspended', command: 'RequestInformation', to: ['suspended'] },
    { from: 'suspended', command: 'RecordInformationReceived', to: ['suspended'] },
    { from: 'suspended', command: 'AddEvidence', to: ['suspended'] },
    // Back to the state it was suspended in.
    { from: 'suspended', command: 'ResumeCase', to: SUSPENDABLE },
    { from: 'suspended', command: 'WithdrawReferral', to: ['withdrawn'] },
    { from: 'suspended', command: 'CloseCase', to: ['closed'] },
  ],
  rules: {
    recoveryPeriodDays: RECOVERY_PERIOD_DAYS,
    minRationaleLength: 20,
    decisionStage: 'conclusive-grounds',
    standardOfProof: 'balance-of-probabilities',
    reasonableGroundsStandard: 'reasonable-grounds-to-believe',
    guidanceVersion: 'nrm-competent-bodies-guidance-2015',
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
};
