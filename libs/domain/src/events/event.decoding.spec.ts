import { decideCase } from '../case/case.decider';
import type { CaseEvent } from '../case/case.events';
import { evolveCase } from '../case/case.evolver';
import { initialCaseState, type CaseState } from '../case/case.state';
import { actors, at, commands, historyIn, times } from '../testing/domain.examples';
import { UndecodableEventError, UpcasterRegistry } from './event.decoding';
import { decodeEvent, schemaVersionOf } from './event.upcasters';

const v1Assessment = {
  caseId: '5d2c1a8e-3f4b-4c6d-9e7f-0a1b2c3d4e5f',
  assessmentId: '3e0b7f5d-2a4c-4b6d-9e8f-9a0b1c2d3e4f',
  assessedAt: '2015-06-03T10:00:00.000Z',
  assessorId: 'lead-1',
  outcome: 'negative',
  rationale: 'No indicators of exploitation were found in the account.',
};

describe('decodeEvent: the one way a stored event becomes a domain event', () => {
  it('reads a stored LeadAssessmentRecorded v1 as v2: the pilot standard and guidance it was made under', () => {
    const sut = decodeEvent({ type: 'LeadAssessmentRecorded', data: v1Assessment, metadata: { schemaVersion: 1 } });
    expect(sut).toEqual({
      type: 'LeadAssessmentRecorded',
      data: {
        ...v1Assessment,
        standardOfProof: 'reasonable-grounds-to-believe',
        guidanceVersion: 'nrm-competent-bodies-guidance-2015',
      },
    });
  });

  it('reads a v2 event as stored, and leaves the stored data alone', () => {
    const v2 = { ...v1Assessment, standardOfProof: 'reasonable-grounds-to-believe', guidanceVersion: 'later-guidance' };
    const stored = { type: 'LeadAssessmentRecorded', data: Object.freeze({ ...v2 }), metadata: { schemaVersion: 2 } };
    expect(decodeEvent(stored)).toEqual({ type: 'LeadAssessmentRecorded', data: v2 });
    const v1 = {
      type: 'LeadAssessmentRecorded',
      data: Object.freeze({ ...v1Assessment }),
      metadata: { schemaVersion: 1 },
    };
    decodeEvent(v1);
    expect(v1.data).toEqual(v1Assessment);
  });

  it('reads a type with no upcasters at version 1, its only one', () => {
    const data = { caseId: v1Assessment.caseId, closedAt: '2015-10-21T09:00:00.000Z' };
    expect(decodeEvent({ type: 'CaseClosed', data, metadata: { schemaVersion: 1 } })).toEqual({
      type: 'CaseClosed',
      data,
    });
    expect(schemaVersionOf('CaseClosed')).toBe(1);
    expect(schemaVersionOf('LeadAssessmentRecorded')).toBe(2);
  });

  it.each([3, 0, 1.5, '1', undefined])('refuses schema version %p of LeadAssessmentRecorded', (schemaVersion) => {
    expect(() =>
      decodeEvent({ type: 'LeadAssessmentRecorded', data: v1Assessment, metadata: { schemaVersion } }),
    ).toThrow(UndecodableEventError);
  });

  it('runs a chain of upcasters in order, from the stored version on', () => {
    const sut = new UpcasterRegistry([
      { type: 'Thing', from: 1, up: (data) => ({ ...data, trail: `${String(data.trail)}>2` }) },
      { type: 'Thing', from: 2, up: (data) => ({ ...data, trail: `${String(data.trail)}>3` }) },
    ]);
    expect(sut.currentVersion('Thing')).toBe(3);
    expect(sut.decode({ type: 'Thing', data: { trail: '1' }, metadata: { schemaVersion: 1 } }).data).toEqual({
      trail: '1>2>3',
    });
    expect(sut.decode({ type: 'Thing', data: { trail: '2' }, metadata: { schemaVersion: 2 } }).data).toEqual({
      trail: '2>3',
    });
  });

  it('refuses a registry with a gap in a chain', () => {
    expect(() => new UpcasterRegistry([{ type: 'Thing', from: 2, up: (data) => ({ ...data }) }])).toThrow(/gap/);
  });
});

describe('ReferralRaised v1: a referring organisation recorded as free text before the registry', () => {
  // A stream as Harbour stored it before the registry: the referral names "Dorset Police" as typed.
  const recordedBefore = (referringAgency: string): CaseEvent[] =>
    historyIn
      .listed()
      .map((event) =>
        decodeEvent<CaseEvent>(
          event.type === 'ReferralRaised'
            ? { type: event.type, data: { ...event.data, referringAgency }, metadata: { schemaVersion: 1 } }
            : { type: event.type, data: event.data, metadata: { schemaVersion: schemaVersionOf(event.type) } },
        ),
      );
  const fold = (events: readonly CaseEvent[]): CaseState => events.reduce(evolveCase, initialCaseState());

  it('folds, reading a name the registry knows as its id, so the chair rule compares ids', () => {
    const state = fold(recordedBefore('Dorset Police'));
    expect(state).toMatchObject({ status: 'listed', file: { referringAgency: 'dorset-police' } });
    const chairFromDorset = { ...actors.chair, userId: 'chair-7', agency: 'dorset-police' };
    expect(() => decideCase(commands.convenePanel(), state, at(chairFromDorset, times.meetingAt))).toThrow(
      'panel-needs-independent-chair',
    );
  });

  it('keeps a name the registry does not know as typed, marked unverified, and still folds', () => {
    const [raised] = recordedBefore('Acme Recruitment Ltd');
    expect(raised.data).toMatchObject({ referringAgency: 'Acme Recruitment Ltd', referringAgencyUnverified: true });
    const state = fold(recordedBefore('Acme Recruitment Ltd'));
    expect(state).toMatchObject({ status: 'listed', file: { referringAgency: 'Acme Recruitment Ltd' } });
    const [convened] = decideCase(commands.convenePanel(), state, at(actors.chair, times.meetingAt));
    expect(convened.type).toBe('PanelConvened');
  });

  it('is recorded as v2 from now on', () => {
    expect(schemaVersionOf('ReferralRaised')).toBe(2);
  });
});

describe('PanelConvened v1: a panel recorded with free-text organisations before the registry', () => {
  // A whole stream as Harbour stored it before this change, each event at the version it had then:
  // the referral and the panel name their organisations as typed ("Dorset Police", "GLAA").
  const v1Members = [
    { memberId: 'member-1', agency: 'Dorset Police', discipline: 'police', conflictDeclared: false },
    { memberId: 'member-2', agency: 'NHS Dorset', discipline: 'health', conflictDeclared: false },
    { memberId: 'member-3', agency: 'Dorset Council', discipline: 'local-authority', conflictDeclared: false },
    { memberId: 'member-4', agency: 'GLAA', discipline: 'gangmasters-licensing-authority', conflictDeclared: false },
    {
      memberId: 'member-5',
      agency: 'UK Visas and Immigration',
      discipline: 'uk-visas-and-immigration',
      conflictDeclared: false,
    },
    { memberId: 'member-6', agency: 'border-force', discipline: 'border-force', conflictDeclared: true },
  ];
  const storedBefore = historyIn['panel-convened']().map((event) => {
    if (event.type === 'ReferralRaised') {
      return {
        type: event.type,
        data: { ...event.data, referringAgency: 'Dorset Police' },
        metadata: { schemaVersion: 1 },
      };
    }
    if (event.type === 'PanelConvened') {
      const data = {
        ...event.data,
        chair: { chairId: event.data.chair.chairId, agency: 'Independent Chair' },
        members: v1Members,
      };
      return { type: event.type, data, metadata: { schemaVersion: 1 } };
    }
    if (event.type === 'LeadAssessmentRecorded') {
      return { type: event.type, data: event.data, metadata: { schemaVersion: 2 } };
    }
    return { type: event.type, data: event.data, metadata: { schemaVersion: 1 } };
  });
  const decoded = storedBefore.map((stored) => decodeEvent<CaseEvent>(stored));
  const convened = decoded.find((event) => event.type === 'PanelConvened');

  it('reads each organisation the registry knows as its id, and keeps any other as typed, unverified', () => {
    expect(convened?.data).toMatchObject({
      chair: { agency: 'independent-chair' },
      members: [
        { memberId: 'member-1', agency: 'dorset-police' },
        { memberId: 'member-2', agency: 'NHS Dorset', agencyUnverified: true },
        { memberId: 'member-3', agency: 'dorset-council' },
        { memberId: 'member-4', agency: 'glaa' },
        { memberId: 'member-5', agency: 'uk-visas-and-immigration' },
        { memberId: 'member-6', agency: 'border-force' },
      ],
    });
    const verified = (convened?.type === 'PanelConvened' ? convened.data.members : []).filter(
      (member) => !member.agencyUnverified,
    );
    expect(verified.every((member) => !('agencyUnverified' in member))).toBe(true);
  });

  it('leaves the stored data alone', () => {
    const stored = storedBefore.find((event) => event.type === 'PanelConvened');
    expect(stored?.data.members).toBe(v1Members);
    expect(v1Members[0].agency).toBe('Dorset Police');
  });

  it('folds the whole stream, and the panel goes on to decide', () => {
    const state = decoded.reduce(evolveCase, initialCaseState());
    expect(state).toMatchObject({ status: 'panel-convened', file: { referringAgency: 'dorset-police' } });
    const events = decideCase(commands.recordDecision(), state, at(actors.chair, times.decidedAt));
    expect(events.map((event) => event.type)).toContain('DecisionRecorded');
  });

  it('is recorded as v2 from now on', () => {
    expect(schemaVersionOf('PanelConvened')).toBe(2);
  });
});
