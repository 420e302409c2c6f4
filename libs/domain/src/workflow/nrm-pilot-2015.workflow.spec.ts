import { CASE_COMMAND_TYPES, type CaseCommand, type CaseCommandType } from '../case/case.commands';
import { decideCase } from '../case/case.decider';
import type { CaseEvent, CaseEventType } from '../case/case.events';
import { evolveCase } from '../case/case.evolver';
import { initialCaseState, type CaseStatus } from '../case/case.state';
import { type Actor, type Role, ROLES } from '../shared/actor.model';
import { assertNever } from '../shared/assert-never.helper';
import type { RuleName } from '../shared/domain.errors';
import { type ErrorExpectation, outcomeOf } from '../testing/decider.specification';
import { actors, at, commands, historyIn, ids, run, times } from '../testing/domain.examples';
import { NRM_PILOT_2015 } from './nrm-pilot-2015.workflow';

/*
 * Every (state, command, role) of the pilot workflow, run through decideCase with an actor in
 * scope and a command whose data is valid, so the outcome shows the workflow definition alone.
 *
 * One letter per role, in this order:
 *   lead, case-manager, panel-chair, panel-member, competent-authority, auditor, analyst, admin,
 *   first-responder (of the organisation that referred the example case)
 *
 *   E  events                          P  NotPermittedError (another role may)
 *   S  command-not-allowed-in-state    C  case-closed
 *   N  CaseNotFoundError               X  CaseAlreadyExistsError
 *   A  needs-positive-lead-assessment  V  needs-convened-panel
 */
const ROLE_ORDER = [
  'lead',
  'case-manager',
  'panel-chair',
  'panel-member',
  'competent-authority',
  'auditor',
  'analyst',
  'admin',
  'first-responder',
] as const satisfies readonly Role[];

type Cell = 'E' | 'P' | 'S' | 'C' | 'N' | 'X' | 'A' | 'V';
type State = CaseStatus | 'none';
type Row = Record<CaseCommandType, string>;

const NOT_FOUND: Row = {
  RaiseReferral: 'EPPPPPPPP',
  ArrangeImmediateSupport: 'NNNNNNNNN',
  RecordLeadAssessment: 'NNNNNNNNN',
  MakeReasonableGroundsDecision: 'NNNNNNNNN',
  ListCaseForPanel: 'NNNNNNNNN',
  ConvenePanel: 'NNNNNNNNN',
  RecordDecision: 'NNNNNNNNN',
  CompleteSecondReview: 'NNNNNNNNN',
  RequestReconsideration: 'NNNNNNNNN',
  RequestInformation: 'NNNNNNNNN',
  RecordInformationReceived: 'NNNNNNNNN',
  AddEvidence: 'NNNNNNNNN',
  SuspendCase: 'NNNNNNNNN',
  ResumeCase: 'NNNNNNNNN',
  WithdrawReferral: 'NNNNNNNNN',
  CloseCase: 'NNNNNNNNN',
};

const TERMINAL: Row = {
  RaiseReferral: 'XXXXXXXXX',
  ArrangeImmediateSupport: 'CCCCCCCCC',
  RecordLeadAssessment: 'CCCCCCCCC',
  MakeReasonableGroundsDecision: 'CCCCCCCCC',
  ListCaseForPanel: 'CCCCCCCCC',
  ConvenePanel: 'CCCCCCCCC',
  RecordDecision: 'CCCCCCCCC',
  CompleteSecondReview: 'CCCCCCCCC',
  RequestReconsideration: 'CCCCCCCCC',
  RequestInformation: 'CCCCCCCCC',
  RecordInformationReceived: 'CCCCCCCCC',
  AddEvidence: 'CCCCCCCCC',
  SuspendCase: 'CCCCCCCCC',
  ResumeCase: 'CCCCCCCCC',
  WithdrawReferral: 'CCCCCCCCC',
  CloseCase: 'CCCCCCCCC',
};

// What any open, unsuspended case allows, and what it does not.
const OPEN: Row = {
  RaiseReferral: 'XXXXXXXXX',
  ArrangeImmediateSupport: 'EPPPPPPPP',
  RecordLeadAssessment: 'SSSSSSSSS',
  // The central route's first gate: never open on the pilot.
  MakeReasonableGroundsDecision: 'SSSSSSSSS',
  ListCaseForPanel: 'SSSSSSSSS',
  ConvenePanel: 'SSSSSSSSS',
  RecordDecision: 'SSSSSSSSS',
  CompleteSecondReview: 'SSSSSSSSS',
  RequestReconsideration: 'SSSSSSSSS',
  RequestInformation: 'PEPPPPPPP',
  RecordInformationReceived: 'PEPPPPPPP',
  AddEvidence: 'EEPPPPPPP',
  SuspendCase: 'PEPPPPPPP',
  ResumeCase: 'SSSSSSSSS',
  WithdrawReferral: 'EPPPPPPPP',
  CloseCase: 'SSSSSSSSS',
};

const EXPECTED: Record<State, Row> = {
  none: NOT_FOUND,
  referred: { ...OPEN, RecordLeadAssessment: 'EPPPPPPPP', ListCaseForPanel: 'PAPPPPPPP' },
  recovery: { ...OPEN, ListCaseForPanel: 'PEPPPPPPP' },
  'assessment-negative': {
    ...OPEN,
    ListCaseForPanel: 'PAPPPPPPP',
    RequestReconsideration: 'EPPPPPPPE',
    CloseCase: 'PEPPPPPPP',
  },
  listed: {
    ...OPEN,
    ListCaseForPanel: 'PEPPPPPPP',
    ConvenePanel: 'PPEPPPPPP',
    RecordDecision: 'PPVPPPPPP',
    RequestInformation: 'PEEPPPPPP',
    RecordInformationReceived: 'PEEPPPPPP',
  },
  'panel-convened': {
    ...OPEN,
    RecordDecision: 'PPEPPPPPP',
    RequestInformation: 'PEEPPPPPP',
    RecordInformationReceived: 'PEEPPPPPP',
  },
  'decided-positive': { ...OPEN, CloseCase: 'PEPPPPPPP' },
  'decided-negative': { ...OPEN, CompleteSecondReview: 'PEEPPPPPP', RequestReconsideration: 'EPPPPPPPE' },
  'negative-upheld': { ...OPEN, RequestReconsideration: 'EPPPPPPPE', CloseCase: 'PEPPPPPPP' },
  suspended: {
    ...OPEN,
    SuspendCase: 'SSSSSSSSS',
    ResumeCase: 'PEPPPPPPP',
    CloseCase: 'PEPPPPPPP',
  },
  closed: TERMINAL,
  withdrawn: TERMINAL,
};

const CELL_OUTCOMES: Record<Exclude<Cell, 'E'>, ErrorExpectation> = {
  P: { error: 'NotPermittedError' },
  S: { error: 'RuleBrokenError', rule: 'command-not-allowed-in-state' },
  C: { error: 'RuleBrokenError', rule: 'case-closed' },
  N: { error: 'CaseNotFoundError' },
  X: { error: 'CaseAlreadyExistsError' },
  A: { error: 'RuleBrokenError', rule: 'needs-positive-lead-assessment' satisfies RuleName },
  V: { error: 'RuleBrokenError', rule: 'needs-convened-panel' satisfies RuleName },
};

// The event each command produces when it succeeds.
const EVENT_OF: Record<CaseCommandType, CaseEventType> = {
  RaiseReferral: 'ReferralRaised',
  ArrangeImmediateSupport: 'ImmediateSupportArranged',
  RecordLeadAssessment: 'LeadAssessmentRecorded',
  MakeReasonableGroundsDecision: 'ReasonableGroundsDecisionMade',
  ListCaseForPanel: 'CaseListedForPanel',
  ConvenePanel: 'PanelConvened',
  RecordDecision: 'DecisionRecorded',
  CompleteSecondReview: 'SecondReviewCompleted',
  RequestReconsideration: 'ReconsiderationRequested',
  RequestInformation: 'InformationRequested',
  RecordInformationReceived: 'InformationReceived',
  AddEvidence: 'EvidenceAdded',
  SuspendCase: 'CaseSuspended',
  ResumeCase: 'CaseResumed',
  WithdrawReferral: 'ReferralWithdrawn',
  CloseCase: 'CaseClosed',
};

// A valid command of each type at `times.later` (after every step of the example histories).
const VALID: Record<CaseCommandType, CaseCommand> = {
  RaiseReferral: commands.raiseReferral(),
  ArrangeImmediateSupport: commands.arrangeImmediateSupport(),
  RecordLeadAssessment: commands.recordLeadAssessment(),
  MakeReasonableGroundsDecision: commands.makeReasonableGroundsDecision(),
  ListCaseForPanel: commands.listCaseForPanel({ meetingId: ids.nextMeetingId, meetingAt: '2015-08-17T10:00:00.000Z' }),
  ConvenePanel: commands.convenePanel(),
  RecordDecision: commands.recordDecision(),
  CompleteSecondReview: commands.completeSecondReview(),
  RequestReconsideration: commands.requestReconsideration(),
  RequestInformation: commands.requestInformation(),
  RecordInformationReceived: commands.recordInformationReceived(),
  AddEvidence: commands.addEvidence({ evidenceId: ids.newEvidenceId }),
  SuspendCase: commands.suspendCase(),
  ResumeCase: commands.resumeCase(),
  WithdrawReferral: commands.withdrawReferral(),
  CloseCase: commands.closeCase(),
};

// An actor of each role in scope of the example case. The chair who presided over the example
// decision may not review it, so a decided-negative case is reviewed by the panel's other chair.
function actorFor(role: Role, state: State): Actor {
  switch (role) {
    case 'lead':
      return actors.lead;
    case 'case-manager':
      return actors.caseManager;
    case 'panel-chair':
      return state === 'decided-negative' ? actors.otherChair : actors.chair;
    case 'panel-member':
      return actors.member;
    case 'competent-authority':
      return actors.competentAuthority;
    case 'auditor':
      return actors.auditor;
    case 'analyst':
      return actors.analyst;
    case 'admin':
      return actors.admin;
    case 'first-responder':
      return actors.firstResponder;
    default:
      return assertNever(role);
  }
}

const STATES: readonly State[] = ['none', ...NRM_PILOT_2015.states];

// The example history in `state`; an answer needs an open request to answer, so for
// RecordInformationReceived an open case first has one (a closed case refuses either way).
function historyFor(state: State, command: CaseCommandType): CaseEvent[] {
  if (state === 'none') return [];
  const history = historyIn[state]();
  if (command !== 'RecordInformationReceived' || NRM_PILOT_2015.terminal.includes(state)) return history;
  return run([[commands.requestInformation(), at(actors.caseManager, times.later)]], history);
}

const decider = { initialState: initialCaseState, decide: decideCase, evolve: evolveCase };

describe('nrm-pilot-2015: every (state, command, role)', () => {
  it('has an expected outcome for the full cross product of states, commands and roles', () => {
    expect(Object.keys(EXPECTED).sort()).toEqual([...STATES].sort());
    expect([...ROLE_ORDER].sort()).toEqual([...ROLES].sort());
    for (const state of STATES) {
      expect(Object.keys(EXPECTED[state]).sort()).toEqual([...CASE_COMMAND_TYPES].sort());
      for (const command of CASE_COMMAND_TYPES) {
        expect({ state, command, cells: EXPECTED[state][command] }).toEqual({
          state,
          command,
          cells: expect.stringMatching(new RegExp(`^[EPSCNXAV]{${ROLE_ORDER.length}}$`)),
        });
      }
    }
  });

  const cases = STATES.flatMap((state) =>
    CASE_COMMAND_TYPES.flatMap((command) =>
      ROLE_ORDER.map((role, index) => ({ state, command, role, cell: EXPECTED[state][command][index] as Cell })),
    ),
  );

  it.each(cases)('$state: $command by $role -> $cell', ({ state, command, role, cell }) => {
    const history = historyFor(state, command);
    const outcome = outcomeOf(decider, history, VALID[command], at(actorFor(role, state), times.later));
    if (cell === 'E') {
      expect(outcome).toEqual({ events: [expect.objectContaining({ type: EVENT_OF[command] })] });
    } else {
      const expected = CELL_OUTCOMES[cell];
      expect(outcome).toEqual({ thrown: cell === 'P' ? expect.objectContaining(expected) : expected });
    }
  });

  it('gives the auditor and the analyst no command in any state', () => {
    for (const state of STATES) {
      for (const command of CASE_COMMAND_TYPES) {
        for (const role of ['auditor', 'analyst'] as const) {
          expect(EXPECTED[state][command][ROLE_ORDER.indexOf(role)]).not.toBe('E');
        }
      }
    }
  });

  it('agrees with the definition: E, A or V exactly where the definition lists the role', () => {
    for (const state of NRM_PILOT_2015.states) {
      for (const command of CASE_COMMAND_TYPES.filter((type) => type !== 'RaiseReferral')) {
        const roles = NRM_PILOT_2015.commands[state][command] ?? [];
        ROLE_ORDER.forEach((role, index) => {
          const allowed = 'EAV'.includes(EXPECTED[state][command][index]);
          expect({ state, command, role, allowed }).toEqual({ state, command, role, allowed: roles.includes(role) });
        });
      }
    }
  });
});

describe('NRM_PILOT_2015', () => {
  it('is the pilot definition, version 1', () => {
    expect(NRM_PILOT_2015).toMatchObject({
      id: 'nrm-pilot-2015',
      version: 1,
      terminal: ['closed', 'withdrawn'],
      rules: { recoveryPeriodDays: 45, panelNoticeDays: 7, panelQuorum: 5 },
    });
  });

  it('lists every state once and opens no command in a terminal state', () => {
    expect(new Set(NRM_PILOT_2015.states).size).toBe(NRM_PILOT_2015.states.length);
    for (const state of NRM_PILOT_2015.terminal) expect(NRM_PILOT_2015.commands[state]).toEqual({});
  });
});
