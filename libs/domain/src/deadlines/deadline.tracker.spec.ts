import type { CaseEvent } from '../case/case.events';
import { actors, at, commands, historyIn, ids, run, times } from '../testing/domain.examples';
import {
  decideDeadline,
  initialCaseDeadlines,
  isOverdue,
  nextDeadline,
  nextFireAt,
  trackDeadlines,
  type CaseDeadlines,
} from './deadline.tracker';

const track = (events: readonly CaseEvent[]): CaseDeadlines => events.reduce(trackDeadlines, initialCaseDeadlines());
const LEAD_ASSESSMENT = `lead-assessment:${ids.caseId}`;
// Raised Monday 1 June 2015 09:00: 5 working days later is Monday 8 June.
const LEAD_ASSESSMENT_DUE = '2015-06-08T09:00:00.000Z';

/** The events the scheduler would append at `now`, folded in. */
function fire(events: readonly CaseEvent[], now: string): CaseEvent[] {
  const state = track(events);
  return [
    ...events,
    ...state.deadlines.flatMap((d) => decideDeadline({ caseId: ids.caseId, deadlineId: d.deadlineId }, state, { now })),
  ];
}

describe('trackDeadlines', () => {
  it('starts the lead assessment deadline on the referral, due 5 working days later', () => {
    const state = track(run([[commands.raiseReferral(), at(actors.lead, times.raisedAt)]]));

    expect(state).toEqual({
      caseId: ids.caseId,
      workflow: { id: 'nrm-pilot-2015', version: 1 },
      deadlines: [
        {
          deadlineId: LEAD_ASSESSMENT,
          kind: 'lead-assessment',
          onDue: 'breach',
          startedAt: times.raisedAt,
          dueAt: LEAD_ASSESSMENT_DUE,
          dueAtEstimated: false,
        },
      ],
    });
    expect(nextFireAt(state)).toBe(LEAD_ASSESSMENT_DUE);
    expect(nextDeadline(state)?.deadlineId).toBe(LEAD_ASSESSMENT);
  });

  it('is met by the assessment in time, and starts the recovery period on a positive one', () => {
    const state = track(historyIn.recovery());

    expect(state.deadlines.map(({ kind, settled, dueAt }) => ({ kind, settled, dueAt }))).toEqual([
      { kind: 'lead-assessment', settled: { how: 'met', at: times.assessedAt }, dueAt: LEAD_ASSESSMENT_DUE },
      { kind: 'recovery-period', settled: undefined, dueAt: times.recoveryEndsAt },
    ]);
    // Nothing to record until the recovery period ends.
    expect(nextFireAt(state)).toBe(times.recoveryEndsAt);
  });

  it('cancels what is running when the case is withdrawn', () => {
    const state = track(historyIn.withdrawn());

    expect(state.deadlines.find((d) => d.kind === 'recovery-period')?.settled).toEqual({
      how: 'cancelled',
      at: times.suspendedAt,
    });
    expect(nextDeadline(state)).toBeNull();
  });

  it('meets an information request only by the answer to that request', () => {
    const other = '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d';
    const events = run(
      [
        [commands.requestInformation({ dueBy: undefined }), at(actors.caseManager, times.later)],
        [commands.requestInformation({ requestId: other, dueBy: undefined }), at(actors.caseManager, times.later)],
        [commands.recordInformationReceived({ requestId: other }), at(actors.caseManager, times.later)],
      ],
      historyIn.recovery(),
    );
    const requests = track(events).deadlines.filter((d) => d.kind === 'information-request');

    // Monday 3 August 2015 + 10 working days (the August bank holiday is on the 31st).
    expect(requests.map(({ deadlineId, dueAt, settled }) => ({ deadlineId, dueAt, met: settled?.how }))).toEqual([
      { deadlineId: `information-request:${ids.requestId}`, dueAt: '2015-08-17T09:00:00.000Z', met: undefined },
      { deadlineId: `information-request:${other}`, dueAt: '2015-08-17T09:00:00.000Z', met: 'met' },
    ]);
  });

  it('estimates a working-day deadline the bank holiday data does not cover, and says so', () => {
    const raisedAt = '2028-03-01T09:00:00.000Z';
    // The calendar covers 2015 to 2027.
    const state = track(run([[commands.raiseReferral(), at(actors.lead, raisedAt)]]));
    expect(state.deadlines[0]).toMatchObject({ dueAt: '2028-03-08T09:00:00.000Z', dueAtEstimated: true });
  });
});

describe('decideDeadline', () => {
  const raised = run([[commands.raiseReferral(), at(actors.lead, times.raisedAt)]]);

  it('records nothing before the deadline, and a breach once it has passed', () => {
    const state = track(raised);
    const command = { caseId: ids.caseId, deadlineId: LEAD_ASSESSMENT };

    expect(decideDeadline(command, state, { now: '2015-06-08T08:59:59.999Z' })).toEqual([]);
    expect(decideDeadline(command, state, { now: '2015-06-09T10:00:00.000Z' })).toEqual([
      {
        type: 'DeadlineBreached',
        data: {
          caseId: ids.caseId,
          deadlineId: LEAD_ASSESSMENT,
          kind: 'lead-assessment',
          startedAt: times.raisedAt,
          dueAt: LEAD_ASSESSMENT_DUE,
          detectedAt: '2015-06-09T10:00:00.000Z',
        },
      },
    ]);
  });

  it('records a breach once: a recorded one is not recorded again, and the case is overdue until it is met', () => {
    expect(isOverdue(track(raised))).toBe(false);
    const breached = fire(raised, '2015-06-09T10:00:00.000Z');
    expect(breached.map((e) => e.type)).toEqual(['ReferralRaised', 'DeadlineBreached']);
    expect(isOverdue(track(breached))).toBe(true);
    expect(fire(breached, '2015-06-10T10:00:00.000Z')).toEqual(breached);

    const assessed = run(
      [[commands.recordLeadAssessment('negative'), at(actors.lead, '2015-06-10T10:00:00.000Z')]],
      breached,
    );
    expect(isOverdue(track(assessed))).toBe(false);
    expect(fire(assessed, '2015-07-30T10:00:00.000Z')).toEqual(assessed);
  });

  it('records a deadline met late (a back-dated assessment) as missed, at once', () => {
    const late = run(
      [[commands.recordLeadAssessment('negative'), at(actors.lead, '2015-06-09T09:00:00.000Z')]],
      raised,
    );
    expect(fire(late, '2015-06-09T09:30:00.000Z').at(-1)).toMatchObject({
      type: 'DeadlineBreached',
      data: { deadlineId: LEAD_ASSESSMENT, dueAt: LEAD_ASSESSMENT_DUE },
    });
  });

  it('records nothing for a deadline met in time or cancelled before it fell due', () => {
    expect(fire(historyIn['assessment-negative'](), '2015-09-01T00:00:00.000Z')).toEqual(
      historyIn['assessment-negative'](),
    );
  });

  it('ends the recovery period with RecoveryPeriodEnded, once', () => {
    const ended = fire(historyIn.recovery(), times.later);
    expect(ended.at(-1)).toEqual({
      type: 'RecoveryPeriodEnded',
      data: {
        caseId: ids.caseId,
        deadlineId: `recovery-period:${ids.assessmentId}`,
        startedAt: times.assessedAt,
        endedAt: times.recoveryEndsAt,
        detectedAt: times.later,
      },
    });
    expect(fire(ended, times.later)).toEqual(ended);
    expect(nextDeadline(track(ended))).toBeNull();
  });
});
