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
import { defineWorkflow, type WorkflowDefinition, type WorkflowRules, type WorkflowStep } from './workflow.definition';

const LEAD: readonly Role[] = ['lead'];
const CASE_MANAGER: readonly Role[] = ['case-manager'];
const PANEL_CHAIR: readonly Role[] = ['panel-chair'];
const LEAD_OR_CASE_MANAGER: readonly Role[] = ['lead', 'case-manager'];
const CASE_MANAGER_OR_CHAIR: readonly Role[] = ['case-manager', 'panel-chair'];
// The first responder that referred asks for reconsideration; a lead still may, for a case a lead
// raised on a first responder's behalf (before the first responder role).
const REFERRER_OR_LEAD: readonly Role[] = ['first-responder', 'lead'];

// What every open, unsuspended case allows: support, information, evidence, suspension, withdrawal.
const ANY_OPEN_STATE = {
  ArrangeImmediateSupport: LEAD,
  RequestInformation: CASE_MANAGER,
  RecordInformationReceived: CASE_MANAGER,
  AddEvidence: LEAD_OR_CASE_MANAGER,
  SuspendCase: CASE_MANAGER,
  WithdrawReferral: LEAD,
} as const satisfies AnyOpenStateRoles;

// At a panel the chair may ask for, and record, information too.
const AT_A_PANEL = {
  ...ANY_OPEN_STATE,
  RequestInformation: CASE_MANAGER_OR_CHAIR,
  RecordInformationReceived: CASE_MANAGER_OR_CHAIR,
} as const satisfies AnyOpenStateRoles;

// Listing before a positive lead assessment: open so the refusal can name the rule, never a move.
const NOT_YET_ASSESSED = (from: 'referred' | 'assessment-negative'): WorkflowStep => ({
  from,
  command: 'ListCaseForPanel',
  roles: CASE_MANAGER,
  to: [],
  checks: ['needs-positive-lead-assessment'],
});

const TERMINAL = TERMINAL_STATES;

const RULES = {
  recoveryPeriodDays: 45,
  panelNoticeDays: 7,
  panelQuorum: 5,
  // The sources name neither (domain brief, open question 2); what a careful chair would expect:
  // police and health in the room for every case, children's services besides for a child.
  panelDisciplines: { always: ['police', 'health'], forChild: ['local-authority'] },
  // Majority of those present and not conflicted, the independent chair holding a casting vote.
  panelVoting: 'majority-chair-casting-vote',
  minRationaleLength: 20,
  decisionStage: 'conclusive-grounds',
  standardOfProof: 'balance-of-probabilities',
  guidanceVersion: 'nrm-competent-bodies-guidance-2015',
  supportProviders: SUPPORT_PROVIDERS_2015,
  // A first responder's referral goes to the region's Slavery Safeguarding Lead (the pilot's design).
  referralsAcceptedBy: 'lead',
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
export const NRM_PILOT_2015: WorkflowDefinition = defineWorkflow({
  id: 'nrm-pilot-2015',
  version: 1,
  title: 'National Referral Mechanism: 2015 pilot (Slavery Safeguarding Leads and regional panels)',
  states: CASE_STATUSES,
  terminal: TERMINAL,
  steps: [
    { from: 'none', command: 'RaiseReferral', roles: LEAD, to: ['referred'] },
    ...anyOpenStateSteps('referred', ANY_OPEN_STATE),
    { from: 'referred', command: 'RecordLeadAssessment', roles: LEAD, to: ['recovery', 'assessment-negative'] },
    // Always refused here, so the case manager learns why.
    NOT_YET_ASSESSED('referred'),
    ...anyOpenStateSteps('recovery', ANY_OPEN_STATE),
    { from: 'recovery', command: 'ListCaseForPanel', roles: CASE_MANAGER, to: ['listed'] },
    ...anyOpenStateSteps('assessment-negative', ANY_OPEN_STATE),
    // Always refused here: only a reconsideration brings the case to a panel.
    NOT_YET_ASSESSED('assessment-negative'),
    { from: 'assessment-negative', command: 'RequestReconsideration', roles: REFERRER_OR_LEAD, to: ['referred'] },
    { from: 'assessment-negative', command: 'CloseCase', roles: CASE_MANAGER, to: ['closed'] },
    ...anyOpenStateSteps('listed', AT_A_PANEL),
    // Relisting moves the case to another meeting (say, the first was cancelled).
    { from: 'listed', command: 'ListCaseForPanel', roles: CASE_MANAGER, to: ['listed'] },
    { from: 'listed', command: 'ConvenePanel', roles: PANEL_CHAIR, to: ['panel-convened'] },
    // Always refused here, so the chair learns why.
    { from: 'listed', command: 'RecordDecision', roles: PANEL_CHAIR, to: [], checks: ['needs-convened-panel'] },
    ...anyOpenStateSteps('panel-convened', AT_A_PANEL),
    {
      from: 'panel-convened',
      command: 'RecordDecision',
      roles: PANEL_CHAIR,
      to: ['decided-positive', 'decided-negative'],
    },
    ...afterDecisionSteps(ANY_OPEN_STATE, {
      CloseCase: CASE_MANAGER,
      CompleteSecondReview: CASE_MANAGER_OR_CHAIR,
      RequestReconsideration: REFERRER_OR_LEAD,
    }),
    ...suspendedSteps({ ...ANY_OPEN_STATE, ResumeCase: CASE_MANAGER, CloseCase: CASE_MANAGER }, SUSPENDABLE),
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
});
