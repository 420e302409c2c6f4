import type { CaseEventType } from '../case/case.events';
import type { CaseStatus } from '../case/case.state';
import type { DeadlineKind, DeadlineSpec, EventMatch } from '../deadlines/deadline.model';
import type { WorkflowTransition } from './workflow.definition';

/**
 * What the 2015 definitions share: the same terminal states, the same moves for the commands any
 * open case allows, and deadlines of the same shape. A definition is still data; these only keep
 * the two from drifting apart where they must agree.
 */

/** The states in which a case takes no more commands. */
export const TERMINAL_STATES: readonly CaseStatus[] = ['closed', 'withdrawn'];

/**
 * Where the commands any open, unsuspended case allows lead from `from`: support, information and
 * evidence leave the status alone; suspension and withdrawal move it.
 */
export function anyOpenStateTransitions(from: CaseStatus): WorkflowTransition[] {
  return [
    { from, command: 'ArrangeImmediateSupport', to: [from] },
    { from, command: 'RequestInformation', to: [from] },
    { from, command: 'RecordInformationReceived', to: [from] },
    { from, command: 'AddEvidence', to: [from] },
    { from, command: 'SuspendCase', to: ['suspended'] },
    { from, command: 'WithdrawReferral', to: ['withdrawn'] },
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
