import { DomainExamples } from '@harbour/domain';
import { MalformedRowError } from '../shared/read-model.errors';
import { projectionSpec, record } from '../testing/projection-spec';
import { decisionHistoryReadModel } from './decision-history.read-model';
import { toDecisionRecord } from './decision-record.dto';

const { actors, historyIn, ids, PANEL_ID, times } = DomainExamples;

function stored() {
  const events = record(historyIn['negative-upheld'](), { firstPosition: 9007199254740993n });
  const [row] = projectionSpec(decisionHistoryReadModel).given(events).rows();
  const decision = events.find((event) => event.type === 'DecisionRecorded');
  const last = events[events.length - 1];
  if (!decision) throw new Error('no decision');
  return { row: { ...row, last_position: last.position.toString() }, decision, last };
}

describe('toDecisionRecord', () => {
  it('maps a stored row to the decision DTO, positions as exact decimal strings', () => {
    const { row, decision, last } = stored();

    expect(toDecisionRecord(row)).toMatchObject({
      decisionId: ids.decisionId,
      caseId: ids.caseId,
      stage: 'conclusive-grounds',
      outcome: 'negative',
      standardOfProof: 'balance-of-probabilities',
      guidanceVersion: 'nrm-competent-bodies-guidance-2015',
      rationale: row.rationale,
      evidenceReliedOn: [{ evidenceId: ids.evidenceId }],
      decidedBy: { kind: 'panel', panelId: PANEL_ID, meetingId: ids.meetingId, chairId: actors.chair.userId },
      membersPresent: row.members_present,
      votes: row.votes,
      dissent: [{ memberId: 'member-5' }],
      decidedAt: times.decidedAt,
      recordedAt: decision.recordedAt.toISOString(),
      eventId: decision.id,
      eventPosition: decision.position.toString(),
      actor: { userId: actors.chair.userId, role: 'panel-chair' },
      workflow: { id: 'nrm-pilot-2015', version: 1 },
      secondReview: { reviewId: ids.reviewId, outcome: 'upheld', reviewedAt: times.reviewedAt },
      reconsiderationRequestedAt: null,
      reconsiderationRequestedBy: null,
      revision: last.revision.toString(),
      position: last.position.toString(),
    });
    expect(BigInt(toDecisionRecord(row).eventPosition)).toBeGreaterThan(2n ** 53n);
  });

  it.each([
    ['an outcome the domain does not know', { outcome: 'maybe' }],
    ['an event position that is not decimal', { event_position: '0x10' }],
    ['decided_by that is not an object', { decided_by: null }],
    ['votes that are not an array', { votes: {} }],
  ])('refuses a malformed row: %s', (_, change) => {
    const { row } = stored();

    expect(() => toDecisionRecord({ ...row, ...change })).toThrow(MalformedRowError);
  });
});
