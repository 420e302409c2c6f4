import { NotPermitted, RuleBroken, deciderSpecification } from '../testing/decider.specification';
import { actors, at, times } from '../testing/domain.examples';
import { DEFAULT_WORKFLOW_ROUTES } from '../workflow/workflow.routes';
import { decidePanel, defaultPanels, evolvePanel, initialPanelState, type RegisterPanel } from './panel.registry';

const sut = deciderSpecification({ initialState: initialPanelState, decide: decidePanel, evolve: evolvePanel });
const register = (region: 'london' | 'south-west' = 'london'): RegisterPanel => ({
  type: 'RegisterPanel',
  data: { panelId: 'london-panel', name: 'London regional panel', region },
});

describe('the panels registry', () => {
  it('registers a panel for a region, once', () => {
    sut
      .given([])
      .when(register(), at(actors.admin, times.later))
      .then([
        {
          type: 'PanelRegistered',
          data: { panelId: 'london-panel', name: 'London regional panel', region: 'london', registeredAt: times.later },
        },
      ]);
    sut
      .given([
        {
          type: 'PanelRegistered',
          data: { panelId: 'london-panel', name: 'London regional panel', region: 'london', registeredAt: times.later },
        },
      ])
      .when(register('south-west'), at(actors.admin, times.later))
      .thenThrows(RuleBroken('panel-already-registered'));
  });

  it('is kept by administrators', () => {
    for (const who of [actors.caseManager, actors.chair, actors.auditor]) {
      sut.given([]).when(register(), at(who, times.later)).thenThrows(NotPermitted('role-not-permitted'));
    }
  });

  it('registers by default one panel per region whose workflow is decided by panels', () => {
    expect(defaultPanels(DEFAULT_WORKFLOW_ROUTES)).toEqual([
      { panelId: 'south-west-panel', name: 'South West regional panel', region: 'south-west' },
      { panelId: 'west-yorkshire-panel', name: 'West Yorkshire regional panel', region: 'west-yorkshire' },
    ]);
    expect(defaultPanels({ ...DEFAULT_WORKFLOW_ROUTES, london: 'nrm-pilot-2015' }).map((p) => p.panelId)).toContain(
      'london-panel',
    );
    const humber = defaultPanels({ ...DEFAULT_WORKFLOW_ROUTES, 'yorkshire-and-the-humber': 'nrm-pilot-2015' });
    expect(humber.find((p) => p.region === 'yorkshire-and-the-humber')?.name).toBe(
      'Yorkshire and the Humber regional panel',
    );
  });
});
