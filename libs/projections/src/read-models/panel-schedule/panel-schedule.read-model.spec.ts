import { DomainExamples, type CaseEvent } from '@harbour/domain';
import type { RecordedEvent } from '@harbour/event-store';
import { ContradictoryEventError, RowNotFoundError } from '../shared/read-model.errors';
import { personalDataIn, personalValuesIn } from '../../../test/support/personal-data';
import { projectionSpec, record, withMetadata } from '../testing/projection-spec';
import { panelScheduleReadModel, type PanelScheduleRow } from './panel-schedule.read-model';

const { actors, at, commands, exampleCaseStreams, historyIn, ids, PANEL_ID, run, times } = DomainExamples;
const sut = projectionSpec(panelScheduleReadModel);

const NEXT_MEETING_AT = '2015-07-27T10:00:00.000Z';
// After the example listing (1 July), before its meeting (20 July).
const RELISTED_AT = '2015-07-05T09:00:00.000Z';
const SUSPENDED_AT = '2015-07-05T09:00:00.000Z';
const AFTER_SUSPENSION = '2015-07-06T09:00:00.000Z';
const lastOf = (events: readonly RecordedEvent[]) => events[events.length - 1];

/** The example case relisted from its meeting to the next one before the first sat. */
function relisted(): CaseEvent[] {
  return run(
    [
      [
        commands.listCaseForPanel({ meetingId: ids.nextMeetingId, meetingAt: NEXT_MEETING_AT }),
        at(actors.caseManager, RELISTED_AT),
      ],
    ],
    historyIn.listed(),
  );
}

/** The row of the example case just listed. */
function listedRow(events: readonly RecordedEvent[]): PanelScheduleRow {
  return {
    case_id: ids.caseId,
    panel_id: PANEL_ID,
    meeting_id: ids.meetingId,
    meeting_at: times.meetingAt,
    listed_at: times.listedAt,
    urgent: false,
    urgency_reason_given: false,
    status: 'listed',
    removed_reason: null,
    case_suspended: false,
    convened_at: null,
    chair_id: null,
    chair_agency: null,
    members_present: null,
    attendance_count: null,
    members_counted: null,
    quorate: null,
    decision_id: null,
    decision_outcome: null,
    decided_at: null,
    earlier_listings: [],
    meeting_ids: [ids.meetingId],
    revision: Number(lastOf(events).revision),
  };
}

describe('panel_schedule', () => {
  describe('listing, convening, deciding', () => {
    it('adds a case to the agenda of the meeting it is listed to', () => {
      const events = record(historyIn.listed());

      sut.given(events).then([listedRow(events)]);
    });

    it('has no row for a case never listed', () => {
      sut.given(record(historyIn.recovery())).then([]);
    });

    it('records who attended when the panel convened, and whether it was quorate', () => {
      const events = record(historyIn['panel-convened']());

      sut.given(events).then([
        {
          ...listedRow(events),
          status: 'convened',
          convened_at: times.meetingAt,
          chair_id: actors.chair.userId,
          chair_agency: 'independent-chair',
          members_present: [
            { memberId: 'member-1', agency: 'avon-and-somerset-police', discipline: 'police', conflictDeclared: false },
            { memberId: 'member-2', agency: 'nhs-south-west', discipline: 'health', conflictDeclared: false },
            {
              memberId: 'member-3',
              agency: 'somerset-county-council',
              discipline: 'local-authority',
              conflictDeclared: false,
            },
            {
              memberId: 'member-4',
              agency: 'glaa',
              discipline: 'gangmasters-licensing-authority',
              conflictDeclared: false,
            },
            { memberId: 'member-5', agency: 'unseen-uk', discipline: 'ngo', conflictDeclared: false },
            { memberId: 'member-6', agency: 'border-force', discipline: 'border-force', conflictDeclared: true },
          ],
          attendance_count: 6,
          // member-6 declared a conflict: present, not counted.
          members_counted: 5,
          quorate: true,
        },
      ]);
    });

    it('cannot tell quorum under a workflow this build does not know', () => {
      const events = record(historyIn['panel-convened']());
      const convened = withMetadata(lastOf(events), { workflow: { id: 'nrm-future', version: 9 } });

      sut
        .given([...events.slice(0, -1), convened])
        .thenMatch([{ status: 'convened', members_counted: 5, quorate: null }]);
    });

    it('records the decision the meeting made', () => {
      sut.given(record(historyIn['decided-negative']())).thenMatch([
        {
          status: 'decided',
          meeting_id: ids.meetingId,
          decision_id: ids.decisionId,
          decision_outcome: 'negative',
          decided_at: times.decidedAt,
        },
      ]);
    });

    it('says an urgency reason was given, never what it was', () => {
      const [reconsidered] = exampleCaseStreams();

      sut
        .given(record(reconsidered))
        .thenMatch([{ meeting_id: ids.nextMeetingId, urgent: true, urgency_reason_given: true }]);
    });
  });

  describe('the central route', () => {
    it('schedules nothing for a case the competent authority decides', () => {
      const { centralHistoryIn } = DomainExamples;
      sut.given(record(centralHistoryIn.closed())).then([]);
      sut.given(record(centralHistoryIn['negative-upheld']())).then([]);
    });
  });

  describe('relisting', () => {
    it('moves a case relisted before its meeting sat: the old meeting keeps it as relisted', () => {
      const events = record(relisted());

      sut.given(events).then([
        {
          ...listedRow(events),
          meeting_id: ids.nextMeetingId,
          meeting_at: NEXT_MEETING_AT,
          listed_at: RELISTED_AT,
          earlier_listings: [
            {
              panelId: PANEL_ID,
              meetingId: ids.meetingId,
              meetingAt: times.meetingAt,
              listedAt: times.listedAt,
              urgent: false,
              urgencyReasonGiven: false,
              status: 'relisted',
              convenedAt: null,
              chairId: null,
              chairAgency: null,
              membersPresent: null,
              attendanceCount: null,
              membersCounted: null,
              quorate: null,
              decisionId: null,
              decisionOutcome: null,
              decidedAt: null,
              supersededAt: RELISTED_AT,
            },
          ],
          meeting_ids: [ids.meetingId, ids.nextMeetingId],
        },
      ]);
    });

    it('updates the listing in place when relisted to the same meeting', () => {
      const events = record(
        run(
          [[commands.listCaseForPanel({ meetingAt: NEXT_MEETING_AT }), at(actors.caseManager, RELISTED_AT)]],
          historyIn.listed(),
        ),
      );

      sut.given(events).thenMatch([
        {
          meeting_id: ids.meetingId,
          meeting_at: NEXT_MEETING_AT,
          earlier_listings: [],
          meeting_ids: [ids.meetingId],
        },
      ]);
    });

    it('keeps a decided listing as decided when a reconsidered case is listed to a new meeting', () => {
      const [reconsidered] = exampleCaseStreams();

      sut.given(record(reconsidered)).thenMatch([
        {
          status: 'listed',
          meeting_id: ids.nextMeetingId,
          decision_id: null,
          convened_at: null,
          earlier_listings: [
            {
              meetingId: ids.meetingId,
              status: 'decided',
              decisionId: ids.decisionId,
              decisionOutcome: 'negative',
              attendanceCount: 6,
              quorate: true,
              supersededAt: times.later,
            },
          ],
          meeting_ids: [ids.meetingId, ids.nextMeetingId],
        },
      ]);
    });
  });

  describe('suspension, withdrawal and closure', () => {
    const suspendedWhileListed = () =>
      run([[commands.suspendCase(), at(actors.caseManager, SUSPENDED_AT)]], historyIn.listed());

    it('flags a listed case that is suspended, and clears the flag when it resumes', () => {
      const suspended = suspendedWhileListed();
      const resumed = run([[commands.resumeCase(), at(actors.caseManager, AFTER_SUSPENSION)]], suspended);

      sut.given(record(suspended)).thenMatch([{ status: 'listed', case_suspended: true }]);
      sut.given(record(resumed)).thenMatch([{ status: 'listed', case_suspended: false }]);
    });

    it('leaves a decided listing alone when the case is suspended or resumed later', () => {
      const history = run(
        [
          [commands.suspendCase(), at(actors.caseManager, times.reviewedAt)],
          [commands.resumeCase(), at(actors.caseManager, times.later)],
        ],
        historyIn['decided-positive'](),
      );
      const events = record(history);
      const [decided] = sut.given(record(historyIn['decided-positive']())).rows();

      sut.given(events).then([decided]);
    });

    it('removes the listing of a case withdrawn before its meeting decided', () => {
      const events = record(run([[commands.withdrawReferral(), at(actors.lead, SUSPENDED_AT)]], historyIn.listed()));

      sut.given(events).thenMatch([{ status: 'removed', removed_reason: 'withdrawn', meeting_id: ids.meetingId }]);
    });

    it('removes the listing of a case closed while suspended, and it is no longer flagged', () => {
      const events = record(
        run([[commands.closeCase(), at(actors.caseManager, AFTER_SUSPENSION)]], suspendedWhileListed()),
      );

      sut.given(events).thenMatch([{ status: 'removed', removed_reason: 'closed', case_suspended: false }]);
    });

    it('keeps a decided listing when the case is closed afterwards', () => {
      sut.given(record(historyIn.closed())).thenMatch([{ status: 'decided', removed_reason: null }]);
    });
  });

  describe('idempotency', () => {
    it('ignores a replayed history', () => {
      const events = record(exampleCaseStreams()[0]);

      sut.given([...events, ...events]).then(sut.given(events).rows());
    });

    it('ignores a late duplicate of the first listing after a relisting, returning the same row', () => {
      const events = record(relisted());
      const [row] = sut.given(events).rows();
      const firstListing = events.find((event) => event.type === 'CaseListedForPanel');
      if (!firstListing) throw new Error('no listing');

      expect(panelScheduleReadModel.evolve(row, firstListing)).toBe(row);
    });
  });

  describe('personal data', () => {
    it('holds none, the urgency reason included', () => {
      for (const history of [...exampleCaseStreams(), relisted()]) {
        const events = record(history);
        const personal = personalValuesIn(events);
        for (const row of sut.given(events).rows()) expect(personalDataIn(row, personal)).toEqual([]);
      }
      expect(personalValuesIn(record(exampleCaseStreams()[0]))).toContain(
        'The person is due to be removed from the UK.',
      );
    });
  });

  describe('events it cannot project', () => {
    it('refuses a panel convening for a case not listed', () => {
      const events = record(historyIn['panel-convened']());

      sut.given(events.filter((event) => event.type !== 'CaseListedForPanel')).thenThrows(RowNotFoundError);
    });

    it('refuses a decision at a meeting the case is not listed to', () => {
      const events = record(historyIn['decided-positive']());
      const decision = lastOf(events);
      const elsewhere: RecordedEvent = {
        ...decision,
        data: { ...decision.data, decidedBy: { ...(decision.data.decidedBy as object), meetingId: ids.nextMeetingId } },
      };

      sut.given([...events.slice(0, -1), elsewhere]).thenThrows(ContradictoryEventError);
    });

    it('refuses a listing of a case whose listing was removed (a withdrawn case)', () => {
      const withdrawn = run([[commands.withdrawReferral(), at(actors.lead, SUSPENDED_AT)]], historyIn.listed());
      const listing = withdrawn.find((event) => event.type === 'CaseListedForPanel');
      if (!listing) throw new Error('no listing');

      sut.given(record([...withdrawn, listing])).thenThrows(ContradictoryEventError);
    });
  });

  describe('coverage', () => {
    it('has a spec that changes a row for every event type it handles', () => {
      expect(sut.exercisedTypes()).toEqual([...panelScheduleReadModel.handles].sort());
    });
  });
});
