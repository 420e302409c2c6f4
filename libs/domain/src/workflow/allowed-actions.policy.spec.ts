import type { Actor } from '../shared/actor.model';
import { evolveCase } from '../case/case.evolver';
import { initialCaseState, type CaseState, type CaseStatus } from '../case/case.state';
import { actors, centralHistoryIn, historyIn, type CentralCaseStatus } from '../testing/domain.examples';
import { allowedActions } from './allowed-actions.policy';
import { NRM_CENTRAL_2015 } from './nrm-central-2015.workflow';
import { NRM_PILOT_2015 } from './nrm-pilot-2015.workflow';
import { DEFAULT_WORKFLOW_ROUTES } from './workflow.routes';

function stateIn(status: CaseStatus): CaseState {
  return historyIn[status]().reduce(evolveCase, initialCaseState());
}

const sut = (state: CaseState, actor: Actor) => allowedActions(NRM_PILOT_2015, state, actor);

describe('allowedActions', () => {
  it('lets a lead of a pilot region raise a referral when there is no case yet', () => {
    expect(sut(initialCaseState(), actors.lead)).toEqual(['RaiseReferral']);
    expect(sut(initialCaseState(), actors.westYorkshireLead)).toEqual(['RaiseReferral']);
    expect(sut(initialCaseState(), { ...actors.lead, region: 'london' })).toEqual([]);
    expect(sut(initialCaseState(), actors.caseManager)).toEqual([]);
  });

  it('lists what each role may do with a referred case', () => {
    const state = stateIn('referred');
    expect(sut(state, actors.lead)).toEqual([
      'ArrangeImmediateSupport',
      'RecordLeadAssessment',
      'AddEvidence',
      'WithdrawReferral',
    ]);
    // Listing waits for a positive lead assessment, so it is not offered.
    expect(sut(state, actors.caseManager)).toEqual(['RequestInformation', 'AddEvidence', 'SuspendCase']);
    expect(sut(state, actors.chair)).toEqual([]);
  });

  it('offers the panel chair convening once the case is listed to their panel, and deciding once convened', () => {
    expect(sut(stateIn('listed'), actors.chair)).toEqual(['ConvenePanel', 'RequestInformation']);
    expect(sut(stateIn('panel-convened'), actors.chair)).toEqual(['RecordDecision', 'RequestInformation']);
    expect(sut(stateIn('listed'), actors.otherPanelChair)).toEqual([]);
  });

  it('offers a second review of a negative decision to case managers and chairs', () => {
    const state = stateIn('decided-negative');
    expect(sut(state, actors.caseManager)).toContain('CompleteSecondReview');
    expect(sut(state, actors.otherChair)).toEqual(['CompleteSecondReview']);
    expect(sut(state, actors.lead)).toContain('RequestReconsideration');
  });

  it('offers resuming and closing a suspended case to the case manager', () => {
    expect(sut(stateIn('suspended'), actors.caseManager)).toEqual([
      'RequestInformation',
      'AddEvidence',
      'ResumeCase',
      'CloseCase',
    ]);
  });

  it('offers nothing outside the actor region, on a closed case, or to read-only roles', () => {
    expect(sut(stateIn('recovery'), actors.westYorkshireLead)).toEqual([]);
    expect(sut(stateIn('recovery'), actors.westYorkshireCaseManager)).toEqual([]);
    expect(sut(stateIn('closed'), actors.caseManager)).toEqual([]);
    expect(sut(stateIn('withdrawn'), actors.lead)).toEqual([]);
    for (const status of NRM_PILOT_2015.states) {
      expect(sut(stateIn(status), actors.auditor)).toEqual([]);
      expect(sut(stateIn(status), actors.analyst)).toEqual([]);
    }
  });
});

describe('allowedActions on the central route', () => {
  const central = (status: CentralCaseStatus): CaseState =>
    centralHistoryIn[status]().reduce(evolveCase, initialCaseState());
  const sutCentral = (state: CaseState, actor: Actor) => allowedActions(NRM_CENTRAL_2015, state, actor);

  it('lets a lead raise a referral where the routes send new referrals to it', () => {
    expect(sutCentral(initialCaseState(), actors.londonLead)).toEqual(['RaiseReferral']);
    expect(sutCentral(initialCaseState(), actors.lead)).toEqual([]);
    const londonToPilot = { ...DEFAULT_WORKFLOW_ROUTES, london: 'nrm-pilot-2015' };
    expect(allowedActions(NRM_CENTRAL_2015, initialCaseState(), actors.londonLead, londonToPilot)).toEqual([]);
    expect(allowedActions(NRM_PILOT_2015, initialCaseState(), actors.londonLead, londonToPilot)).toEqual([
      'RaiseReferral',
    ]);
  });

  it('offers the competent authority the reasonable grounds decision, then the conclusive one', () => {
    expect(sutCentral(central('referred'), actors.competentAuthority)).toEqual([
      'MakeReasonableGroundsDecision',
      'RequestInformation',
      'AddEvidence',
      'SuspendCase',
    ]);
    expect(sutCentral(central('referred'), actors.londonLead)).toEqual([
      'ArrangeImmediateSupport',
      'AddEvidence',
      'WithdrawReferral',
    ]);
    expect(sutCentral(central('recovery'), actors.competentAuthority)).toContain('RecordDecision');
    expect(sutCentral(central('recovery'), actors.caseManager)).toEqual([]);
  });

  it('offers the second review to the competent authority and reconsideration to the lead', () => {
    expect(sutCentral(central('decided-negative'), actors.otherCompetentAuthority)).toContain('CompleteSecondReview');
    expect(sutCentral(central('decided-negative'), actors.londonLead)).toContain('RequestReconsideration');
    expect(sutCentral(central('assessment-negative'), actors.competentAuthority)).toContain('CloseCase');
  });
});
