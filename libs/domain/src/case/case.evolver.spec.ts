import { InvalidHistoryError } from '../shared/domain.errors';
import {
  actors,
  at,
  centralHistoryIn,
  commands,
  historyIn,
  ids,
  PANEL_ID,
  run,
  times,
} from '../testing/domain.examples';
import type { CaseEvent } from './case.events';
import { caseFold, evolveCase, foldCaseEvents } from './case.evolver';
import { initialCaseState, type CaseState } from './case.state';

function fold(events: readonly CaseEvent[]): CaseState {
  return events.reduce(evolveCase, initialCaseState());
}

describe('evolveCase', () => {
  it('opens the case file on ReferralRaised, pinned to its workflow', () => {
    expect(fold(historyIn.referred())).toEqual({
      status: 'referred',
      caseId: ids.caseId,
      workflow: { id: 'nrm-pilot-2015', version: 1 },
      lastEntryAt: times.raisedAt,
      file: {
        region: 'south-west',
        policeForceArea: 'avon-and-somerset',
        ageGroup: 'adult',
        referringAgency: 'bristol-city-council',
        raisedAt: times.raisedAt,
        leadIds: ['lead-1'],
        evidence: [],
        openInformationRequests: [],
      },
    });
  });

  it('starts the recovery period on a positive assessment and keeps evidence on file', () => {
    expect(fold(historyIn.recovery())).toMatchObject({
      status: 'recovery',
      recoveryPeriod: { startsAt: times.assessedAt, endsAt: times.recoveryEndsAt, days: 45 },
      file: { evidence: [{ evidenceId: ids.evidenceId, kind: 'police-report' }] },
    });
  });

  it('remembers the panel and meeting a case is listed to', () => {
    expect(fold(historyIn.listed())).toMatchObject({
      status: 'listed',
      file: { panelId: PANEL_ID },
      listing: { panelId: PANEL_ID, meetingId: ids.meetingId, meetingAt: times.meetingAt, urgent: false },
    });
  });

  it('remembers everyone at the meeting as taking part in the decision', () => {
    expect(fold(historyIn['decided-negative']())).toMatchObject({
      status: 'decided-negative',
      decision: {
        decisionId: ids.decisionId,
        outcome: 'negative',
        decidedBy: { kind: 'panel', panelId: PANEL_ID, meetingId: ids.meetingId, chairId: 'chair-1' },
        participantIds: ['chair-1', 'member-1', 'member-2', 'member-3', 'member-4', 'member-5', 'member-6'],
      },
    });
  });

  it('follows the central route: a reasonable grounds decision, then a competent authority decision alone', () => {
    expect(fold(centralHistoryIn.recovery())).toMatchObject({
      status: 'recovery',
      workflow: { id: 'nrm-central-2015', version: 1 },
      recoveryPeriod: { startsAt: times.assessedAt, endsAt: times.recoveryEndsAt, days: 45 },
      // The competent authority is not a lead of the case.
      file: { region: 'london', leadIds: ['lead-7'] },
    });
    expect(fold(centralHistoryIn['assessment-negative']())).toMatchObject({
      status: 'assessment-negative',
      gate: 'reasonable-grounds-decision',
      assessmentId: ids.reasonableGroundsDecisionId,
    });
    expect(fold(centralHistoryIn['decided-negative']())).toMatchObject({
      status: 'decided-negative',
      decision: {
        decisionId: ids.decisionId,
        outcome: 'negative',
        decidedBy: { kind: 'competent-authority', decisionMakerId: 'ca-1', agency: 'uk-human-trafficking-centre' },
        participantIds: ['ca-1'],
      },
    });
  });

  it('makes an overturned negative decision positive, keeping the decision and the review', () => {
    const overturned = run(
      [[commands.completeSecondReview('overturned'), at(actors.caseManager, times.reviewedAt)]],
      historyIn['decided-negative'](),
    );
    expect(fold(overturned)).toMatchObject({
      status: 'decided-positive',
      decision: { outcome: 'negative' },
      review: { reviewId: ids.reviewId, outcome: 'overturned', reviewerId: 'cmu-1' },
    });
  });

  it('keeps the state a case was suspended in, whole', () => {
    const recovery = fold(historyIn.recovery());
    expect(fold(historyIn.suspended())).toEqual({
      status: 'suspended',
      caseId: ids.caseId,
      workflow: { id: 'nrm-pilot-2015', version: 1 },
      lastEntryAt: times.suspendedAt,
      resumeTo: recovery,
    });
  });

  it('remembers where a case was closed or withdrawn from', () => {
    expect(fold(historyIn.closed())).toMatchObject({ status: 'closed', closedFrom: 'decided-positive' });
    expect(fold(historyIn.withdrawn())).toMatchObject({ status: 'withdrawn', withdrawnFrom: 'recovery' });
  });

  it('keeps the business time of the latest entry a person recorded, not of what Harbour records', () => {
    expect(fold(historyIn.recovery())).toMatchObject({ lastEntryAt: times.evidenceAddedAt });
    const [raised] = historyIn.referred();
    const breached: CaseEvent = {
      type: 'DeadlineBreached',
      data: {
        caseId: ids.caseId,
        deadlineId: 'lead-assessment',
        kind: 'lead-assessment',
        startedAt: times.raisedAt,
        dueAt: '2015-06-08T09:00:00.000Z',
        detectedAt: '2015-06-09T00:00:00.000Z',
      },
    };
    expect(fold([raised, breached])).toMatchObject({ lastEntryAt: times.raisedAt });
  });

  it('refuses a history no decider could have written (InvalidHistoryError)', () => {
    const [raised, support, assessed] = historyIn.recovery();
    expect(() => fold([support])).toThrow(InvalidHistoryError);
    expect(() => fold([raised, raised])).toThrow(InvalidHistoryError);
    expect(() => fold([raised, assessed, assessed])).toThrow(InvalidHistoryError);
    expect(() => fold([...historyIn.closed(), support])).toThrow(InvalidHistoryError);
  });
});

describe('foldCaseEvents (one pass that grows its own lists in place)', () => {
  const evidence = (n: number, when: string) =>
    [
      commands.addEvidence({ evidenceId: `evidence-${n}`, description: `Statement ${n}.` }),
      at(actors.caseManager, when),
    ] as const;
  /** Evidence before, during and after a suspension, so lists grow inside `resumeTo` too. */
  const longHistory = () =>
    run(
      [
        evidence(1, times.evidenceAddedAt),
        evidence(2, times.evidenceAddedAt),
        [commands.suspendCase(), at(actors.caseManager, times.suspendedAt)],
        evidence(3, times.suspendedAt),
        evidence(4, times.suspendedAt),
        [commands.resumeCase(), at(actors.caseManager, times.listedAt)],
        evidence(5, times.listedAt),
        [commands.listCaseForPanel(), at(actors.caseManager, times.listedAt)],
        evidence(6, times.listedAt),
      ],
      historyIn.recovery(),
    );
  const histories: [string, CaseEvent[]][] = [
    ...Object.entries(historyIn).map(([status, history]): [string, CaseEvent[]] => [status, history()]),
    ...Object.entries(centralHistoryIn).map(([status, history]): [string, CaseEvent[]] => [
      `central ${status}`,
      history(),
    ]),
    ['evidence around a suspension', longHistory()],
  ];

  it.each(histories)('agrees with evolveCase after every event of a case %s', (_, events) => {
    for (let length = 0; length <= events.length; length++) {
      const prefix = events.slice(0, length);
      expect(foldCaseEvents(prefix)).toEqual(fold(prefix));
    }
  });

  it('never changes a state it was given: only lists of its own pass grow in place', () => {
    const events = longHistory();
    const before = fold(events.slice(0, 6));
    const frozen = JSON.stringify(before);
    const after = foldCaseEvents(events.slice(6), before);
    expect(JSON.stringify(before)).toBe(frozen);
    expect(after).toEqual(fold(events));
  });

  it('never changes what an earlier pass returned', () => {
    const events = longHistory();
    const first = foldCaseEvents(events.slice(0, 8));
    const frozen = JSON.stringify(first);
    const evolve = caseFold();
    events.slice(8).reduce(evolve, first);
    expect(JSON.stringify(first)).toBe(frozen);
  });
});
