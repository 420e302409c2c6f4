import { DomainExamples, organisationName, type CaseEvent } from '@harbour/domain';
import type { Row } from '@harbour/read-store';
import { InvalidReadQueryError, MalformedRowError } from '../shared/read-model.errors';
import { projectionSpec, record } from '../testing/projection-spec';
import { meetingAgenda, meetingAgendaQuery } from './meeting-agenda.query';
import { toPanelScheduleEntries, toPanelScheduleEntry } from './panel-schedule.dto';
import { panelScheduleReadModel } from './panel-schedule.read-model';

const { actors, at, childReferralData, commands, historyIn, ids, PANEL_ID, run, times } = DomainExamples;

function stored(history: CaseEvent[]): Row[] {
  const events = record(history);
  return projectionSpec(panelScheduleReadModel)
    .given(events)
    .rows()
    .map((row) => ({ ...row, last_position: events[events.length - 1].position.toString() }));
}

const RELISTED_AT = '2015-07-05T09:00:00.000Z';
const CHILD_LISTED_AT = '2015-07-02T09:00:00.000Z';

/** Relisted from the example meeting to the next one before it sat. */
const relisted = () =>
  run(
    [
      [
        commands.listCaseForPanel({ meetingId: ids.nextMeetingId, meetingAt: '2015-07-27T10:00:00.000Z' }),
        at(actors.caseManager, RELISTED_AT),
      ],
    ],
    historyIn.listed(),
  );

describe('toPanelScheduleEntry', () => {
  it('maps the current listing, with revision and position as decimal strings', () => {
    const [row] = stored(historyIn['panel-convened']());

    expect(toPanelScheduleEntry(row)).toEqual({
      caseId: ids.caseId,
      panelId: PANEL_ID,
      meetingId: ids.meetingId,
      meetingAt: times.meetingAt,
      listedAt: times.listedAt,
      urgent: false,
      urgencyReasonGiven: false,
      status: 'convened',
      removedReason: null,
      caseSuspended: false,
      convenedAt: times.meetingAt,
      chairId: actors.chair.userId,
      chairAgency: 'independent-chair',
      // Names from the registry beside the ids the row holds.
      chairAgencyName: 'Independent chair',
      membersPresent: (row.members_present as { agency: string }[]).map((member) => ({
        ...member,
        agencyName: organisationName(member.agency),
      })),
      attendanceCount: 6,
      membersCounted: 5,
      quorate: true,
      decisionId: null,
      decisionOutcome: null,
      decidedAt: null,
      supersededAt: null,
      revision: String(row.revision),
      position: row.last_position,
    });
  });

  it('refuses a malformed row', () => {
    const [row] = stored(historyIn.listed());

    expect(() => toPanelScheduleEntry({ ...row, status: 'relisted' })).toThrow(MalformedRowError);
    expect(() => toPanelScheduleEntry({ ...row, urgent: 'yes' })).toThrow(MalformedRowError);
  });
});

describe('toPanelScheduleEntries', () => {
  it('gives one entry per (meeting, case): the listing relisted away, then the current one', () => {
    const [row] = stored(relisted());

    expect(toPanelScheduleEntries(row)).toMatchObject([
      { caseId: ids.caseId, meetingId: ids.meetingId, status: 'relisted', supersededAt: RELISTED_AT },
      { caseId: ids.caseId, meetingId: ids.nextMeetingId, status: 'listed', supersededAt: null },
    ]);
  });
});

describe('meeting agenda', () => {
  it('asks for the cases now listed to the meeting, or every case ever listed to it', () => {
    expect(meetingAgendaQuery(ids.meetingId)).toEqual({
      where: [{ column: 'meeting_id', op: '=', value: ids.meetingId }],
      limit: 200,
    });
    expect(meetingAgendaQuery(ids.meetingId, { includeMovedOn: true, limit: 20 })).toEqual({
      where: [{ column: 'meeting_ids', op: 'contains', value: ids.meetingId }],
      limit: 20,
    });
  });

  it('refuses an empty meeting id or a limit out of range', () => {
    expect(() => meetingAgendaQuery('')).toThrow(InvalidReadQueryError);
    expect(() => meetingAgendaQuery(ids.meetingId, { limit: 0 })).toThrow(InvalidReadQueryError);
    expect(() => meetingAgendaQuery(ids.meetingId, { limit: 201 })).toThrow(InvalidReadQueryError);
  });

  it('keeps only the entries of the meeting asked for, in listing order: a relisted case shows as relisted', () => {
    const child = run([
      [commands.raiseReferral(childReferralData(), ids.childCaseId), at(actors.lead, times.raisedAt)],
      [{ ...commands.recordLeadAssessment('positive'), caseId: ids.childCaseId }, at(actors.lead, times.assessedAt)],
      [{ ...commands.listCaseForPanel(), caseId: ids.childCaseId }, at(actors.caseManager, CHILD_LISTED_AT)],
    ]);
    const rows = [...stored(relisted()), ...stored(child)];

    expect(meetingAgenda(rows, ids.meetingId)).toMatchObject([
      { caseId: ids.caseId, meetingId: ids.meetingId, status: 'relisted', listedAt: times.listedAt },
      { caseId: ids.childCaseId, meetingId: ids.meetingId, status: 'listed', listedAt: CHILD_LISTED_AT },
    ]);
    expect(meetingAgenda(rows, ids.nextMeetingId)).toMatchObject([
      { caseId: ids.caseId, meetingId: ids.nextMeetingId, status: 'listed' },
    ]);
  });
});

describe('organisation names in the panel schedule', () => {
  it('gives the registry name beside each id, and null beside a name recorded before the registry', () => {
    const [row] = stored(historyIn['panel-convened']());
    const members = row.members_present as { memberId: string; agency: string }[];
    const before = {
      ...row,
      members_present: [{ ...members[0], agency: 'NHS Dorset', agencyUnverified: true }, ...members.slice(1)],
    };
    const sut = toPanelScheduleEntry(before);
    expect(sut.membersPresent?.[0]).toMatchObject({ agency: 'NHS Dorset', agencyUnverified: true, agencyName: null });
    expect(sut.membersPresent?.[1]).toMatchObject({ agency: 'nhs-south-west', agencyName: 'NHS South West' });
  });
});
