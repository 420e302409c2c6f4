import { decideCase } from '../case/case.decider';
import { evolveCase } from '../case/case.evolver';
import { initialCaseState } from '../case/case.state';
import {
  CaseAlreadyExists,
  CaseNotFound,
  deciderSpecification,
  NotPermitted,
  RuleBroken,
} from './decider.specification';
import { actors, at, commands, historyIn, times } from './domain.examples';

// The helper must fail loudly when the decider does something else, or every spec could pass.
const sut = deciderSpecification({ initialState: initialCaseState, decide: decideCase, evolve: evolveCase });

describe('deciderSpecification', () => {
  it('fails then() when the events differ or the command is refused', () => {
    expect(() => sut.given([]).when(commands.raiseReferral(), at(actors.lead, times.raisedAt)).then([])).toThrow();
    expect(() =>
      sut.given([]).when(commands.addEvidence(), at(actors.lead, times.raisedAt)).then(historyIn.referred()),
    ).toThrow();
  });

  it('fails thenThrows() when the command succeeds or is refused for another reason', () => {
    expect(() =>
      sut.given([]).when(commands.raiseReferral(), at(actors.lead, times.raisedAt)).thenThrows(CaseNotFound()),
    ).toThrow();
    expect(() =>
      sut
        .given([])
        .when(commands.raiseReferral(), at(actors.caseManager, times.raisedAt))
        .thenThrows(NotPermitted('outside-region')),
    ).toThrow();
    expect(() =>
      sut
        .given(historyIn.recovery())
        .when(commands.listCaseForPanel(), at(actors.caseManager, times.later))
        .thenThrows(RuleBroken('panel-notice-7-days')),
    ).toThrow();
  });

  it('passes when the outcome matches', () => {
    sut
      .given(historyIn.referred())
      .when(commands.raiseReferral(), at(actors.lead, times.later))
      .thenThrows(CaseAlreadyExists());
    sut.given([]).when(commands.raiseReferral(), at(actors.caseManager, times.raisedAt)).thenThrows(NotPermitted());
  });
});
