import type { CaseEventType } from '../case/case.events';
import type { CaseStatus } from '../case/case.state';
import type { DeadlineKind, DeadlineSpec, EventMatch } from '../deadlines/deadline.model';
import type { Role } from '../shared/actor.model';
import type { SupportProviders, WorkflowStep } from './workflow.definition';

/**
 * What the 2015 definitions share: the same terminal states, the same moves for the commands any
 * open case allows, and deadlines of the same shape. A definition is still data; these only keep
 * the two from drifting apart where they must agree.
 */

/** The states in which a case takes no more commands. */
/**
 * Support in England and Wales in 2015: adults through the Home Office's victim care contract held
 * by the Salvation Army (2011-2021), delivered with subcontractors such as Migrant Help and Unseen;
 * children by the local authority's children's services under its safeguarding duties (Children
 * Act 1989), never the adult contract. Domain brief §2 and §10 [E]. A person of unknown age is
 * presumed a child.
 */
export const SUPPORT_PROVIDERS_2015: SupportProviders = {
  adultContract: ['salvation-army', 'migrant-help', 'unseen-uk'],
  children: 'local-authority',
};

export const TERMINAL_STATES: readonly CaseStatus[] = ['closed', 'withdrawn'];

/** Who may issue the commands any open, unsuspended case allows. */
export interface AnyOpenStateRoles {
  readonly ArrangeImmediateSupport: readonly Role[];
  readonly RequestInformation: readonly Role[];
  readonly RecordInformationReceived: readonly Role[];
  readonly AddEvidence: readonly Role[];
  readonly SuspendCase: readonly Role[];
  readonly WithdrawReferral: readonly Role[];
}

/** Support, information and evidence: open in every open state, suspended too, and the status stays. */
function caseFileSteps(
  from: CaseStatus,
  roles: Omit<AnyOpenStateRoles, 'SuspendCase' | 'WithdrawReferral'>,
): WorkflowStep[] {
  return [
    { from, command: 'ArrangeImmediateSupport', roles: roles.ArrangeImmediateSupport, to: [from] },
    { from, command: 'RequestInformation', roles: roles.RequestInformation, to: [from] },
    {
      from,
      command: 'RecordInformationReceived',
      roles: roles.RecordInformationReceived,
      to: [from],
      checks: ['information-request-not-open'],
    },
    { from, command: 'AddEvidence', roles: roles.AddEvidence, to: [from] },
  ];
}

/**
 * The commands any open, unsuspended case allows from `from`: support, information and evidence
 * leave the status alone; suspension and withdrawal move it.
 */
export function anyOpenStateSteps(from: CaseStatus, roles: AnyOpenStateRoles): WorkflowStep[] {
  return [
    ...caseFileSteps(from, roles),
    { from, command: 'SuspendCase', roles: roles.SuspendCase, to: ['suspended'] },
    { from, command: 'WithdrawReferral', roles: roles.WithdrawReferral, to: ['withdrawn'] },
  ];
}

/**
 * After the conclusive decision, the same on every route: a positive case is closed; a negative
 * one gets a second review or a reconsideration (back to recovery), and an upheld one may be
 * reconsidered or closed.
 */
export function afterDecisionSteps(
  open: AnyOpenStateRoles,
  roles: {
    readonly CloseCase: readonly Role[];
    readonly CompleteSecondReview: readonly Role[];
    readonly RequestReconsideration: readonly Role[];
  },
): WorkflowStep[] {
  const reconsider = roles.RequestReconsideration;
  return [
    ...anyOpenStateSteps('decided-positive', open),
    { from: 'decided-positive', command: 'CloseCase', roles: roles.CloseCase, to: ['closed'] },
    ...anyOpenStateSteps('decided-negative', open),
    {
      from: 'decided-negative',
      command: 'CompleteSecondReview',
      roles: roles.CompleteSecondReview,
      to: ['negative-upheld', 'decided-positive'],
    },
    { from: 'decided-negative', command: 'RequestReconsideration', roles: reconsider, to: ['recovery'] },
    ...anyOpenStateSteps('negative-upheld', open),
    { from: 'negative-upheld', command: 'RequestReconsideration', roles: reconsider, to: ['recovery'] },
    { from: 'negative-upheld', command: 'CloseCase', roles: roles.CloseCase, to: ['closed'] },
  ];
}

/**
 * What a suspended case allows: support, information and evidence, resuming (back to the state
 * it was suspended in, one of `resumesTo`), withdrawal and closing.
 */
export function suspendedSteps(
  roles: Omit<AnyOpenStateRoles, 'SuspendCase'> & {
    readonly ResumeCase: readonly Role[];
    readonly CloseCase: readonly Role[];
  },
  resumesTo: readonly CaseStatus[],
): WorkflowStep[] {
  return [
    ...caseFileSteps('suspended', roles),
    { from: 'suspended', command: 'ResumeCase', roles: roles.ResumeCase, to: resumesTo },
    { from: 'suspended', command: 'WithdrawReferral', roles: roles.WithdrawReferral, to: ['withdrawn'] },
    // A person who stays missing must not hold a case open for ever (the national model closes
    // a suspended case too).
    { from: 'suspended', command: 'CloseCase', roles: roles.CloseCase, to: ['closed'] },
  ];
}

/**
 * A withdrawn or closed case has no deadlines left to run. A suspension does not stop the clock:
 * the target is missed all the same, and the record of it says so.
 */
export const ENDS_EVERY_DEADLINE: readonly EventMatch[] = [{ type: 'ReferralWithdrawn' }, { type: 'CaseClosed' }];

/**
 * The first gate (the lead's assessment, or the reasonable grounds decision): due 5 working days
 * after the referral, and again after a reconsideration sends the case back to it.
 */
export function firstGateDeadline(kind: DeadlineKind, title: string, metBy: CaseEventType): DeadlineSpec {
  return {
    kind,
    title,
    onDue: 'breach',
    duration: { amount: 5, unit: 'working-days' },
    startsOn: [
      { type: 'ReferralRaised', idFrom: 'caseId' },
      { type: 'ReconsiderationRequested', where: { returnsTo: 'referred' }, idFrom: 'reconsiderationId' },
    ],
    metBy: [{ type: metBy }],
    cancelledBy: ENDS_EVERY_DEADLINE,
  };
}

/**
 * The recovery and reflection period a positive first gate starts: it ends (never breaches) at the
 * end the deciding event fixed, `days` calendar days on.
 */
export function recoveryPeriodDeadline(
  title: string,
  startsOn: CaseEventType,
  idFrom: string,
  days: number,
): DeadlineSpec {
  return {
    kind: 'recovery-period',
    title,
    onDue: 'end',
    duration: { amount: days, unit: 'calendar-days' },
    startsOn: [{ type: startsOn, where: { outcome: 'positive' }, idFrom, dueAtFrom: 'recoveryPeriod.endsAt' }],
    metBy: [],
    cancelledBy: ENDS_EVERY_DEADLINE,
  };
}

/** Information requests are answered within 10 working days, or by the date the request gives. */
export const INFORMATION_REQUEST_DEADLINE: DeadlineSpec = {
  kind: 'information-request',
  title: 'Information requests are answered within 10 working days, or by the date the request gives',
  onDue: 'breach',
  duration: { amount: 10, unit: 'working-days' },
  startsOn: [{ type: 'InformationRequested', idFrom: 'requestId', dueAtFrom: 'dueBy' }],
  metBy: [{ type: 'InformationReceived', idFrom: 'requestId' }],
  cancelledBy: ENDS_EVERY_DEADLINE,
};
