import { RuleBrokenError } from '../shared/domain.errors';
import { actors, at, commands, historyIn, ids, run, times } from '../testing/domain.examples';
import { NRM_PILOT_2015 } from '../workflow/nrm-pilot-2015.workflow';
import { decideCase } from './case.decider';
import type { CaseEvent, DecisionRecorded } from './case.events';
import { evolveCase } from './case.evolver';
import { initialCaseState, type CaseState } from './case.state';
import { explainDecision, type DecisionExplanation } from './decision.explainer';
import type { RecordDecision } from './case.commands';

const fold = (events: readonly CaseEvent[]): CaseState => events.reduce(evolveCase, initialCaseState());

/** The convened example case, the decision the real decider makes on it, and the explanation. */
function decided(command: RecordDecision, who = actors.chair, when: string = times.decidedAt) {
  const before = fold(historyIn['panel-convened']());
  const [decision] = decideCase(command, before, at(who, when)) as [DecisionRecorded];
  return {
    before,
    decision,
    sut: explainDecision({ before, decision, definition: NRM_PILOT_2015, recordedBy: who.userId }),
  };
}

/** The example case listed and convened on 1 July, before its recovery period ends on 18 July. */
const convenedEarly = () =>
  run([
    [commands.raiseReferral(), at(actors.lead, times.raisedAt)],
    [commands.recordLeadAssessment(), at(actors.lead, times.assessedAt)],
    [commands.addEvidence(), at(actors.caseManager, times.evidenceAddedAt)],
    [
      commands.listCaseForPanel({ meetingAt: '2015-07-01T10:00:00.000Z' }),
      at(actors.caseManager, '2015-06-20T09:00:00.000Z'),
    ],
    [commands.convenePanel(), at(actors.chair, '2015-07-01T10:00:00.000Z')],
  ]);

const rule = (explanation: DecisionExplanation, name: string) => explanation.rules.find((r) => r.rule === name);

describe('explainDecision', () => {
  it('explains a positive panel decision by every rule it met, with the facts that met each', () => {
    const { sut } = decided(commands.recordDecision('positive'));
    expect(sut).toMatchObject({
      decisionId: ids.decisionId,
      outcome: 'positive',
      decidedByKind: 'panel',
      workflow: { id: 'nrm-pilot-2015', version: 1 },
      standard: { standardOfProof: 'balance-of-probabilities', asDefinitionRequires: true },
      allSatisfied: true,
    });
    expect(sut.rules.map((r) => r.rule)).toEqual([
      'needs-convened-panel',
      'decision-by-presiding-chair',
      'panel-quorum-5',
      'panel-member-from-another-region',
      'member-not-present',
      'conflicted-member-excluded',
      'duplicate-vote',
      'dissent-contradicts-vote',
      'recovery-period-not-elapsed',
      'written-rationale-required',
      'evidence-not-on-file',
    ]);
    expect(rule(sut, 'recovery-period-not-elapsed')).toMatchObject({
      satisfied: true,
      facts: { recoveryEndsAt: times.recoveryEndsAt, decidedAt: times.decidedAt, recoveryDays: 45 },
      explanation: `The 45-day recovery period ended at ${times.recoveryEndsAt}; the decision was made at ${times.decidedAt}.`,
    });
    expect(rule(sut, 'panel-quorum-5')).toMatchObject({
      satisfied: true,
      facts: { counted: 5, quorum: 5, excludedForConflict: ['member-6'] },
    });
    expect(rule(sut, 'decision-by-presiding-chair')).toMatchObject({
      satisfied: true,
      facts: { presidingChair: 'chair-1', recordedBy: 'chair-1' },
    });
    expect(rule(sut, 'evidence-not-on-file')).toMatchObject({
      satisfied: true,
      facts: { reliedOn: [ids.evidenceId], missing: [] },
    });
    expect(rule(sut, 'written-rationale-required')?.facts.minimumLength).toBe(20);
  });

  it('explains a negative decision, its dissent included', () => {
    const { sut } = decided(commands.recordDecision('negative'));
    expect(sut).toMatchObject({ outcome: 'negative', allSatisfied: true });
    expect(rule(sut, 'dissent-contradicts-vote')).toMatchObject({
      satisfied: true,
      facts: { dissenters: ['member-5'], contradicting: [] },
      explanation: '1 dissent recorded, none from a member who voted for the outcome.',
    });
    expect(rule(sut, 'conflicted-member-excluded')?.explanation).toBe(
      'No member with a declared conflict voted or dissented (member-6 took no part).',
    );
  });

  // The decider refuses each of these; a decision event that broke the rule anyway (a tampered
  // or hand-made history) is explained with that same rule unsatisfied, so the two cannot drift.
  const broken: Array<[string, (decision: DecisionRecorded) => DecisionRecorded, () => void]> = [
    [
      'recovery-period-not-elapsed',
      (d) => ({ ...d, data: { ...d.data, decidedAt: '2015-07-18T09:59:59.000Z' } }),
      // On a panel that sat before the recovery period ended (a decision may not predate its sitting).
      () =>
        decideCase(
          commands.recordDecision('positive'),
          fold(convenedEarly()),
          at(actors.chair, '2015-07-18T09:59:59.000Z'),
        ),
    ],
    [
      'written-rationale-required',
      (d) => ({ ...d, data: { ...d.data, rationale: '  too short  ' } }),
      () => decided(commands.recordDecision('positive', { rationale: '  too short  ' })),
    ],
    [
      'conflicted-member-excluded',
      (d) => ({ ...d, data: { ...d.data, votes: [...d.data.votes, { memberId: 'member-6', vote: 'positive' }] } }),
      () =>
        decided(
          commands.recordDecision('positive', {
            votes: [...commands.recordDecision('positive').data.votes, { memberId: 'member-6', vote: 'positive' }],
          }),
        ),
    ],
    [
      'member-not-present',
      (d) => ({ ...d, data: { ...d.data, votes: [{ memberId: 'stranger', vote: 'positive' }] } }),
      () => decided(commands.recordDecision('positive', { votes: [{ memberId: 'stranger', vote: 'positive' }] })),
    ],
    [
      'evidence-not-on-file',
      (d) => ({
        ...d,
        data: { ...d.data, evidenceReliedOn: [{ evidenceId: ids.newEvidenceId, description: 'Not on file.' }] },
      }),
      () => decided(commands.recordDecision('positive', { evidenceReliedOn: [ids.newEvidenceId] })),
    ],
    [
      'decision-by-presiding-chair',
      (d) => ({ ...d, data: { ...d.data, decidedBy: { ...d.data.decidedBy, chairId: 'chair-2' } } }),
      () => decided(commands.recordDecision('positive'), actors.otherChair),
    ],
    [
      'dissent-contradicts-vote',
      (d) => ({ ...d, data: { ...d.data, dissent: [{ memberId: 'member-1', reason: 'Changed my mind.' }] } }),
      () =>
        decided(
          commands.recordDecision('positive', { dissent: [{ memberId: 'member-1', reason: 'Changed my mind.' }] }),
        ),
    ],
  ];

  it.each(broken)('shows %s unsatisfied where the decider refuses it', (name, tamper, decide) => {
    expect(decide).toThrow(RuleBrokenError);
    expect(decide).toThrow(new RegExp(`^${name}:`));
    const { before, decision } = decided(commands.recordDecision('positive'));
    const sut = explainDecision({ before, decision: tamper(decision), definition: NRM_PILOT_2015 });
    expect(rule(sut, name)).toMatchObject({ satisfied: false });
    expect(sut.allSatisfied).toBe(false);
    expect(sut.rules.filter((r) => !r.satisfied).map((r) => r.rule)).toEqual([name]);
  });

  it('shows the panel rules unsatisfied for a decision on a case whose panel never convened', () => {
    const { decision } = decided(commands.recordDecision('positive'));
    const before = fold(historyIn.listed());
    const sut = explainDecision({ before, decision, definition: NRM_PILOT_2015 });
    expect(rule(sut, 'needs-convened-panel')).toMatchObject({ satisfied: false, facts: { statusBefore: 'listed' } });
    expect(rule(sut, 'panel-quorum-5')).toMatchObject({ satisfied: false, facts: { counted: 0 } });
  });

  it('explains a decision no panel made by the rules of every decision, without crashing', () => {
    const { decision } = decided(commands.recordDecision('positive'));
    const centralDecision = {
      ...decision,
      data: { ...decision.data, decidedBy: { kind: 'competent-authority', authorityId: 'ca-1' } },
    } as unknown as DecisionRecorded;
    // A competent authority decides a case in recovery: no listing, no panel.
    const before = fold(
      run(
        [[commands.addEvidence({ evidenceId: ids.newEvidenceId }), at(actors.lead, times.later)]],
        historyIn.recovery(),
      ),
    );
    const sut = explainDecision({ before, decision: centralDecision, definition: NRM_PILOT_2015, recordedBy: 'ca-1' });
    expect(sut.decidedByKind).toBe('competent-authority');
    expect(sut.rules.map((r) => r.rule)).toEqual([
      'recovery-period-not-elapsed',
      'written-rationale-required',
      'evidence-not-on-file',
    ]);
    expect(sut.allSatisfied).toBe(true);
  });
});
