import type { CaseCommand } from '../case/case.commands';
import { decideCase } from '../case/case.decider';
import type { CaseEvent } from '../case/case.events';
import { evolveCase } from '../case/case.evolver';
import { initialCaseState } from '../case/case.state';
import type { DecisionContext } from '../shared/actor.model';
import { REGIONS } from '../shared/police-regions.model';
import { actors, at, commands, ids, londonReferralData, times } from '../testing/domain.examples';
import { NRM_CENTRAL_2015 } from './nrm-central-2015.workflow';
import { NRM_PILOT_2015 } from './nrm-pilot-2015.workflow';
import { latestWorkflow, workflowForRegion } from './workflow.registry';
import { DEFAULT_WORKFLOW_ROUTES, regionsRoutedTo, type WorkflowRoutes } from './workflow.routes';

describe('DEFAULT_WORKFLOW_ROUTES', () => {
  it('sends the pilot regions to the pilot and every other region to the central route', () => {
    expect(regionsRoutedTo('nrm-pilot-2015', DEFAULT_WORKFLOW_ROUTES)).toEqual(['south-west', 'west-yorkshire']);
    expect(regionsRoutedTo('nrm-central-2015', DEFAULT_WORKFLOW_ROUTES)).toEqual(
      REGIONS.filter((region) => region !== 'south-west' && region !== 'west-yorkshire'),
    );
    for (const region of REGIONS) expect(latestWorkflow(DEFAULT_WORKFLOW_ROUTES[region]!)).toBeDefined();
  });
});

describe('workflowForRegion', () => {
  it('finds the latest version of the routed workflow', () => {
    expect(workflowForRegion('south-west')).toBe(NRM_PILOT_2015);
    expect(workflowForRegion('london')).toBe(NRM_CENTRAL_2015);
    expect(workflowForRegion('london', { london: 'nrm-pilot-2015' })).toBe(NRM_PILOT_2015);
  });

  it('finds none for a region without a route, an unknown workflow or a region Harbour does not know', () => {
    expect(workflowForRegion('london', { 'south-west': 'nrm-pilot-2015' })).toBeUndefined();
    expect(workflowForRegion('london', { london: 'nrm-2099' })).toBeUndefined();
    expect(workflowForRegion('atlantis')).toBeUndefined();
    expect(workflowForRegion('constructor')).toBeUndefined();
  });
});

describe('a case keeps the workflow it started under when the routes change', () => {
  const LONDON_TO_PILOT: WorkflowRoutes = { ...DEFAULT_WORKFLOW_ROUTES, london: 'nrm-pilot-2015' };
  const under = (context: DecisionContext, routes: WorkflowRoutes): DecisionContext => ({
    ...context,
    workflowRoutes: routes,
  });

  const decide = (history: readonly CaseEvent[], command: CaseCommand, context: DecisionContext) =>
    decideCase(command, history.reduce(evolveCase, initialCaseState()), context);

  it('runs a London case raised under the central route on it after London moves to the pilot', () => {
    const raised = decide(
      [],
      commands.raiseReferral(londonReferralData()),
      under(at(actors.londonLead, times.raisedAt), DEFAULT_WORKFLOW_ROUTES),
    );
    expect(raised[0]!.data).toMatchObject({ workflow: { id: 'nrm-central-2015', version: 1 } });

    // London now routes to the pilot: the existing case still takes the central route's commands...
    const decided = decide(
      raised,
      commands.makeReasonableGroundsDecision('positive'),
      under(at(actors.competentAuthority, times.assessedAt), LONDON_TO_PILOT),
    );
    expect(decided.map((event) => event.type)).toEqual(['ReasonableGroundsDecisionMade']);
    // ...and refuses the pilot's.
    expect(() =>
      decide(
        raised,
        commands.recordLeadAssessment('positive'),
        under(at(actors.londonLead, times.assessedAt), LONDON_TO_PILOT),
      ),
    ).toThrow(expect.objectContaining({ rule: 'command-not-allowed-in-state' }));
  });

  it('starts a new London case under the pilot once London routes there', () => {
    const raised = decide(
      [],
      commands.raiseReferral(londonReferralData(), ids.childCaseId),
      under(at(actors.londonLead, times.raisedAt), LONDON_TO_PILOT),
    );
    expect(raised[0]!.data).toMatchObject({ workflow: { id: 'nrm-pilot-2015', version: 1 } });
    const assessed = decide(
      raised,
      { ...commands.recordLeadAssessment('positive'), caseId: ids.childCaseId },
      under(at(actors.londonLead, times.assessedAt), LONDON_TO_PILOT),
    );
    expect(assessed.map((event) => event.type)).toEqual(['LeadAssessmentRecorded']);
  });
});
