import { NRM_PILOT_2015 } from './nrm-pilot-2015.workflow';
import type { WorkflowDefinition } from './workflow.definition';
import { workflowToMermaid } from './workflow.mermaid';

describe('workflowToMermaid', () => {
  const diagram = workflowToMermaid(NRM_PILOT_2015);
  const lines = diagram.split('\n').map((line) => line.trim());

  it('is a stateDiagram-v2 ending in a newline, the same every time', () => {
    expect(lines[0]).toBe('stateDiagram-v2');
    expect(diagram.endsWith('\n')).toBe(true);
    expect(workflowToMermaid(NRM_PILOT_2015)).toBe(diagram);
  });

  it('starts a case with RaiseReferral and draws each move the transitions list', () => {
    expect(lines).toEqual(
      expect.arrayContaining([
        '[*] --> referred : RaiseReferral',
        'referred --> recovery : RecordLeadAssessment',
        'referred --> assessment_negative : RecordLeadAssessment',
        'recovery --> listed : ListCaseForPanel',
        'listed --> panel_convened : ConvenePanel',
        'panel_convened --> decided_positive : RecordDecision',
        'decided_negative --> negative_upheld : CompleteSecondReview',
        'referred --> referred : AddEvidence',
        'suspended --> negative_upheld : ResumeCase',
        'suspended --> closed : CloseCase',
      ]),
    );
  });

  it('names hyphenated states, as Mermaid ids may not hold a hyphen', () => {
    expect(lines).toContain('state "assessment-negative" as assessment_negative');
    expect(lines).toContain('state "panel-convened" as panel_convened');
    expect(lines).not.toContain('state "referred" as referred');
    expect(lines.filter((line) => line.includes('-->')).every((line) => !/\w-\w/.test(line.split(':')[0]!))).toBe(true);
  });

  it('ends each terminal state in [*] and draws no edge for a command that never succeeds there', () => {
    expect(lines).toEqual(expect.arrayContaining(['closed --> [*]', 'withdrawn --> [*]']));
    expect(lines.filter((line) => line.startsWith('referred') && line.endsWith(': ListCaseForPanel'))).toEqual([]);
    expect(lines.filter((line) => line.startsWith('listed') && line.endsWith(': RecordDecision'))).toEqual([]);
  });

  it('draws one edge per (from, command, to), in the order of the definition', () => {
    const edges = NRM_PILOT_2015.transitions.reduce((count, t) => count + t.to.length, 0);
    expect(lines.filter((line) => line.includes('-->') && line.includes(' : '))).toHaveLength(edges);
    const tiny: WorkflowDefinition = {
      ...NRM_PILOT_2015,
      states: ['referred', 'withdrawn'],
      terminal: ['withdrawn'],
      transitions: [
        { from: 'none', command: 'RaiseReferral', to: ['referred'] },
        { from: 'referred', command: 'WithdrawReferral', to: ['withdrawn'] },
      ],
    };
    expect(workflowToMermaid(tiny)).toBe(
      [
        'stateDiagram-v2',
        '    [*] --> referred : RaiseReferral',
        '    referred --> withdrawn : WithdrawReferral',
        '    withdrawn --> [*]',
        '',
      ].join('\n'),
    );
  });
});
