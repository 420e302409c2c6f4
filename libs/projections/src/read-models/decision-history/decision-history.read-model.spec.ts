import { DomainExamples } from '@harbour/domain';
import type { RecordedEvent } from '@harbour/event-store';
import { ContradictoryEventError, RowNotFoundError } from '../shared/read-model.errors';
import { personalDataIn, personalValuesIn } from '../../../test/support/personal-data';
import { projectionSpec, record } from '../testing/projection-spec';
import {
  DECISION_HISTORY_PERSONAL_DATA_COLUMNS,
  decisionHistoryReadModel,
  type DecisionHistoryRow,
} from './decision-history.read-model';

const { actors, at, commands, exampleCaseStreams, historyIn, ids, PANEL_ID, run, times } = DomainExamples;
const sut = projectionSpec(decisionHistoryReadModel);

const decisionEventOf = (events: readonly RecordedEvent[]) => {
  const found = events.find((event) => event.type === 'DecisionRecorded');
  if (!found) throw new Error('no decision in the history');
  return found;
};

/** The row of the example negative decision, as recorded. */
function negativeDecisionRow(events: readonly RecordedEvent[]): DecisionHistoryRow {
  const decision = decisionEventOf(events);
  return {
    decision_id: ids.decisionId,
    case_id: ids.caseId,
    stage: 'conclusive-grounds',
    outcome: 'negative',
    standard_of_proof: 'balance-of-probabilities',
    guidance_version: 'nrm-competent-bodies-guidance-2015',
    rationale: 'On the balance of probabilities the evidence does not show the person was under control.',
    evidence_relied_on: [{ evidenceId: ids.evidenceId, description: 'Police report of the farm visit.' }],
    decided_by: { kind: 'panel', panelId: PANEL_ID, meetingId: ids.meetingId, chairId: actors.chair.userId },
    panel_id: PANEL_ID,
    meeting_id: ids.meetingId,
    // The member who declared a conflict (member-6) took no part.
    members_present: [
      { memberId: 'member-1', agency: 'avon-and-somerset-police', discipline: 'police' },
      { memberId: 'member-2', agency: 'nhs-south-west', discipline: 'health' },
      { memberId: 'member-3', agency: 'somerset-county-council', discipline: 'local-authority' },
      {
        memberId: 'member-4',
        agency: 'glaa',
        discipline: 'gangmasters-licensing-authority',
      },
      { memberId: 'member-5', agency: 'unseen-uk', discipline: 'ngo' },
    ],
    votes: [
      { memberId: 'member-1', vote: 'negative' },
      { memberId: 'member-2', vote: 'negative' },
      { memberId: 'member-3', vote: 'negative' },
      { memberId: 'member-4', vote: 'negative' },
      { memberId: 'member-5', vote: 'positive' },
    ],
    dissent: [{ memberId: 'member-5', reason: 'The withheld passport alone shows control.' }],
    decided_at: times.decidedAt,
    recorded_at: decision.recordedAt.toISOString(),
    event_id: decision.id,
    event_position: decision.position.toString(),
    actor: {
      userId: actors.chair.userId,
      role: 'panel-chair',
      agency: 'independent-chair',
      region: 'south-west',
      panels: [PANEL_ID],
    },
    workflow: { id: 'nrm-pilot-2015', version: 1 },
    second_review: null,
    reconsideration_requested_at: null,
    reconsideration_requested_by: null,
    revision: Number(decision.revision),
  };
}

describe('decision_history', () => {
  describe('decisions', () => {
    it('records a decision with its standard, evidence, quorum, votes, dissent, actor and lineage', () => {
      const events = record(historyIn['decided-negative']());

      sut.given(events).then([negativeDecisionRow(events)]);
    });

    it('keeps a position beyond 2^53 exact, as a decimal string', () => {
      const events = record(historyIn['decided-positive'](), { firstPosition: 9007199254740993n });

      sut
        .given(events)
        .thenMatch([{ outcome: 'positive', event_position: decisionEventOf(events).position.toString() }]);
      expect(decisionEventOf(events).position.toString()).toMatch(/^90071992547409\d\d$/);
    });

    it('keeps one row per decision: a reconsidered case decided again has two', () => {
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
        { decision_id: ids.decisionId, outcome: 'negative', reconsideration_requested_at: times.reviewedAt },
        {
          decision_id: ids.nextDecisionId,
          outcome: 'positive',
          meeting_id: ids.nextMeetingId,
          second_review: null,
          reconsideration_requested_at: null,
        },
      ]);
    });
  });

  describe('second review and reconsideration', () => {
    it('adds the second review that upheld a negative decision', () => {
      const events = record(historyIn['negative-upheld']());

      sut.given(events).then([
        {
          ...negativeDecisionRow(events),
          second_review: {
            reviewId: ids.reviewId,
            reviewer: { reviewerId: actors.caseManager.userId, role: 'case-manager', agency: 'home-office-cmu' },
            outcome: 'upheld',
            rationale: 'The panel weighed all the evidence on file and applied the standard of proof correctly.',
            reviewedAt: times.reviewedAt,
          },
          revision: events.length - 1,
        },
      ]);
    });

    it('adds the second review that overturned it, by a chair who took no part', () => {
      const [, overturned] = exampleCaseStreams();

      sut.given(record(overturned)).thenMatch([
        {
          outcome: 'negative',
          second_review: {
            outcome: 'overturned',
            reviewer: { reviewerId: actors.otherChair.userId, role: 'panel-chair' },
          },
        },
      ]);
    });

    it('marks a decision whose reconsideration was requested, and by whom', () => {
      const [reconsidered] = exampleCaseStreams();

      sut.given(record(reconsidered)).thenMatch([
        {
          decision_id: ids.decisionId,
          second_review: { outcome: 'upheld' },
          reconsideration_requested_at: times.reviewedAt,
          reconsideration_requested_by: 'support-provider',
        },
      ]);
    });

    it('has no row for a reconsidered lead assessment: no decision was made', () => {
      const events = record(
        run(
          [[commands.requestReconsideration(), at(actors.lead, times.reviewedAt)]],
          historyIn['assessment-negative'](),
        ),
      );
      const reconsideration = events[events.length - 1];

      expect(decisionHistoryReadModel.keyOf(reconsideration)).toBeUndefined();
      sut.given(events).then([]);
    });
  });

  describe('the central route', () => {
    const { centralHistoryIn } = DomainExamples;
    const byAuthority = {
      kind: 'competent-authority',
      decisionMakerId: 'ca-1',
      agency: 'uk-human-trafficking-centre',
    } as const;

    it('records the reasonable grounds decision and the conclusive one, neither with a panel', () => {
      const events = record(centralHistoryIn['decided-positive']());
      const grounds = events.find((event) => event.type === 'ReasonableGroundsDecisionMade')!;
      sut.given(events).thenMatch([
        // In key order: the conclusive decision's id sorts first.
        {
          decision_id: ids.decisionId,
          stage: 'conclusive-grounds',
          outcome: 'positive',
          standard_of_proof: 'balance-of-probabilities',
          evidence_relied_on: [{ evidenceId: ids.evidenceId, description: 'Police report of the farm visit.' }],
          decided_by: byAuthority,
          panel_id: null,
          meeting_id: null,
          members_present: [],
        },
        {
          decision_id: ids.reasonableGroundsDecisionId,
          case_id: ids.caseId,
          stage: 'reasonable-grounds',
          outcome: 'positive',
          standard_of_proof: 'reasonable-grounds-to-believe',
          guidance_version: 'nrm-competent-bodies-guidance-2015',
          evidence_relied_on: [],
          decided_by: byAuthority,
          panel_id: null,
          meeting_id: null,
          members_present: [],
          votes: [],
          dissent: [],
          decided_at: times.assessedAt,
          event_id: grounds.id,
          workflow: { id: 'nrm-central-2015', version: 1 },
        },
      ]);
    });

    it('marks a reconsidered reasonable grounds decision', () => {
      const events = record(
        run(
          [[commands.requestReconsideration(), at(actors.londonLead, times.later)]],
          centralHistoryIn['assessment-negative'](),
        ),
      );
      sut.given(events).thenMatch([
        {
          decision_id: ids.reasonableGroundsDecisionId,
          stage: 'reasonable-grounds',
          outcome: 'negative',
          reconsideration_requested_at: times.later,
          reconsideration_requested_by: 'support-provider',
        },
      ]);
    });
  });

  describe('idempotency', () => {
    it('ignores a replayed history', () => {
      const events = record(exampleCaseStreams()[0]);

      sut.given([...events, ...events]).then(sut.given(events).rows());
    });

    it('ignores a late duplicate of the decision once reviewed, returning the same row', () => {
      const events = record(historyIn['negative-upheld']());
      const [row] = sut.given(events).rows();

      expect(decisionHistoryReadModel.evolve(row, decisionEventOf(events))).toBe(row);
    });
  });

  describe('personal data', () => {
    it('holds personal data only in the columns it declares as such', () => {
      const histories = [...exampleCaseStreams(), historyIn['negative-upheld']()];
      for (const history of histories) {
        const events = record(history);
        const personal = personalValuesIn(events);
        for (const row of sut.given(events).rows()) {
          const declared = new Set<string>(DECISION_HISTORY_PERSONAL_DATA_COLUMNS);
          const undeclared = Object.entries(row).filter(([column]) => !declared.has(column));
          expect(personalDataIn(Object.fromEntries(undeclared), personal)).toEqual([]);
        }
      }
    });

    it('does hold the rationale, dissent and review: the detector above would see a leak', () => {
      const events = record(historyIn['negative-upheld']());
      const [row] = sut.given(events).rows();

      expect(personalDataIn(row.rationale, personalValuesIn(events))).toHaveLength(1);
      expect(personalDataIn(row.dissent, personalValuesIn(events))).toHaveLength(1);
      expect(personalDataIn(row.second_review, personalValuesIn(events))).toHaveLength(1);
    });
  });

  describe('events it cannot project', () => {
    it('refuses a second review of a decision it has no row for', () => {
      const events = record(historyIn['negative-upheld']());

      sut.given(events.filter((event) => event.type !== 'DecisionRecorded')).thenThrows(RowNotFoundError);
    });

    it('refuses a reconsideration of a decision it has no row for', () => {
      const [reconsidered] = exampleCaseStreams();
      const events = record(reconsidered);

      sut.given(events.filter((event) => event.type !== 'DecisionRecorded')).thenThrows(RowNotFoundError);
    });

    it('refuses the same decision recorded twice', () => {
      const history = historyIn['decided-positive']();
      const decision = history[history.length - 1];

      sut.given(record([...history, decision])).thenThrows(ContradictoryEventError);
    });
  });

  describe('coverage', () => {
    it('has a spec that changes a row for every event type it handles', () => {
      expect(sut.exercisedTypes()).toEqual([...decisionHistoryReadModel.handles].sort());
    });
  });
});
