import { actors, at, commands, run, times, type Step } from '../testing/domain.examples';
import { NRM_CENTRAL_2015 } from '../workflow/nrm-central-2015.workflow';
import { NRM_PILOT_2015 } from '../workflow/nrm-pilot-2015.workflow';
import type { CaseEvent } from './case.events';
import { replayCaseUnder, type RecordedStep } from './case.replay';

/*
 * Replay under another definition (what `replay-diff` reports): every recorded command is decided
 * again, in order, and the first that would have gone differently is named with its rule.
 */

/** Records steps as the store would: each command's events, with its revision, actor and time. */
function record(steps: readonly Step[]): RecordedStep[] {
  let history: CaseEvent[] = [];
  return steps.map(([command, context], i) => {
    const events = run([[command, context]], history).slice(history.length);
    const step: RecordedStep = {
      revision: BigInt(history.length),
      commandId: `command-${i}`,
      actor: context.actor,
      occurredAt: context.now,
      events,
    };
    history = [...history, ...events];
    return step;
  });
}

const pilotCase: Step[] = [
  [commands.raiseReferral(), at(actors.lead, times.raisedAt)],
  [commands.arrangeImmediateSupport(), at(actors.lead, times.raisedAt)],
  [commands.recordLeadAssessment('positive'), at(actors.lead, times.assessedAt)],
  [commands.addEvidence(), at(actors.caseManager, times.evidenceAddedAt)],
  [commands.listCaseForPanel(), at(actors.caseManager, times.listedAt)],
];
const caseId = commands.raiseReferral().caseId;

describe('replayCaseUnder', () => {
  it('finds no difference replaying a case under the definition it ran under', () => {
    expect(replayCaseUnder(NRM_PILOT_2015, caseId, record(pilotCase))).toEqual({
      caseId,
      replayed: 4,
      skipped: { referral: 1 },
    });
    const urgent = commands.listCaseForPanel({
      urgent: true,
      urgencyReason: 'The person is due to be removed from the UK.',
    });
    const urgentCase: Step[] = [...pilotCase.slice(0, 4), [urgent, at(actors.caseManager, times.listedAt)]];
    expect(replayCaseUnder(NRM_PILOT_2015, caseId, record(urgentCase)).difference).toBeUndefined();
  });

  it('names the first command the other definition refuses, with its revision and rule', () => {
    const replay = replayCaseUnder(NRM_CENTRAL_2015, caseId, record(pilotCase));
    expect(replay).toEqual({
      caseId,
      replayed: 2,
      skipped: { referral: 1 },
      difference: {
        caseId,
        revision: '2',
        command: 'RecordLeadAssessment',
        occurredAt: times.assessedAt,
        kind: 'refused',
        rule: 'command-not-allowed-in-state',
        facts: expect.stringContaining('RecordLeadAssessment'),
      },
    });
  });

  it('names where the events would differ, by path only (never a value that may be personal data)', () => {
    const steps = record(pilotCase);
    // The step says the support was arranged two days after the time its event records: deciding it
    // again at the step's time gives another event.
    const moved = steps.map((step, i) => (i === 1 ? { ...step, occurredAt: times.assessedAt } : step));
    const replay = replayCaseUnder(NRM_PILOT_2015, caseId, moved);
    expect(replay.difference).toMatchObject({
      revision: '1',
      command: 'ArrangeImmediateSupport',
      kind: 'different-events',
    });
    expect(replay.difference?.facts).toMatch(/^differs at \/0\/data\/[a-zA-Z]+$/);
    expect(replay.difference?.facts).not.toContain(times.assessedAt);
  });

  it('folds without deciding again what Harbour recorded itself and what erasure shredded', () => {
    const steps = record(pilotCase);
    const [assessed] = steps[2].events;
    const shredded: RecordedStep = {
      ...steps[2],
      events: [{ ...assessed, data: { ...assessed.data, rationale: '[erased]' } } as CaseEvent],
    };
    const system: RecordedStep = { ...steps[3], actor: { role: 'system' }, events: [] };
    const replay = replayCaseUnder(NRM_PILOT_2015, caseId, [steps[0], steps[1], shredded, system, steps[3], steps[4]]);
    expect(replay).toEqual({
      caseId,
      replayed: 3,
      skipped: { referral: 1, 'personal-data-erased': 1, 'system-record': 1 },
    });
  });
});
