import type { Role } from '../shared/actor.model';
import { CASE_STATUSES } from '../case/case.state';
import {
  anyOpenStateTransitions,
  firstGateDeadline,
  INFORMATION_REQUEST_DEADLINE,
  recoveryPeriodDeadline,
  TERMINAL_STATES,
} from './workflow.building-blocks';
import type { WorkflowDefinition, WorkflowRules } from './workflow.definition';

const LEAD: readonly Role[] = ['lead'];
const CASE_MANAGER: readonly Role[] = ['case-manager'];
const PANEL_CHAIR: readonly Role[] = ['panel-chair'];
const LEAD_OR_CASE_MANAGER: readonly Role[] = ['lead', 'case-manager'];
const CASE_MANAGER_OR_CHAIR: readonly Role[] = ['case-manager', 'panel-chair'];

// What every open, unsuspended case allows: support, information, evidence, suspension, withdrawal.
const ANY_OPEN_STATE = {
  ArrangeImmediateSupport: LEAD,
  RequestInformation: CASE_MANAGER,
  RecordInformationReceived: CASE_MANAGER,
  AddEvidence: LEAD_OR_CASE_MANAGER,
  SuspendCase: CASE_MANAGER,
  WithdrawReferral: LEAD,
} as const;

const TERMINAL = TERMINAL_STATES;

const RULES = {
  recoveryPeriodDays: 45,
  panelNoticeDays: 7,
  panelQuorum: 5,
  minRationaleLength: 20,
  decisionStage: 'conclusive-grounds',
  standardOfProof: 'balance-of-probabilities',
  guidanceVersion: 'nrm-competent-bodies-guidance-2015',
} as const satisfies WorkflowRules;

// Every state a case can be suspended in, so every state ResumeCase may return it to.
const SUSPENDABLE = CASE_STATUSES.filter((status) => status !== 'suspended' && !TERMINAL.includes(status));

/**
 * The 2015 police pilot of the National Referral Mechanism (South West and West Yorkshire): a
 * Slavery Safeguarding Lead accepts the referral and assesses it, the Case Management Unit lists
 * it, and a regional multi-disciplinary panel under an independent chair makes the conclusive
 * grounds decision after the 45-day recovery period. Negative decisions get a second review.
 * Which regions start referrals under it is configuration (`DEFAULT_WORKFLOW_ROUTES`).
 */
export const NRM_PILOT_2015: WorkflowDefinition = {
  id: 'nrm-pilot-2015',
  version: 1,
  title: 'National Referral Mechanism: 2015 pilot (Slavery Safeguarding Leads and regional panels)',
  states: CASE_STATUSES,
  terminal: TERMINAL,
  commands: {
    none: { RaiseReferral: LEAD },
    referred: {
      ...ANY_OPEN_STATE,
      RecordLeadAssessment: LEAD,
      // Refused with needs-positive-lead-assessment, so the case manager learns why.
      ListCaseForPanel: CASE_MANAGER,
    },
    recovery: { ...ANY_OPEN_STATE, ListCaseForPanel: CASE_MANAGER },
    'assessment-negative': {
      ...ANY_OPEN_STATE,
      // Refused with needs-positive-lead-assessment.
      ListCaseForPanel: CASE_MANAGER,
      RequestReconsideration: LEAD,
      CloseCase: CASE_MANAGER,
    },
    listed: {
      ...ANY_OPEN_STATE,
      // Relisting moves the case to another meeting (say, the first was cancelled).
      ListCaseForPanel: CASE_MANAGER,
      ConvenePanel: PANEL_CHAIR,
      // Refused with needs-convened-panel.
      RecordDecision: PANEL_CHAIR,
      RequestInformation: CASE_MANAGER_OR_CHAIR,
      RecordInformationReceived: CASE_MANAGER_OR_CHAIR,
    },
    'panel-convened': {
      ...ANY_OPEN_STATE,
      RecordDecision: PANEL_CHAIR,
      RequestInformation: CASE_MANAGER_OR_CHAIR,
      RecordInformationReceived: CASE_MANAGER_OR_CHAIR,
    },
    'decided-positive': { ...ANY_OPEN_STATE, CloseCase: CASE_MANAGER },
    'decided-negative': {
      ...ANY_OPEN_STATE,
      CompleteSecondReview: CASE_MANAGER_OR_CHAIR,
      RequestReconsideration: LEAD,
    },
    'negative-upheld': { ...ANY_OPEN_STATE, RequestReconsideration: LEAD, CloseCase: CASE_MANAGER },
    suspended: {
      ArrangeImmediateSupport: LEAD,
      RequestInformation: CASE_MANAGER,
      RecordInformationReceived: CASE_MANAGER,
      AddEvidence: LEAD_OR_CASE_MANAGER,
      ResumeCase: CASE_MANAGER,
      WithdrawReferral: LEAD,
      // A person who stays missing must not hold a case open for ever (the national model closes
      // a suspended case too).
      CloseCase: CASE_MANAGER,
    },
    closed: {},
    withdrawn: {},
  },
  transitions: [
    { from: 'none', command: 'RaiseReferral', to: ['referred'] },
    ...anyOpenStateTransitions('referred'),
    { from: 'referred', command: 'RecordLeadAssessment', to: ['recovery', 'assessment-negative'] },
    // Always refused here (needs-positive-lead-assessment).
    { from: 'referred', command: 'ListCaseForPanel', to: [] },
    ...anyOpenStateTransitions('recovery'),
    { from: 'recovery', command: 'ListCaseForPanel', to: ['listed'] },
    ...anyOpenStateTransitions('assessment-negative'),
    // Always refused here (needs-positive-lead-assessment).
    { from: 'assessment-negative', command: 'ListCaseForPanel', to: [] },
    { from: 'assessment-negative', command: 'RequestReconsideration', to: ['referred'] },
    { from: 'assessment-negative', command: 'CloseCase', to: ['closed'] },
    ...anyOpenStateTransitions('listed'),
    { from: 'listed', command: 'ListCaseForPanel', to: ['listed'] },
    { from: 'listed', command: 'ConvenePanel', to: ['panel-convened'] },
    // Always refused here (needs-convened-panel).
    { from: 'listed', command: 'RecordDecision', to: [] },
    ...anyOpenStateTransitions('panel-convened'),
    { from: 'panel-convened', command: 'RecordDecision', to: ['decided-positive', 'decided-negative'] },
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
  rules: RULES,
  deadlines: [
    firstGateDeadline(
      'lead-assessment',
      'The lead assesses the referral within 5 working days (again after a reconsideration)',
      'LeadAssessmentRecorded',
    ),
    recoveryPeriodDeadline(
      'Recovery and reflection period after a positive lead assessment',
      'LeadAssessmentRecorded',
      'assessmentId',
      RULES.recoveryPeriodDays,
    ),
    INFORMATION_REQUEST_DEADLINE,
  ],
  notices: [
    {
      kind: 'panel-notice',
      title: "A panel meeting is listed with at least 7 days' notice, unless the case is urgent",
      duration: { amount: RULES.panelNoticeDays, unit: 'calendar-days' },
      checkedOn: 'ListCaseForPanel',
      rule: 'panel-notice-7-days',
      waivedWhen: 'urgent',
    },
  ],
};
