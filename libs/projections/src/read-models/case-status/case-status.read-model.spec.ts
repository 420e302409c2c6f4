import { DomainExamples, type CaseEvent } from '@harbour/domain';
import type { RecordedEvent } from '@harbour/event-store';
import { ContradictoryEventError, RowNotFoundError, UnreadableEventError } from '../shared/read-model.errors';
import { personalDataIn, personalValuesIn } from '../../../test/support/personal-data';
import { projectionSpec, record, withMetadata } from '../testing/projection-spec';
import { caseStatusReadModel, type CaseStatusRow } from './case-status.read-model';

const { actors, at, commands, exampleCaseStreams, historyIn, ids, PANEL_ID, run, times, childReferralData } =
  DomainExamples;
const sut = projectionSpec(caseStatusReadModel);

const lastOf = (events: readonly RecordedEvent[]) => events[events.length - 1];
const updatedAt = (events: readonly RecordedEvent[]) => lastOf(events).recordedAt.toISOString();

const leadAssessmentDeadline = {
  deadlineId: `lead-assessment:${ids.caseId}`,
  kind: 'lead-assessment',
  onDue: 'breach',
  startedAt: times.raisedAt,
  dueAt: '2015-06-08T09:00:00.000Z',
  dueAtEstimated: false,
} as const;

/** The row of the example adult case once referred (raised, support arranged). */
function referredRow(events: readonly RecordedEvent[]): CaseStatusRow {
  return {
    case_id: ids.caseId,
    status: 'referred',
    status_before_suspension: null,
    suspension_reason: null,
    region: 'south-west',
    police_force_area: 'avon-and-somerset',
    age_group: 'adult',
    age_group_at_exploitation: 'adult',
    exploitation_types: ['labour'],
    exploitation_location: 'both',
    referring_agency: 'bristol-city-council',
    first_responder_type: 'local-authority',
    lead_id: actors.lead.userId,
    workflow_id: 'nrm-pilot-2015',
    workflow_version: 1,
    competent_authority: null,
    raised_at: times.raisedAt,
    assessed_at: null,
    assessment_outcome: null,
    recovery_started_at: null,
    recovery_ends_at: null,
    listed_at: null,
    panel_id: null,
    meeting_id: null,
    meeting_at: null,
    decision_id: null,
    decided_at: null,
    decision_outcome: null,
    reviewed_at: null,
    review_outcome: null,
    reconsideration_requested_at: null,
    suspended_at: null,
    resumed_at: null,
    closed_at: null,
    closure_outcome: null,
    withdrawn_at: null,
    withdrawal_basis: null,
    // Raised Monday 1 June 2015: the lead assessment is due 5 working days later.
    deadlines: [leadAssessmentDeadline],
    next_deadline: '2015-06-08T09:00:00.000Z',
    next_deadline_kind: 'lead-assessment',
    overdue: false,
    revision: events.length - 1,
    updated_at: updatedAt(events),
  };
}

describe('case_status', () => {
  describe('opening and working a case', () => {
    it('opens the row on ReferralRaised with the referral categories; support arranged only touches it', () => {
      const events = record(historyIn.referred());
      expect(events.map((event) => event.type)).toEqual(['ReferralRaised', 'ImmediateSupportArranged']);

      sut.given(events).then([referredRow(events)]);
    });

    it('starts the recovery period on a positive assessment: the next deadline is its end', () => {
      const events = record(historyIn.recovery());

      sut.given(events).then([
        {
          ...referredRow(events),
          status: 'recovery',
          assessed_at: times.assessedAt,
          assessment_outcome: 'positive',
          recovery_started_at: times.assessedAt,
          recovery_ends_at: times.recoveryEndsAt,
          // The lead assessment met its deadline; the recovery period runs until it is recorded ended.
          deadlines: [
            { ...leadAssessmentDeadline, settled: { how: 'met', at: times.assessedAt } },
            {
              deadlineId: `recovery-period:${ids.assessmentId}`,
              kind: 'recovery-period',
              onDue: 'end',
              startedAt: times.assessedAt,
              dueAt: times.recoveryEndsAt,
              dueAtEstimated: false,
            },
          ],
          next_deadline: times.recoveryEndsAt,
          next_deadline_kind: 'recovery-period',
        },
      ]);
    });

    it('records EvidenceAdded as activity; InformationRequested also starts the deadline for the answer', () => {
      const before = record(historyIn.recovery().slice(0, 3));
      const events = record(
        run(
          [
            [commands.addEvidence(), at(actors.caseManager, times.evidenceAddedAt)],
            [commands.requestInformation(), at(actors.caseManager, times.evidenceAddedAt)],
          ],
          historyIn.recovery().slice(0, 3),
        ),
      );
      const [rowBefore] = sut.given(before).rows();

      sut.given(events.slice(0, 4)).then([{ ...rowBefore, revision: 3, updated_at: updatedAt(events.slice(0, 4)) }]);
      sut.given(events).then([
        {
          ...rowBefore,
          deadlines: [
            ...rowBefore.deadlines,
            {
              deadlineId: `information-request:${ids.requestId}`,
              kind: 'information-request',
              onDue: 'breach',
              startedAt: times.evidenceAddedAt,
              // The request names its own due date.
              dueAt: '2015-09-01T17:00:00.000Z',
              dueAtEstimated: false,
            },
          ],
          revision: 4,
          updated_at: updatedAt(events),
        },
      ]);
    });

    it('closes to assessment-negative on a negative assessment, with no recovery period or deadline', () => {
      sut.given(record(historyIn['assessment-negative']())).thenMatch([
        {
          status: 'assessment-negative',
          assessed_at: times.assessedAt,
          assessment_outcome: 'negative',
          recovery_started_at: null,
          recovery_ends_at: null,
          next_deadline: null,
        },
      ]);
    });

    it('shows the panel and meeting a listed case waits for, still due at the end of recovery', () => {
      sut.given(record(historyIn.listed())).thenMatch([
        {
          status: 'listed',
          listed_at: times.listedAt,
          panel_id: PANEL_ID,
          meeting_id: ids.meetingId,
          meeting_at: times.meetingAt,
          next_deadline: times.recoveryEndsAt,
        },
      ]);
    });

    it('moves to panel-convened when the panel sits; the recovery period runs until recorded ended', () => {
      sut.given(record(historyIn['panel-convened']())).thenMatch([
        {
          status: 'panel-convened',
          meeting_id: ids.meetingId,
          next_deadline: times.recoveryEndsAt,
          next_deadline_kind: 'recovery-period',
        },
      ]);
    });

    it.each([
      ['decided-positive', 'positive'],
      ['decided-negative', 'negative'],
    ] as const)('records the decision: %s', (status, outcome) => {
      sut.given(record(historyIn[status]())).thenMatch([
        {
          status,
          decision_id: ids.decisionId,
          decided_at: times.decidedAt,
          decision_outcome: outcome,
          reviewed_at: null,
          review_outcome: null,
          // No RecoveryPeriodEnded in this history: the scheduler has not run.
          next_deadline: times.recoveryEndsAt,
        },
      ]);
    });
  });

  describe('deadlines', () => {
    it('is overdue once a missed deadline is recorded, and no longer once what it awaited comes', () => {
      const [, , , child] = exampleCaseStreams();
      expect(child.map((event) => event.type)).toEqual(['ReferralRaised', 'DeadlineBreached']);
      const events = record(child);

      sut.given(events).thenMatch([
        {
          case_id: ids.childCaseId,
          overdue: true,
          next_deadline: '2015-06-08T09:00:00.000Z',
          next_deadline_kind: 'lead-assessment',
        },
      ]);
      const assessed = record(
        run(
          [[{ ...commands.recordLeadAssessment('negative'), caseId: ids.childCaseId }, at(actors.lead, times.later)]],
          child,
        ),
      );
      sut.given(assessed).thenMatch([{ overdue: false, next_deadline: null, next_deadline_kind: null }]);
    });

    it('drops the recovery period from the next deadline once it is recorded ended', () => {
      const ended = exampleCaseStreams()[5];
      expect(ended.at(-1)?.type).toBe('RecoveryPeriodEnded');
      sut.given(record(ended)).thenMatch([{ status: 'recovery', next_deadline: null, overdue: false }]);
    });
  });

  describe('second review and reconsideration', () => {
    it('upholds a negative decision on second review', () => {
      sut.given(record(historyIn['negative-upheld']())).thenMatch([
        {
          status: 'negative-upheld',
          decision_outcome: 'negative',
          reviewed_at: times.reviewedAt,
          review_outcome: 'upheld',
        },
      ]);
    });

    it('makes an overturned negative decision positive, keeping the panel outcome on the row', () => {
      const [, overturned] = exampleCaseStreams();
      const events = record(overturned.slice(0, -1));
      expect(lastOf(events).type).toBe('SecondReviewCompleted');

      sut
        .given(events)
        .thenMatch([{ status: 'decided-positive', decision_outcome: 'negative', review_outcome: 'overturned' }]);
    });

    it('sends a reconsidered decision back to recovery, then to the new meeting it is relisted to', () => {
      const [reconsidered] = exampleCaseStreams();
      const events = record(reconsidered);
      const reconsideration = events.findIndex((event) => event.type === 'ReconsiderationRequested');

      sut.given(events.slice(0, reconsideration + 1)).thenMatch([
        {
          status: 'recovery',
          reconsideration_requested_at: times.reviewedAt,
          // The decision reconsidered stays on the row until a new one replaces it.
          decision_outcome: 'negative',
          review_outcome: 'upheld',
          meeting_id: ids.meetingId,
          next_deadline: times.recoveryEndsAt,
        },
      ]);
      sut.given(events).thenMatch([
        {
          status: 'listed',
          listed_at: times.later,
          meeting_id: ids.nextMeetingId,
          meeting_at: '2015-08-05T10:00:00.000Z',
          revision: events.length - 1,
        },
      ]);
    });

    it('sends a reconsidered negative assessment back to referred', () => {
      const events = record(
        run(
          [[commands.requestReconsideration(), at(actors.lead, times.reviewedAt)]],
          historyIn['assessment-negative'](),
        ),
      );

      sut.given(events).thenMatch([
        {
          status: 'referred',
          assessment_outcome: 'negative',
          reconsideration_requested_at: times.reviewedAt,
          // A new lead assessment is due 5 working days after the reconsideration (Monday 27 July).
          next_deadline: '2015-08-03T09:00:00.000Z',
          next_deadline_kind: 'lead-assessment',
        },
      ]);
    });

    it('clears the review of an earlier decision when a new decision is recorded', () => {
      const [reconsidered] = exampleCaseStreams();
      const decidedAgain = run(
        [
          [commands.convenePanel({ meetingId: ids.nextMeetingId }), at(actors.chair, '2015-08-05T10:00:00.000Z')],
          [
            commands.recordDecision('positive', { decisionId: ids.nextDecisionId }),
            at(actors.chair, '2015-08-05T12:00:00.000Z'),
          ],
        ],
        reconsidered,
      );

      sut.given(record(decidedAgain)).thenMatch([
        {
          status: 'decided-positive',
          decision_id: ids.nextDecisionId,
          decided_at: '2015-08-05T12:00:00.000Z',
          decision_outcome: 'positive',
          reviewed_at: null,
          review_outcome: null,
        },
      ]);
    });
  });

  describe('suspension, withdrawal and closure', () => {
    it('suspends a case, remembering what it resumes to; its deadlines keep running', () => {
      sut.given(record(historyIn.suspended())).thenMatch([
        {
          status: 'suspended',
          status_before_suspension: 'recovery',
          suspension_reason: 'subject-missing',
          suspended_at: times.suspendedAt,
          next_deadline: times.recoveryEndsAt,
        },
      ]);
    });

    it('resumes a case to where it was, with its deadline back', () => {
      const [, , resumedAndWithdrawn] = exampleCaseStreams();
      const events = record(resumedAndWithdrawn.slice(0, -1));
      expect(lastOf(events).type).toBe('CaseResumed');

      sut.given(events).thenMatch([
        {
          status: 'recovery',
          status_before_suspension: null,
          suspension_reason: null,
          suspended_at: times.suspendedAt,
          resumed_at: times.listedAt,
          next_deadline: times.recoveryEndsAt,
        },
      ]);
    });

    it('withdraws a referral, recording the basis and dropping the deadline', () => {
      const [, , resumedAndWithdrawn] = exampleCaseStreams();

      sut
        .given(record(resumedAndWithdrawn))
        .thenMatch([
          { status: 'withdrawn', withdrawn_at: times.later, withdrawal_basis: 'left-the-uk', next_deadline: null },
        ]);
    });

    it('withdraws a suspended case and forgets the suspension', () => {
      const events = record(run([[commands.withdrawReferral(), at(actors.lead, times.later)]], historyIn.suspended()));

      sut.given(events).thenMatch([
        {
          status: 'withdrawn',
          status_before_suspension: null,
          suspension_reason: null,
          withdrawal_basis: 'written-request',
        },
      ]);
    });

    it('closes a decided case with how it ended', () => {
      sut.given(record(historyIn.closed())).thenMatch([
        {
          status: 'closed',
          closed_at: times.reviewedAt,
          closure_outcome: 'conclusive-grounds-positive',
          decision_outcome: 'positive',
          next_deadline: null,
        },
      ]);
    });

    it('closes a suspended case', () => {
      const events = record(run([[commands.closeCase(), at(actors.caseManager, times.later)]], historyIn.suspended()));

      sut
        .given(events)
        .thenMatch([{ status: 'closed', closure_outcome: 'closed-while-suspended', status_before_suspension: null }]);
    });
  });

  describe('the central route', () => {
    const { centralHistoryIn } = DomainExamples;

    it('records the reasonable grounds decision as the first gate, starting recovery', () => {
      sut.given(record(centralHistoryIn.recovery())).thenMatch([
        {
          status: 'recovery',
          region: 'london',
          workflow_id: 'nrm-central-2015',
          assessed_at: times.assessedAt,
          assessment_outcome: 'positive',
          recovery_started_at: times.assessedAt,
          recovery_ends_at: times.recoveryEndsAt,
          next_deadline: times.recoveryEndsAt,
        },
      ]);
    });

    it('leaves a negative reasonable grounds decision assessment-negative, closed as such', () => {
      const events = record(
        run(
          [[commands.closeCase(), at(actors.competentAuthority, times.later)]],
          centralHistoryIn['assessment-negative'](),
        ),
      );
      sut.given(events).thenMatch([
        {
          status: 'closed',
          assessment_outcome: 'negative',
          recovery_ends_at: null,
          closure_outcome: 'reasonable-grounds-negative',
        },
      ]);
    });

    it('records the competent authority decision with no panel', () => {
      sut.given(record(centralHistoryIn['negative-upheld']())).thenMatch([
        {
          status: 'negative-upheld',
          decision_id: ids.decisionId,
          decided_at: times.decidedAt,
          decision_outcome: 'negative',
          review_outcome: 'upheld',
          panel_id: null,
          meeting_id: null,
          listed_at: null,
        },
      ]);
    });
  });

  describe('several cases', () => {
    it('keeps one row per case, whatever the interleaving', () => {
      const adult = historyIn.recovery();
      const child = run([
        [commands.raiseReferral(childReferralData(), ids.childCaseId), at(actors.lead, times.raisedAt)],
      ]);
      const interleaved: CaseEvent[] = [adult[0], child[0], ...adult.slice(1)];

      sut.given(record(interleaved)).thenMatch([
        { case_id: ids.caseId, status: 'recovery', revision: adult.length - 1 },
        {
          case_id: ids.childCaseId,
          status: 'referred',
          age_group: 'child',
          exploitation_types: ['criminal'],
          exploitation_location: 'uk',
          revision: 0,
        },
      ]);
    });
  });

  describe('idempotency', () => {
    it('ignores a replayed history: the rows are those of one pass', () => {
      const events = record(exampleCaseStreams()[0]);

      sut.given([...events, ...events]).then(sut.given(events).rows());
    });

    it('ignores a single late duplicate, returning the very same row', () => {
      const events = record(historyIn.listed());
      const [row] = sut.given(events).rows();

      for (const event of events) expect(caseStatusReadModel.evolve(row, event)).toBe(row);
      sut.given([...events, events[2]]).then([row]);
    });

    it('takes a row stored with a string revision (a 64-bit column) as the same revision', () => {
      const events = record(historyIn.listed());
      const [row] = sut.given(events).rows();
      const fromPostgres = { ...row, revision: String(row.revision) } as unknown as CaseStatusRow;

      expect(caseStatusReadModel.evolve(fromPostgres, lastOf(events))).toBe(fromPostgres);
    });
  });

  describe('what it stores', () => {
    it('stores times as canonical UTC, whatever offset the event used', () => {
      const [raised] = record(historyIn.referred());
      const offset: RecordedEvent = { ...raised, data: { ...raised.data, raisedAt: '2015-06-01T10:00:00+01:00' } };

      sut.given([offset]).thenMatch([{ raised_at: '2015-06-01T09:00:00.000Z' }]);
    });

    it('holds no personal data of any example history', () => {
      const histories = [...exampleCaseStreams(), ...Object.values(historyIn).map((history) => history())];
      for (const history of histories) {
        const events = record(history);
        const personal = personalValuesIn(events);
        // The check must be able to fail: the subject's name and the account are among the values.
        expect(personal).toContain(events[0].data.account);

        for (const row of sut.given(events).rows()) expect(personalDataIn(row, personal)).toEqual([]);
      }
    });

    it('has no column for personal fields of the referral', () => {
      const columns = Object.keys(caseStatusReadModel.columns);
      for (const forbidden of ['name', 'alias', 'birth', 'nationality', 'contact', 'account', 'rationale', 'notes']) {
        expect(columns.filter((column) => column.includes(forbidden))).toEqual([]);
      }
    });

    it('indexes the case list filters', () => {
      expect(caseStatusReadModel.indexes).toEqual(
        expect.arrayContaining([
          ['region'],
          ['status'],
          ['age_group'],
          ['lead_id'],
          ['raised_at'],
          ['region', 'status', 'raised_at'],
        ]),
      );
    });
  });

  describe('events it cannot project', () => {
    it('refuses an event for a case it has no row for', () => {
      const events = record(historyIn.recovery());

      sut.given(events.slice(1)).thenThrows(RowNotFoundError);
    });

    it('refuses a case raised twice', () => {
      const raised = historyIn.referred()[0];

      sut.given(record([raised, raised])).thenThrows(ContradictoryEventError);
    });

    it('refuses a schema version it was not written for', () => {
      const [raised] = record(historyIn.referred());

      sut.given([withMetadata(raised, { schemaVersion: 3 })]).thenThrows(UnreadableEventError);
    });

    it('refuses a case event outside its own stream (revisions would not compare)', () => {
      const [raised] = record(historyIn.referred());

      sut.given([{ ...raised, stream: `case-${ids.childCaseId}` }]).thenThrows(UnreadableEventError);
    });

    it('keys no row for an event that is not a case event', () => {
      const [raised] = record(historyIn.referred());

      expect(caseStatusReadModel.keyOf({ ...raised, type: 'DutyToNotifyReported' })).toBeUndefined();
    });
  });

  // Last: it checks what every spec above exercised.
  describe('coverage', () => {
    it('has a spec that changes a row for every event type it handles', () => {
      expect(sut.exercisedTypes()).toEqual([...caseStatusReadModel.handles].sort());
    });
  });
});
