import { NotPermitted, RuleBroken, deciderSpecification } from '../testing/decider.specification';
import { actors, at } from '../testing/domain.examples';
import { NRM_PILOT_2015 } from '../workflow/nrm-pilot-2015.workflow';
import type { AgeGroup } from '../shared/vocabulary.model';
import {
  decideMeeting,
  evolveMeeting,
  initialMeetingState,
  mayReadPack,
  type MeetingCommand,
  type MeetingMember,
  type MeetingState,
  type RecordCaseOutcome,
} from './meeting.decider';
import type { MeetingEvent } from './meeting.events';

const MEETING = '7d1f3a52-4c1e-4a8e-9b1a-2f4c6e8a0b11';
const CASE_A = '0b8f2c44-1d2e-4f5a-8b6c-7d8e9f0a1b2c';
const CASE_B = '1c9a3d55-2e3f-4a6b-9c7d-8e9fa0b1c2d3';
const SCHEDULED_AT = '2015-07-01T09:00:00.000Z';
const MEETING_AT = '2015-07-20T10:00:00.000Z';
const DURING = '2015-07-20T11:00:00.000Z';

const PANEL = { panelId: 'south-west-panel', region: 'south-west' };
const MEMBERS: MeetingMember[] = [
  { memberId: 'member-1', organisationId: 'avon-and-somerset-police', discipline: 'police' },
  { memberId: 'member-2', organisationId: 'nhs-south-west', discipline: 'health' },
  { memberId: 'member-3', organisationId: 'bristol-city-council', discipline: 'local-authority' },
  { memberId: 'member-4', organisationId: 'glaa', discipline: 'gangmasters-licensing-authority' },
  { memberId: 'member-5', organisationId: 'unseen-uk', discipline: 'ngo' },
  { memberId: 'member-6', organisationId: 'border-force', discipline: 'border-force' },
  { memberId: 'member-7', organisationId: 'uk-visas-and-immigration', discipline: 'uk-visas-and-immigration' },
];

function sutFor(caseFacts?: { status: string; listedPanelId: string | null; ageGroup: AgeGroup }) {
  return deciderSpecification<MeetingCommand, MeetingEvent, MeetingState>({
    initialState: initialMeetingState,
    decide: (command, state, context) =>
      decideMeeting(command, state, { ...context, rules: NRM_PILOT_2015.rules, caseFacts, panel: PANEL }),
    evolve: evolveMeeting,
  });
}
const sut = sutFor({ status: 'listed', listedPanelId: 'south-west-panel', ageGroup: 'adult' });

const scheduled: MeetingEvent = {
  type: 'MeetingScheduled',
  data: {
    meetingId: MEETING,
    panelId: 'south-west-panel',
    scheduledAt: SCHEDULED_AT,
    meetingAt: MEETING_AT,
    venue: { kind: 'remote', details: 'https://meet.example/south-west-panel' },
    chairId: actors.chair.userId,
    members: MEMBERS,
  },
};
const added = (caseId: string): MeetingEvent => ({
  type: 'MeetingAgendaCaseAdded',
  data: { meetingId: MEETING, caseId, addedAt: SCHEDULED_AT },
});
const attended = (memberIds: string[], conflicts: Record<string, string[]> = {}): MeetingEvent => ({
  type: 'MeetingAttendanceRecorded',
  data: {
    meetingId: MEETING,
    recordedAt: DURING,
    chairId: actors.chair.userId,
    attendees: MEMBERS.filter((m) => memberIds.includes(m.memberId)).map((m) => ({
      ...m,
      conflicts: conflicts[m.memberId] ?? [],
    })),
  },
});
const ALL = ['member-1', 'member-2', 'member-3', 'member-4', 'member-5', 'member-6'];
const decide = (
  votes: RecordCaseOutcome['data']['votes'],
  outcome: 'positive' | 'negative' = 'positive',
  chairCastingVote?: 'positive' | 'negative',
): RecordCaseOutcome => ({
  type: 'RecordCaseOutcome',
  meetingId: MEETING,
  data: {
    caseId: CASE_A,
    outcome: 'decided',
    decision: { decisionId: '2d0b4e66-3f40-4b7c-8d8e-9fa0b1c2d3e4', outcome },
    votes,
    ...(chairCastingVote ? { chairCastingVote } : {}),
  },
});
const allVote = (vote: 'positive' | 'negative', ids = ALL) => ids.map((memberId) => ({ memberId, vote }));

describe('a panel meeting', () => {
  it('is scheduled by the case management unit with members from registry organisations', () => {
    const command: MeetingCommand = {
      type: 'ScheduleMeeting',
      meetingId: MEETING,
      data: {
        panelId: 'south-west-panel',
        meetingAt: MEETING_AT,
        venue: { kind: 'remote', details: 'https://meet.example/south-west-panel' },
        chairId: 'chair-1',
        members: MEMBERS,
      },
    };
    sut.given([]).when(command, at(actors.caseManager, SCHEDULED_AT)).then([scheduled]);
    sut
      .given([scheduled])
      .when(command, at(actors.caseManager, SCHEDULED_AT))
      .thenThrows(RuleBroken('meeting-already-scheduled'));
    sut.given([]).when(command, at(actors.chair, SCHEDULED_AT)).thenThrows(NotPermitted('role-not-permitted'));
    sut
      .given([])
      .when(command, at(actors.caseManager, '2015-07-21T00:00:00.000Z'))
      .thenThrows(RuleBroken('meeting-in-the-past'));
    sut
      .given([])
      .when(
        { ...command, data: { ...command.data, members: [{ ...MEMBERS[0], organisationId: 'acme-police' }] } },
        at(actors.caseManager, SCHEDULED_AT),
      )
      .thenThrows(RuleBroken('unknown-organisation'));
    sut
      .given([])
      .when(command, at(actors.westYorkshireCaseManager, SCHEDULED_AT))
      .thenThrows(NotPermitted('outside-region'));
    sut
      .given([])
      .when({ ...command, data: { ...command.data, panelId: 'nowhere-panel' } }, at(actors.caseManager, SCHEDULED_AT))
      .thenThrows(RuleBroken('unknown-panel'));
  });

  it('takes on its agenda only cases listed to its panel', () => {
    const add: MeetingCommand = { type: 'AddCaseToAgenda', meetingId: MEETING, data: { caseId: CASE_A } };
    sut
      .given([scheduled])
      .when(add, at(actors.caseManager, SCHEDULED_AT))
      .then([added(CASE_A)]);
    sut
      .given([scheduled, added(CASE_A)])
      .when(add, at(actors.caseManager, SCHEDULED_AT))
      .thenThrows(RuleBroken('case-already-on-agenda'));
    sutFor({ status: 'listed', listedPanelId: 'west-yorkshire-panel', ageGroup: 'adult' })
      .given([scheduled])
      .when(add, at(actors.caseManager, SCHEDULED_AT))
      .thenThrows(RuleBroken('case-not-listed-to-panel'));
    sutFor({ status: 'recovery', listedPanelId: null, ageGroup: 'adult' })
      .given([scheduled])
      .when(add, at(actors.caseManager, SCHEDULED_AT))
      .thenThrows(RuleBroken('case-not-listed-to-panel'));
    sut.given([]).when(add, at(actors.caseManager, SCHEDULED_AT)).thenThrows(RuleBroken('meeting-not-scheduled'));
    const remove: MeetingCommand = {
      type: 'RemoveCaseFromAgenda',
      meetingId: MEETING,
      data: { caseId: CASE_B, reason: 'Listed in error' },
    };
    sut
      .given([scheduled, added(CASE_A)])
      .when(remove, at(actors.caseManager, SCHEDULED_AT))
      .thenThrows(RuleBroken('case-not-on-agenda'));
  });

  it('issues a pack to the chair and invited members only, and only they may read it', () => {
    const issue: MeetingCommand = {
      type: 'IssuePack',
      meetingId: MEETING,
      data: { caseId: CASE_A, packSha256: 'a'.repeat(64) },
    };
    sut
      .given([scheduled, added(CASE_A)])
      .when(issue, at(actors.caseManager, SCHEDULED_AT))
      .thenEvents((events) => {
        expect(events).toHaveLength(1);
        const state = [scheduled, added(CASE_A), ...events].reduce(evolveMeeting, initialMeetingState());
        expect(mayReadPack(state, CASE_A, 'member-3')).toBe('yes');
        expect(mayReadPack(state, CASE_A, 'chair-1')).toBe('yes');
        expect(mayReadPack(state, CASE_A, 'member-99')).toBe('not-a-recipient');
        expect(mayReadPack(state, CASE_B, 'member-3')).toBe('not-issued');
      });
    sut
      .given([scheduled])
      .when(issue, at(actors.caseManager, SCHEDULED_AT))
      .thenThrows(RuleBroken('case-not-on-agenda'));
  });

  it('records attendance from the invited members, once the meeting sits, by its chair', () => {
    const record: MeetingCommand = {
      type: 'RecordAttendance',
      meetingId: MEETING,
      data: { attendees: [{ memberId: 'member-1', conflicts: [] }] },
    };
    sut
      .given([scheduled])
      .when(record, at(actors.chair, DURING))
      .then([attended(['member-1'])]);
    sut
      .given([scheduled])
      .when(record, at(actors.chair, SCHEDULED_AT))
      .thenThrows(RuleBroken('panel-not-before-listed-meeting'));
    sut.given([scheduled]).when(record, at(actors.otherChair, DURING)).thenThrows(NotPermitted('role-not-permitted'));
    sut
      .given([scheduled])
      .when({ ...record, data: { attendees: [{ memberId: 'stranger', conflicts: [] }] } }, at(actors.chair, DURING))
      .thenThrows(RuleBroken('not-invited-to-meeting'));
  });

  describe('deciding a case', () => {
    const before = [scheduled, added(CASE_A)];

    it('records a decision the votes support under the majority rule', () => {
      sut
        .given([...before, attended(ALL)])
        .when(decide(allVote('positive')), at(actors.chair, DURING))
        .thenEvents((events) => {
          expect(events[0]).toMatchObject({
            type: 'MeetingCaseOutcomeRecorded',
            data: { outcome: 'decided', decision: 'positive', votingRule: 'majority-chair-casting-vote' },
          });
        });
    });

    it('needs attendance first', () => {
      sut
        .given(before)
        .when(decide(allVote('positive')), at(actors.chair, DURING))
        .thenThrows(RuleBroken('attendance-not-recorded'));
    });

    it('refuses without a quorum of members present and not conflicted on the case', () => {
      sut
        .given([...before, attended(ALL, { 'member-5': [CASE_A], 'member-6': [CASE_A] })])
        .when(decide(allVote('positive', ['member-1', 'member-2', 'member-3', 'member-4'])), at(actors.chair, DURING))
        .thenThrows(RuleBroken('panel-quorum-5'));
      sut
        .given([...before, attended(['member-1', 'member-2', 'member-3', 'member-4'])])
        .when(decide(allVote('positive', ['member-1', 'member-2', 'member-3', 'member-4'])), at(actors.chair, DURING))
        .thenThrows(RuleBroken('panel-quorum-5'));
    });

    it('refuses when a discipline the definition names is missing, and names it', () => {
      const noHealth = ['member-1', 'member-3', 'member-4', 'member-5', 'member-6'];
      const outcome = () => {
        const state = [...before, attended(noHealth)].reduce(evolveMeeting, initialMeetingState());
        return decideMeeting(decide(allVote('positive', noHealth)), state, {
          actor: actors.chair,
          now: DURING,
          rules: NRM_PILOT_2015.rules,
          caseFacts: { status: 'listed', listedPanelId: 'south-west-panel', ageGroup: 'adult' },
        });
      };
      expect(outcome).toThrow(/missing: health/);
      sut
        .given([...before, attended(noHealth)])
        .when(decide(allVote('positive', noHealth)), at(actors.chair, DURING))
        .thenThrows(RuleBroken('panel-discipline-missing'));
      // A child's case needs children's services too; a conflicted member does not count.
      sutFor({ status: 'listed', listedPanelId: 'south-west-panel', ageGroup: 'child' })
        .given([...before, attended(ALL, { 'member-3': [CASE_A] })])
        .when(
          decide(
            allVote(
              'positive',
              ALL.filter((id) => id !== 'member-3'),
            ),
          ),
          at(actors.chair, DURING),
        )
        .thenThrows(RuleBroken('panel-discipline-missing'));
      sutFor({ status: 'listed', listedPanelId: 'south-west-panel', ageGroup: 'child' })
        .given([...before, attended(ALL)])
        .when(decide(allVote('positive')), at(actors.chair, DURING))
        .thenEvents((events) => expect(events).toHaveLength(1));
    });

    it('refuses an outcome the votes do not support', () => {
      const given = [...before, attended(ALL)];
      const split = (pos: number) =>
        ALL.map((memberId, i) => ({ memberId, vote: i < pos ? ('positive' as const) : ('negative' as const) }));
      sut
        .given(given)
        .when(decide(split(2), 'positive'), at(actors.chair, DURING))
        .thenThrows(RuleBroken('votes-do-not-support-outcome'));
      sut
        .given(given)
        .when(decide(split(4), 'negative'), at(actors.chair, DURING))
        .thenThrows(RuleBroken('votes-do-not-support-outcome'));
      // A tie: the chair's casting vote decides, and must be given.
      sut
        .given(given)
        .when(decide(split(3), 'positive'), at(actors.chair, DURING))
        .thenThrows(RuleBroken('votes-do-not-support-outcome'));
      sut
        .given(given)
        .when(decide(split(3), 'positive', 'negative'), at(actors.chair, DURING))
        .thenThrows(RuleBroken('votes-do-not-support-outcome'));
      sut
        .given(given)
        .when(decide(split(3), 'positive', 'positive'), at(actors.chair, DURING))
        .thenEvents((e) => expect(e).toHaveLength(1));
      // Every member entitled to vote votes or abstains.
      sut
        .given(given)
        .when(decide(allVote('positive', ALL.slice(0, 5))), at(actors.chair, DURING))
        .thenThrows(RuleBroken('votes-do-not-support-outcome'));
      // A conflicted member does not vote; an absent one cannot.
      sut
        .given([...before, attended(ALL, { 'member-6': [CASE_A] })])
        .when(decide(allVote('positive')), at(actors.chair, DURING))
        .thenThrows(RuleBroken('conflicted-member-excluded'));
      sut
        .given([...before, attended(ALL)])
        .when(decide([...allVote('positive'), { memberId: 'member-7', vote: 'positive' }]), at(actors.chair, DURING))
        .thenThrows(RuleBroken('member-not-present'));
    });

    it('under consensus refuses any vote against the outcome', () => {
      const consensus = deciderSpecification<MeetingCommand, MeetingEvent, MeetingState>({
        initialState: initialMeetingState,
        decide: (command, state, context) =>
          decideMeeting(command, state, {
            ...context,
            rules: { ...NRM_PILOT_2015.rules, panelVoting: 'consensus' },
            caseFacts: { status: 'listed', listedPanelId: 'south-west-panel', ageGroup: 'adult' },
          }),
        evolve: evolveMeeting,
      });
      const votes = ALL.map((memberId, i) => ({
        memberId,
        vote: i === 0 ? ('negative' as const) : ('positive' as const),
      }));
      consensus
        .given([...before, attended(ALL)])
        .when(decide(votes), at(actors.chair, DURING))
        .thenThrows(RuleBroken('votes-do-not-support-outcome'));
    });

    it('defers or adjourns with a reason, even when inquorate, and then takes no second outcome', () => {
      const defer: MeetingCommand = {
        type: 'RecordCaseOutcome',
        meetingId: MEETING,
        data: { caseId: CASE_A, outcome: 'deferred', votes: [], reason: 'Awaiting the local authority assessment' },
      };
      const given = [...before, attended(['member-1', 'member-2'])];
      sut
        .given(given)
        .when(defer, at(actors.chair, DURING))
        .thenEvents((events) => {
          expect(events[0]).toMatchObject({
            data: { outcome: 'deferred', decisionId: null, reason: 'Awaiting the local authority assessment' },
          });
          sut
            .given([...given, ...events])
            .when(decide(allVote('positive')), at(actors.chair, DURING))
            .thenThrows(RuleBroken('outcome-already-recorded'));
        });
      sut
        .given(given)
        .when({ ...defer, data: { ...defer.data, outcome: 'adjourned', reason: ' ' } }, at(actors.chair, DURING))
        .thenThrows(RuleBroken('outcome-needs-reason'));
    });

    it('approves minutes only when every item has an outcome, and then takes no more business', () => {
      const approve: MeetingCommand = {
        type: 'ApproveMinutes',
        meetingId: MEETING,
        data: { minutes: 'Case A deferred.' },
      };
      sut
        .given([...before, attended(ALL)])
        .when(approve, at(actors.chair, DURING))
        .thenThrows(RuleBroken('agenda-item-without-outcome'));
      const removed: MeetingEvent = {
        type: 'MeetingAgendaCaseRemoved',
        data: { meetingId: MEETING, caseId: CASE_A, removedAt: DURING, reason: 'Withdrawn' },
      };
      const minuted: MeetingEvent = {
        type: 'MeetingMinutesApproved',
        data: { meetingId: MEETING, approvedAt: DURING, chairId: 'chair-1', minutes: 'Case A deferred.' },
      };
      sut
        .given([...before, removed])
        .when(approve, at(actors.chair, DURING))
        .then([minuted]);
      sut
        .given([...before, removed, minuted])
        .when(approve, at(actors.chair, DURING))
        .thenThrows(RuleBroken('meeting-minuted'));
    });
  });
});
