import type { CaseCommand, CaseCommandType } from '../case/case.commands';
import { decideCase } from '../case/case.decider';
import type { CaseEvent } from '../case/case.events';
import { evolveCase } from '../case/case.evolver';
import { type CaseState, type CaseStatus, initialCaseState } from '../case/case.state';
import type { Actor, Role } from '../shared/actor.model';
import { RuleBrokenError } from '../shared/domain.errors';
import {
  actors,
  at,
  centralHistoryIn,
  commands,
  historyIn,
  ids,
  londonReferralData,
  run,
  times,
} from '../testing/domain.examples';
import { NRM_CENTRAL_2015 } from './nrm-central-2015.workflow';
import { NRM_PILOT_2015 } from './nrm-pilot-2015.workflow';
import type { WorkflowDefinition } from './workflow.definition';
import { WORKFLOWS } from './workflow.registry';

/*
 * The transitions of each workflow checked against the real decider: every command the
 * definition opens in a state, issued by every role it names there, lands (when it succeeds) in a
 * status its transition lists, and every status a transition lists is reached by some run.
 */

type State = CaseStatus | 'none';

/** How to drive one definition: its example histories, and an actor in scope for each role. */
interface Drive {
  readonly definition: WorkflowDefinition;
  readonly historyIn: Partial<Record<CaseStatus, () => CaseEvent[]>>;
  readonly actorFor: (role: Role, state: State) => Actor;
  /** A valid referral that starts under this definition. */
  readonly raiseReferral: CaseCommand;
}

// Valid commands of each type at `times.later`; a command with several outcomes has one of each.
const VARIANTS: Record<Exclude<CaseCommandType, 'RaiseReferral'>, readonly CaseCommand[]> = {
  ArrangeImmediateSupport: [commands.arrangeImmediateSupport()],
  RecordLeadAssessment: [commands.recordLeadAssessment('positive'), commands.recordLeadAssessment('negative')],
  MakeReasonableGroundsDecision: [
    commands.makeReasonableGroundsDecision('positive'),
    commands.makeReasonableGroundsDecision('negative'),
  ],
  ListCaseForPanel: [
    commands.listCaseForPanel({ meetingId: ids.nextMeetingId, meetingAt: '2015-08-17T10:00:00.000Z' }),
  ],
  ConvenePanel: [commands.convenePanel()],
  RecordDecision: [
    commands.recordDecision('positive'),
    commands.recordDecision('negative'),
    commands.recordCompetentAuthorityDecision('positive'),
    commands.recordCompetentAuthorityDecision('negative'),
  ],
  CompleteSecondReview: [commands.completeSecondReview('upheld'), commands.completeSecondReview('overturned')],
  RequestReconsideration: [commands.requestReconsideration()],
  RequestInformation: [commands.requestInformation()],
  RecordInformationReceived: [commands.recordInformationReceived()],
  AddEvidence: [commands.addEvidence({ evidenceId: ids.newEvidenceId })],
  SuspendCase: [commands.suspendCase()],
  ResumeCase: [commands.resumeCase()],
  WithdrawReferral: [commands.withdrawReferral()],
  CloseCase: [commands.closeCase()],
};

const DRIVES: readonly Drive[] = [
  {
    definition: NRM_PILOT_2015,
    historyIn,
    raiseReferral: commands.raiseReferral(),
    // The chair who presided over the example decision may not review it, so the panel's other
    // chair does.
    actorFor: (role, state) => {
      if (role === 'lead') return actors.lead;
      if (role === 'case-manager') return actors.caseManager;
      if (role === 'panel-chair') return state === 'decided-negative' ? actors.otherChair : actors.chair;
      if (role === 'first-responder') return actors.firstResponder;
      throw new Error(`No example actor for ${role}`);
    },
  },
  {
    definition: NRM_CENTRAL_2015,
    historyIn: centralHistoryIn,
    raiseReferral: commands.raiseReferral(londonReferralData()),
    // The caseworker who made the example decision may not review it, so another one does.
    actorFor: (role, state) => {
      if (role === 'lead') return actors.londonLead;
      if (role === 'first-responder') return actors.londonFirstResponder;
      if (role === 'competent-authority') {
        return state === 'decided-negative' ? actors.otherCompetentAuthority : actors.competentAuthority;
      }
      throw new Error(`No example actor for ${role}`);
    },
  },
];

const fold = (events: readonly CaseEvent[], from: CaseState = initialCaseState()): CaseState =>
  events.reduce(evolveCase, from);

const key = (from: State, command: CaseCommandType) => `${from} ${command}`;

const suspendableIn = (definition: WorkflowDefinition) =>
  definition.states.filter((state) => state !== 'suspended' && !definition.terminal.includes(state));

describe.each(DRIVES.map((drive) => [drive.definition.id, drive] as const))(
  '%s transitions against the decider',
  (_id, { definition, historyIn: historiesOf, actorFor, raiseReferral }) => {
    const SUSPENDABLE = suspendableIn(definition);
    const suspender = actorFor(definition.commands.referred.SuspendCase?.[0] ?? 'lead', 'referred');

    // Histories in each state: a suspended case is suspended from every state it can be, so
    // resuming can reach each of them.
    function historiesIn(state: State): CaseEvent[][] {
      if (state === 'none') return [[]];
      // Each also with an open information request, so that it can be answered.
      const asking = [commands.requestInformation(), at(suspender, times.later)] as const;
      const suspending = [commands.suspendCase(), at(suspender, times.later)] as const;
      if (state === 'suspended') {
        return [
          ...SUSPENDABLE.map((from) => run([suspending], history(from))),
          run([asking, suspending], history('recovery')),
        ];
      }
      if (definition.terminal.includes(state)) return [history(state)];
      return [history(state), run([asking], history(state))];
    }

    function history(state: CaseStatus): CaseEvent[] {
      const make = historiesOf[state];
      if (!make) throw new Error(`No example history of ${definition.id} in ${state}`);
      return make();
    }

    /** Every allowed command, by every allowed role, on every example history in `state`: where each lands. */
    function outcomesIn(state: State): { command: CaseCommandType; role: Role; after: CaseStatus }[] {
      const open = Object.entries(definition.commands[state]) as [CaseCommandType, readonly Role[]][];
      const outcomes: { command: CaseCommandType; role: Role; after: CaseStatus }[] = [];
      for (const history of historiesIn(state)) {
        const before = fold(history);
        expect(before.status).toBe(state);
        for (const [command, roles] of open) {
          for (const role of roles) {
            const variants = command === 'RaiseReferral' ? [raiseReferral] : VARIANTS[command];
            for (const variant of variants) {
              let events: CaseEvent[];
              try {
                events = decideCase(variant, before, at(actorFor(role, state), times.later));
              } catch (error) {
                // A rule of the command's data refused it (a refusal moves nothing). Anything else,
                // a role refused where the definition allows it or a crash, is a failure.
                if (error instanceof RuleBrokenError) continue;
                throw error;
              }
              outcomes.push({ command, role, after: fold(events, before).status as CaseStatus });
            }
          }
        }
      }
      return outcomes;
    }

    const STATES: readonly State[] = ['none', ...definition.states];
    const targets = new Map(definition.transitions.map((t) => [key(t.from, t.command), t.to]));

    it.each(STATES)('%s: every allowed command lands in a status its transition lists', (state) => {
      const wrong = outcomesIn(state).filter(
        ({ command, after }) => !(targets.get(key(state, command)) ?? []).includes(after),
      );
      expect(wrong).toEqual([]);
    });

    it('reaches every status a transition lists (the table claims no move the decider never makes)', () => {
      const reached = new Map<string, Set<CaseStatus>>();
      for (const state of STATES) {
        for (const { command, after } of outcomesIn(state)) {
          reached.set(key(state, command), (reached.get(key(state, command)) ?? new Set<CaseStatus>()).add(after));
        }
      }
      const unreached = definition.transitions.flatMap(({ from, command, to }) =>
        to
          .filter((status) => !reached.get(key(from, command))?.has(status))
          .map((status) => ({ from, command, status })),
      );
      expect(unreached).toEqual([]);
    });

    it('resumes a suspended case to every state it can be suspended in', () => {
      expect([...(targets.get(key('suspended', 'ResumeCase')) ?? [])].sort()).toEqual([...SUSPENDABLE].sort());
    });
  },
);

describe.each(WORKFLOWS.map((workflow) => [workflow.id, workflow] as const))(
  '%s: transitions and commands',
  (_id, workflow) => {
    it('has one transition for each (state, command) some role may issue, and no other', () => {
      const fromCommands = Object.entries(workflow.commands)
        .flatMap(([state, open]) =>
          Object.entries(open)
            .filter(([, roles]) => (roles ?? []).length > 0)
            .map(([command]) => `${state} ${command}`),
        )
        .sort();
      const fromTransitions = workflow.transitions.map((t) => key(t.from, t.command)).sort();
      expect(fromTransitions).toEqual(fromCommands);
      expect(new Set(fromTransitions).size).toBe(fromTransitions.length);
    });

    it('moves only between the states of the definition, and never out of a terminal state', () => {
      for (const { from, to } of workflow.transitions) {
        expect(from === 'none' || workflow.states.includes(from)).toBe(true);
        expect(from !== 'none' && workflow.terminal.includes(from)).toBe(false);
        for (const status of to) expect(workflow.states).toContain(status);
      }
    });
  },
);
