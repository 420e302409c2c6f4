import { CASE_COMMAND_TYPES } from '../case/case.commands';
import { NRM_CENTRAL_2015 } from './nrm-central-2015.workflow';
import { NRM_PILOT_2015 } from './nrm-pilot-2015.workflow';
import { workflowToMermaid } from './workflow.mermaid';

const openCommands = (definition: typeof NRM_CENTRAL_2015) =>
  new Set(Object.values(definition.commands).flatMap((open) => Object.keys(open)));

describe('NRM_CENTRAL_2015', () => {
  it('is the central definition, version 1, with the pilot recovery period and no panel numbers', () => {
    expect(NRM_CENTRAL_2015).toMatchObject({
      id: 'nrm-central-2015',
      version: 1,
      terminal: ['closed', 'withdrawn'],
      rules: { recoveryPeriodDays: 45, minRationaleLength: 20, decisionStage: 'conclusive-grounds' },
    });
    expect(NRM_CENTRAL_2015.rules).not.toHaveProperty('panelQuorum');
    expect(NRM_CENTRAL_2015.rules).not.toHaveProperty('panelNoticeDays');
  });

  it('has no panel: no listing or convening anywhere, and no listed or convened state', () => {
    const open = openCommands(NRM_CENTRAL_2015);
    expect(open.has('ListCaseForPanel')).toBe(false);
    expect(open.has('ConvenePanel')).toBe(false);
    expect(open.has('RecordLeadAssessment')).toBe(false);
    expect(NRM_CENTRAL_2015.states).not.toContain('listed');
    expect(NRM_CENTRAL_2015.states).not.toContain('panel-convened');
    expect(NRM_CENTRAL_2015.commands.listed).toEqual({});
    expect(NRM_CENTRAL_2015.commands['panel-convened']).toEqual({});
  });

  it('gives the decisions to the competent authority, the referral to the lead or the competent authority and reconsideration to the first responder or the lead', () => {
    const { commands } = NRM_CENTRAL_2015;
    expect(commands.none).toEqual({ RaiseReferral: ['lead', 'competent-authority'] });
    expect(NRM_CENTRAL_2015.rules.referralsAcceptedBy).toBe('competent-authority');
    expect(commands.referred.MakeReasonableGroundsDecision).toEqual(['competent-authority']);
    expect(commands.recovery.RecordDecision).toEqual(['competent-authority']);
    expect(commands['decided-negative'].CompleteSecondReview).toEqual(['competent-authority']);
    expect(commands['decided-negative'].RequestReconsideration).toEqual(['first-responder', 'lead']);
    expect(commands['assessment-negative'].RequestReconsideration).toEqual(['first-responder', 'lead']);
    for (const command of ['RequestInformation', 'ResumeCase', 'CloseCase'] as const) {
      expect(commands.suspended[command]).toEqual(['competent-authority']);
    }
    // Nobody but the pilot's own roles is named on the pilot, and no case manager or panel on central.
    const roles = new Set(
      Object.values(commands).flatMap((open) => Object.values(open).flatMap((named) => [...(named ?? [])])),
    );
    expect([...roles].sort()).toEqual(['competent-authority', 'first-responder', 'lead']);
  });

  it('leaves the reasonable grounds decision out of the pilot', () => {
    expect(openCommands(NRM_PILOT_2015).has('MakeReasonableGroundsDecision')).toBe(false);
    expect(openCommands(NRM_CENTRAL_2015).has('MakeReasonableGroundsDecision')).toBe(true);
    expect(CASE_COMMAND_TYPES).toContain('MakeReasonableGroundsDecision');
  });

  it('draws the central route in Mermaid', () => {
    const lines = workflowToMermaid(NRM_CENTRAL_2015)
      .split('\n')
      .map((line) => line.trim());
    expect(lines).toEqual(
      expect.arrayContaining([
        '[*] --> referred : RaiseReferral',
        'referred --> recovery : MakeReasonableGroundsDecision',
        'referred --> assessment_negative : MakeReasonableGroundsDecision',
        'recovery --> decided_positive : RecordDecision',
        'recovery --> decided_negative : RecordDecision',
        'decided_negative --> negative_upheld : CompleteSecondReview',
        'assessment_negative --> referred : RequestReconsideration',
        'negative_upheld --> recovery : RequestReconsideration',
      ]),
    );
    expect(lines.some((line) => line.includes('listed') || line.includes('panel_convened'))).toBe(false);
  });
});
