import {
  CaseAlreadyExists,
  CaseNotFound,
  deciderSpecification,
  NotPermitted,
  RuleBroken,
} from '../testing/decider.specification';
import {
  actors,
  adultReferralData,
  at,
  centralHistoryIn,
  childReferralData,
  commands,
  fireDeadlines,
  historyIn,
  ids,
  PANEL_ID,
  run,
  times,
} from '../testing/domain.examples';
import { panelDirectory } from '../panel/panel.registry';
import { NRM_CENTRAL_2015 } from '../workflow/nrm-central-2015.workflow';
import { NRM_PILOT_2015 } from '../workflow/nrm-pilot-2015.workflow';
import type { Actor } from '../shared/actor.model';
import { RuleBrokenError } from '../shared/domain.errors';
import { decideCase } from './case.decider';
import type { CaseEvent } from './case.events';
import { evolveCase } from './case.evolver';
import { initialCaseState, type CaseStatus } from './case.state';

const sut = deciderSpecification({ initialState: initialCaseState, decide: decideCase, evolve: evolveCase });
const { lead, caseManager, chair, otherChair, member, westYorkshireLead, westYorkshireCaseManager } = actors;

const asChair = (userId: string, agency = 'independent-chair'): Actor => ({ ...chair, userId, agency });

describe('RaiseReferral', () => {
  it('raises an adult referral with consent, pinned to the pilot workflow', () => {
    sut
      .given([])
      .when(commands.raiseReferral(), at(lead, times.raisedAt))
      .then([
        {
          type: 'ReferralRaised',
          data: {
            caseId: ids.caseId,
            raisedAt: times.raisedAt,
            leadId: 'lead-1',
            workflow: { id: 'nrm-pilot-2015', version: 1 },
            firstResponderLocation: 'england',
            ageGroup: 'adult',
            ageGroupAtExploitation: 'adult',
            region: 'south-west',
            policeForceArea: 'avon-and-somerset',
            referringAgency: 'bristol-city-council',
            firstResponderType: 'local-authority',
            exploitationTypes: ['labour'],
            exploitationLocation: 'both',
            consent: { given: true, recordedAt: '2015-05-31T16:30:00.000Z' },
            subject: {
              subjectId: ids.subjectId,
              name: 'Ana Example',
              aliases: ['Anna Sample'],
              dateOfBirth: '1990-04-12',
              gender: 'female',
              nationality: 'ROU',
              language: 'ro',
              interpreterNeeded: true,
              contact: { phone: '+44 7700 900123', safeToEmail: false, safeToPost: true },
            },
            account: 'Recruited abroad for farm work; passport held by the gangmaster; wages withheld for months.',
          },
        },
      ]);
  });

  it('raises a child referral without consent, with the local authority contact', () => {
    sut
      .given([])
      .when(commands.raiseReferral(childReferralData()), at(lead, times.raisedAt))
      .thenEvents(([event]) => {
        expect(event).toMatchObject({
          type: 'ReferralRaised',
          data: {
            ageGroup: 'child',
            consent: { given: false },
            localAuthorityContact: {
              authority: 'bristol-city-council',
              name: 'Sam Caseworker',
              email: 'duty.team@bristol.example',
            },
          },
        });
      });
  });

  it('raises referrals in West Yorkshire, the other pilot region', () => {
    sut
      .given([])
      .when(
        commands.raiseReferral(adultReferralData({ region: 'west-yorkshire', policeForceArea: 'west-yorkshire' })),
        at(westYorkshireLead, times.raisedAt),
      )
      .thenEvents(([event]) => expect(event.data).toMatchObject({ region: 'west-yorkshire', leadId: 'lead-9' }));
  });

  it('refuses an adult referral whose recorded answer is no consent (adult-consent-required)', () => {
    // The refusal is recorded with its time, so only the consent rule itself can refuse it.
    const declined = adultReferralData({ consent: { given: false, recordedAt: times.raisedAt } });
    sut
      .given([])
      .when(commands.raiseReferral(declined), at(lead, times.raisedAt))
      .thenThrows(RuleBroken('adult-consent-required'));
  });

  it('refuses adult consent that does not say when it was recorded (adult-consent-required)', () => {
    sut
      .given([])
      .when(commands.raiseReferral(adultReferralData({ consent: { given: true } })), at(lead, times.raisedAt))
      .thenThrows(RuleBroken('adult-consent-required'));
  });

  it('refuses a child referral without a local authority contact (child-needs-local-authority-contact)', () => {
    sut
      .given([])
      .when(commands.raiseReferral(childReferralData({ localAuthorityContact: undefined })), at(lead, times.raisedAt))
      .thenThrows(RuleBroken('child-needs-local-authority-contact'));
  });

  it('treats an unknown age as a child: no consent needed, a local authority contact required', () => {
    const unknownAge = childReferralData({ ageGroup: 'unknown', ageGroupAtExploitation: 'unknown' });
    sut
      .given([])
      .when(commands.raiseReferral(unknownAge), at(lead, times.raisedAt))
      .thenEvents(([event]) => expect(event.data).toMatchObject({ ageGroup: 'unknown', consent: { given: false } }));
    sut
      .given([])
      .when(commands.raiseReferral({ ...unknownAge, localAuthorityContact: undefined }), at(lead, times.raisedAt))
      .thenThrows(RuleBroken('child-needs-local-authority-contact'));
  });

  it('accepts an unknown age with an adult date of birth: the age is in dispute and the presumption stands', () => {
    sut
      .given([])
      .when(
        commands.raiseReferral(
          childReferralData({
            ageGroup: 'unknown',
            subject: { ...childReferralData().subject, dateOfBirth: '1980-01-01' },
          }),
        ),
        at(lead, times.raisedAt),
      )
      .thenEvents((events) => expect(events).toHaveLength(1));
  });

  it('refuses a force outside the region (force-not-in-region)', () => {
    sut
      .given([])
      .when(commands.raiseReferral(adultReferralData({ policeForceArea: 'west-yorkshire' })), at(lead, times.raisedAt))
      .thenThrows(RuleBroken('force-not-in-region'));
  });

  it.each(['Acme Recruitment Ltd', 'dorset', 'Dorset Constabulary'])(
    'refuses a referring organisation the registry does not know, %p, naming the field (unknown-organisation)',
    (referringAgency) => {
      sut
        .given([])
        .when(commands.raiseReferral(adultReferralData({ referringAgency })), at(lead, times.raisedAt))
        .thenThrows(RuleBroken('unknown-organisation'));
      const refusal = caught(() =>
        decideCase(
          commands.raiseReferral(adultReferralData({ referringAgency })),
          initialCaseState(),
          at(lead, times.raisedAt),
        ),
      );
      expect(refusal).toBeInstanceOf(RuleBrokenError);
      expect((refusal as RuleBrokenError).asProblem.extensions).toEqual({
        rule: 'unknown-organisation',
        field: 'referringAgency',
      });
    },
  );

  it.each([
    ['Dorset Police', 'dorset-police'],
    ['dorset-police', 'dorset-police'],
    ['Gloucestershire Constabulary', 'gloucestershire-police'],
  ])('records the referring organisation %p by its registry id %p', (referringAgency, id) => {
    const [raised] = decideCase(
      commands.raiseReferral(adultReferralData({ referringAgency })),
      initialCaseState(),
      at(lead, times.raisedAt),
    );
    expect(raised).toMatchObject({ type: 'ReferralRaised', data: { referringAgency: id } });
    expect(raised.data).not.toHaveProperty('referringAgencyUnverified');
  });

  it('needs at least one exploitation type (selection-required) and drops duplicates', () => {
    sut
      .given([])
      .when(commands.raiseReferral(adultReferralData({ exploitationTypes: [] })), at(lead, times.raisedAt))
      .thenThrows(RuleBroken('selection-required'));
    sut
      .given([])
      .when(
        commands.raiseReferral(adultReferralData({ exploitationTypes: ['labour', 'sexual', 'labour'] })),
        at(lead, times.raisedAt),
      )
      .thenEvents(([event]) => expect(event.data).toMatchObject({ exploitationTypes: ['labour', 'sexual'] }));
  });

  it.each([
    ['account', adultReferralData({ account: '   ' })],
    ['referring agency', adultReferralData({ referringAgency: '' })],
    ['subject name', adultReferralData({ subject: { ...adultReferralData().subject, name: ' ' } })],
  ])('refuses a blank %s (text-required)', (_field, data) => {
    sut.given([]).when(commands.raiseReferral(data), at(lead, times.raisedAt)).thenThrows(RuleBroken('text-required'));
  });

  it('refuses a child now who was an adult when exploited (age-groups-inconsistent)', () => {
    sut
      .given([])
      .when(commands.raiseReferral(childReferralData({ ageGroupAtExploitation: 'adult' })), at(lead, times.raisedAt))
      .thenThrows(RuleBroken('age-groups-inconsistent'));
  });

  it.each([
    [
      'an adult born in 2000',
      adultReferralData({ subject: { ...adultReferralData().subject, dateOfBirth: '2000-01-01' } }),
    ],
    [
      'a child born in 1990',
      childReferralData({ subject: { ...childReferralData().subject, dateOfBirth: '1990-01-01' } }),
    ],
    [
      'a person born after the referral',
      adultReferralData({ subject: { ...adultReferralData().subject, dateOfBirth: '2016-01-01' } }),
    ],
    [
      'a person of unknown age born after the referral',
      adultReferralData({
        ageGroup: 'unknown',
        ageGroupAtExploitation: 'unknown',
        subject: { ...adultReferralData().subject, dateOfBirth: '2016-01-01' },
      }),
    ],
  ])('refuses %s (age-group-contradicts-date-of-birth)', (_case, data) => {
    sut
      .given([])
      .when(commands.raiseReferral(data), at(lead, times.raisedAt))
      .thenThrows(RuleBroken('age-group-contradicts-date-of-birth'));
  });

  it('counts the 18th birthday itself as adult', () => {
    const data = adultReferralData({ subject: { ...adultReferralData().subject, dateOfBirth: '1997-06-01' } });
    sut
      .given([])
      .when(commands.raiseReferral(data), at(lead, times.raisedAt))
      .thenEvents((events) => expect(events).toHaveLength(1));
  });

  it('refuses dates that are not ISO calendar dates (invalid-date-time)', () => {
    sut
      .given([])
      .when(
        commands.raiseReferral(
          adultReferralData({ subject: { ...adultReferralData().subject, dateOfBirth: '1990-02-30' } }),
        ),
        at(lead, times.raisedAt),
      )
      .thenThrows(RuleBroken('invalid-date-time'));
    sut
      .given([])
      .when(
        commands.raiseReferral(adultReferralData({ consent: { given: true, recordedAt: 'yesterday' } })),
        at(lead, times.raisedAt),
      )
      .thenThrows(RuleBroken('invalid-date-time'));
    sut.given([]).when(commands.raiseReferral(), at(lead, 'June 1 2015')).thenThrows(RuleBroken('invalid-date-time'));
  });

  it('leaves blank optional details and blank aliases out of the event', () => {
    const subject = {
      ...adultReferralData().subject,
      aliases: ['Anna Sample', '  '],
      language: ' ',
      contact: { phone: '', email: ' ', safeToEmail: false, safeToPost: false },
    };
    sut
      .given([])
      .when(commands.raiseReferral(adultReferralData({ subject })), at(lead, times.raisedAt))
      .thenEvents(([event]) => {
        expect(event.type === 'ReferralRaised' && event.data.subject).toEqual({
          subjectId: ids.subjectId,
          name: 'Ana Example',
          aliases: ['Anna Sample'],
          dateOfBirth: '1990-04-12',
          gender: 'female',
          nationality: 'ROU',
          interpreterNeeded: true,
          contact: { safeToEmail: false, safeToPost: false },
        });
      });
  });

  it('refuses a region no workflow takes referrals in (no-workflow-for-region)', () => {
    const londonLead: Actor = { ...lead, region: 'london' };
    const routes = { 'south-west': 'nrm-pilot-2015' } as const;
    sut
      .given([])
      .when(commands.raiseReferral(adultReferralData({ region: 'london', policeForceArea: 'metropolitan' })), {
        ...at(londonLead, times.raisedAt),
        workflowRoutes: routes,
      })
      .thenThrows(RuleBroken('no-workflow-for-region'));
    sut
      .given([])
      .when(commands.raiseReferral(), {
        ...at(lead, times.raisedAt),
        workflowRoutes: { 'south-west': 'no-such-workflow' },
      })
      .thenThrows(RuleBroken('no-workflow-for-region'));
  });

  it('refuses a lead raising a referral outside their region', () => {
    sut
      .given([])
      .when(commands.raiseReferral(), at(westYorkshireLead, times.raisedAt))
      .thenThrows(NotPermitted('outside-region'));
  });

  it.each([caseManager, chair, member, actors.auditor, actors.analyst, actors.admin, actors.competentAuthority])(
    'refuses the $role role',
    (actor) => {
      sut
        .given([])
        .when(commands.raiseReferral(), at(actor, times.raisedAt))
        .thenThrows(NotPermitted('role-not-permitted'));
    },
  );

  it.each(['referred', 'closed', 'withdrawn'] satisfies CaseStatus[])(
    'refuses a case id that is taken (case %s)',
    (status) => {
      sut
        .given(historyIn[status]())
        .when(commands.raiseReferral(), at(lead, times.later))
        .thenThrows(CaseAlreadyExists());
    },
  );
});

describe('a command to a case that does not exist', () => {
  it.each([
    commands.arrangeImmediateSupport(),
    commands.recordLeadAssessment(),
    commands.listCaseForPanel(),
    commands.addEvidence(),
    commands.closeCase(),
  ])('$type is refused with CaseNotFoundError', (command) => {
    sut.given([]).when(command, at(lead, times.raisedAt)).thenThrows(CaseNotFound());
  });
});

describe('ArrangeImmediateSupport', () => {
  it('records support on referral', () => {
    sut
      .given(historyIn.referred())
      .when(commands.arrangeImmediateSupport({ notes: 'Safe house place for four weeks.' }), at(lead, times.later))
      .then([
        {
          type: 'ImmediateSupportArranged',
          data: {
            caseId: ids.caseId,
            supportId: ids.supportId,
            arrangedAt: times.later,
            kinds: ['accommodation', 'interpreter'],
            provider: 'salvation-army',
            notes: 'Safe house place for four weeks.',
          },
        },
      ]);
  });

  describe('providers by who the person is (support-provider-for-age-group)', () => {
    // Every state in which the lead may arrange support, on the pilot and on the central route.
    const openStates = (Object.entries(historyIn) as [CaseStatus, () => CaseEvent[]][]).filter(([status]) =>
      NRM_PILOT_2015.commands[status].ArrangeImmediateSupport?.includes('lead'),
    );
    it.each(openStates)("refuses children's services for an adult in %s", (_, history) => {
      sut
        .given(history())
        .when(commands.arrangeImmediateSupport({ provider: 'Bristol City Council' }), at(lead, times.later))
        .thenThrows(RuleBroken('support-provider-for-age-group'));
    });
    it.each(openStates)('accepts the adult contract and its subcontractors for an adult in %s', (_, history) => {
      for (const provider of ['The Salvation Army', 'migrant-help', 'Unseen UK']) {
        sut
          .given(history())
          .when(commands.arrangeImmediateSupport({ provider }), at(lead, times.later))
          .thenEvents(([event]) => expect(event.data).toMatchObject({ provider }));
      }
    });
    it.each(
      Object.entries(centralHistoryIn).filter(
        ([status]) => NRM_CENTRAL_2015.commands[status as CaseStatus].ArrangeImmediateSupport,
      ),
    )("refuses children's services for an adult on the central route in %s", (_, history) => {
      sut
        .given(history())
        .when(
          commands.arrangeImmediateSupport({ provider: 'westminster-city-council' }),
          at(actors.londonLead, times.later),
        )
        .thenThrows(RuleBroken('support-provider-for-age-group'));
    });

    const child = () => run([[commands.raiseReferral(childReferralData(), ids.childCaseId), at(lead, times.raisedAt)]]);
    it('refuses the adult contract for a child', () => {
      sut
        .given(child())
        .when(
          { ...commands.arrangeImmediateSupport({ provider: 'salvation-army' }), caseId: ids.childCaseId },
          at(lead, times.later),
        )
        .thenThrows(RuleBroken('support-provider-for-age-group'));
    });
    it("accepts the local authority's children's services, and a provider the registry does not know, for a child", () => {
      for (const provider of ['Bristol City Council', 'Dorset Council', 'NHS Dorset (community paediatrics)']) {
        sut
          .given(child())
          .when({ ...commands.arrangeImmediateSupport({ provider }), caseId: ids.childCaseId }, at(lead, times.later))
          .thenEvents(([event]) => expect(event.type).toBe('ImmediateSupportArranged'));
      }
    });
  });

  it('records support while the case is suspended', () => {
    sut
      .given(historyIn.suspended())
      .when(commands.arrangeImmediateSupport(), at(lead, times.later))
      .thenEvents(([event]) => expect(event.type).toBe('ImmediateSupportArranged'));
  });

  it('needs a kind of support (selection-required) and a provider (text-required)', () => {
    sut
      .given(historyIn.referred())
      .when(commands.arrangeImmediateSupport({ kinds: [] }), at(lead, times.later))
      .thenThrows(RuleBroken('selection-required'));
    sut
      .given(historyIn.referred())
      .when(commands.arrangeImmediateSupport({ provider: ' ' }), at(lead, times.later))
      .thenThrows(RuleBroken('text-required'));
  });

  it('is for leads of the case region only', () => {
    sut
      .given(historyIn.referred())
      .when(commands.arrangeImmediateSupport(), at(caseManager, times.later))
      .thenThrows(NotPermitted('role-not-permitted'));
    sut
      .given(historyIn.referred())
      .when(commands.arrangeImmediateSupport(), at(westYorkshireLead, times.later))
      .thenThrows(NotPermitted('outside-region'));
  });
});

describe('RecordLeadAssessment', () => {
  it('starts the 45-day recovery period on a positive assessment', () => {
    sut
      .given(historyIn.referred())
      .when(commands.recordLeadAssessment('positive'), at(lead, times.assessedAt))
      .then([
        {
          type: 'LeadAssessmentRecorded',
          data: {
            caseId: ids.caseId,
            assessmentId: ids.assessmentId,
            assessedAt: times.assessedAt,
            assessorId: 'lead-1',
            outcome: 'positive',
            standardOfProof: 'reasonable-grounds-to-believe',
            guidanceVersion: 'nrm-competent-bodies-guidance-2015',
            rationale: commands.recordLeadAssessment('positive').data.rationale,
            recoveryPeriod: { startsAt: times.assessedAt, endsAt: times.recoveryEndsAt, days: 45 },
          },
        },
      ]);
  });

  it('starts no recovery period on a negative assessment', () => {
    sut
      .given(historyIn.referred())
      .when(commands.recordLeadAssessment('negative'), at(actors.otherLead, times.assessedAt))
      .then([
        {
          type: 'LeadAssessmentRecorded',
          data: {
            caseId: ids.caseId,
            assessmentId: ids.assessmentId,
            assessedAt: times.assessedAt,
            assessorId: 'lead-2',
            outcome: 'negative',
            standardOfProof: 'reasonable-grounds-to-believe',
            guidanceVersion: 'nrm-competent-bodies-guidance-2015',
            rationale: commands.recordLeadAssessment('negative').data.rationale,
          },
        },
      ]);
  });

  it('needs a written rationale (written-rationale-required)', () => {
    sut
      .given(historyIn.referred())
      .when(commands.recordLeadAssessment('positive', { rationale: '  believe them   ' }), at(lead, times.assessedAt))
      .thenThrows(RuleBroken('written-rationale-required'));
  });

  it('is made once: not again in recovery (command-not-allowed-in-state)', () => {
    sut
      .given(historyIn.recovery())
      .when(commands.recordLeadAssessment(), at(lead, times.later))
      .thenThrows(RuleBroken('command-not-allowed-in-state'));
  });

  it('is for leads of the case region only', () => {
    sut
      .given(historyIn.referred())
      .when(commands.recordLeadAssessment(), at(westYorkshireLead, times.assessedAt))
      .thenThrows(NotPermitted('outside-region'));
  });
});

describe('business time', () => {
  it('is never before the referral (business-time-before-referral)', () => {
    // The attack: a case raised now, then assessed, listed and decided "in 2005".
    sut
      .given(historyIn.referred())
      .when(commands.recordLeadAssessment(), at(lead, '2005-06-03T10:00:00.000Z'))
      .thenThrows(RuleBroken('business-time-before-referral'));
    sut
      .given(historyIn['decided-positive']())
      .when(commands.closeCase(), at(caseManager, '2000-01-01T00:00:00.000Z'))
      .thenThrows(RuleBroken('business-time-before-referral'));
  });

  it('never goes backwards: a command is dated at or after the last entry a person recorded', () => {
    sut
      .given(historyIn.listed())
      .when(commands.addEvidence({ evidenceId: ids.newEvidenceId }), at(caseManager, times.assessedAt))
      .thenThrows(RuleBroken('business-time-before-last-entry'));
    sut
      .given(historyIn.listed())
      .when(commands.addEvidence({ evidenceId: ids.newEvidenceId }), at(caseManager, times.listedAt))
      .thenEvents((events) => expect(events).toHaveLength(1));
  });

  it('is not held back by what Harbour recorded by itself at a later time', () => {
    const withMiss = fireDeadlines(historyIn.referred(), times.later);
    expect(withMiss.map((event) => event.type)).toContain('DeadlineBreached');
    sut
      .given(withMiss)
      .when(commands.recordLeadAssessment(), at(lead, times.assessedAt))
      .thenEvents((events) => expect(events).toHaveLength(1));
  });

  it('lets an old case be imported whole, in order', () => {
    const imported = run([
      [commands.raiseReferral(), at(lead, '2012-06-01T09:00:00.000Z')],
      [commands.recordLeadAssessment(), at(lead, '2012-06-03T10:00:00.000Z')],
      [commands.addEvidence(), at(caseManager, '2012-06-10T14:00:00.000Z')],
    ]);
    expect(imported.map((event) => event.type)).toEqual(['ReferralRaised', 'LeadAssessmentRecorded', 'EvidenceAdded']);
  });
});

describe('ListCaseForPanel', () => {
  it('lists a case in recovery with 7 days notice or more', () => {
    sut
      .given(historyIn.recovery())
      .when(commands.listCaseForPanel(), at(caseManager, times.listedAt))
      .then([
        {
          type: 'CaseListedForPanel',
          data: {
            caseId: ids.caseId,
            listedAt: times.listedAt,
            panelId: PANEL_ID,
            meetingId: ids.meetingId,
            meetingAt: times.meetingAt,
            urgent: false,
          },
        },
      ]);
  });

  it('lists only to a registered panel (unknown-panel), "null" included', () => {
    for (const panelId of ['north-sea-panel', 'null']) {
      sut
        .given(historyIn.recovery())
        .when(commands.listCaseForPanel({ panelId }), at(caseManager, times.listedAt))
        .thenThrows(RuleBroken('unknown-panel'));
    }
  });

  it('lists only to a panel that serves the case region (panel-serves-another-region)', () => {
    const registry = panelDirectory([
      { panelId: 'london-panel', name: 'London regional panel', region: 'london' },
      { panelId: PANEL_ID, name: 'South West regional panel', region: 'south-west' },
    ]);
    sut
      .given(historyIn.recovery())
      .when(commands.listCaseForPanel({ panelId: 'london-panel' }), {
        ...at(caseManager, times.listedAt),
        panels: registry,
      })
      .thenThrows(RuleBroken('panel-serves-another-region'));
    sut
      .given(historyIn.recovery())
      .when(commands.listCaseForPanel(), { ...at(caseManager, times.listedAt), panels: registry })
      .thenEvents((events) => expect(events).toHaveLength(1));
  });

  it('decides against the registry it is given, not the configured defaults', () => {
    sut
      .given(historyIn.recovery())
      .when(commands.listCaseForPanel(), { ...at(caseManager, times.listedAt), panels: panelDirectory([]) })
      .thenThrows(RuleBroken('unknown-panel'));
  });

  it('accepts exactly 7 days notice and refuses less unless urgent (panel-notice-7-days)', () => {
    sut
      .given(historyIn.recovery())
      .when(commands.listCaseForPanel(), at(caseManager, '2015-07-13T10:00:00.000Z'))
      .thenEvents((events) => expect(events).toHaveLength(1));
    sut
      .given(historyIn.recovery())
      .when(commands.listCaseForPanel(), at(caseManager, '2015-07-13T10:00:00.001Z'))
      .thenThrows(RuleBroken('panel-notice-7-days'));
  });

  it('lists an urgent case at short notice, recording why', () => {
    sut
      .given(historyIn.recovery())
      .when(
        commands.listCaseForPanel({ urgent: true, urgencyReason: 'Removal directions set for next week.' }),
        at(caseManager, '2015-07-18T10:00:00.000Z'),
      )
      .thenEvents(([event]) =>
        expect(event.data).toMatchObject({ urgent: true, urgencyReason: 'Removal directions set for next week.' }),
      );
  });

  it('needs a reason for urgency (urgency-needs-reason)', () => {
    for (const urgencyReason of [undefined, '  ']) {
      sut
        .given(historyIn.recovery())
        .when(commands.listCaseForPanel({ urgent: true, urgencyReason }), at(caseManager, times.listedAt))
        .thenThrows(RuleBroken('urgency-needs-reason'));
    }
  });

  it('ignores an urgency reason on a listing that is not urgent', () => {
    sut
      .given(historyIn.recovery())
      .when(commands.listCaseForPanel({ urgencyReason: 'Not really urgent.' }), at(caseManager, times.listedAt))
      .thenEvents(([event]) => expect(event.data).not.toHaveProperty('urgencyReason'));
  });

  it('refuses a meeting in the past, even when urgent (meeting-in-the-past)', () => {
    sut
      .given(historyIn.recovery())
      .when(
        commands.listCaseForPanel({ urgent: true, urgencyReason: 'Removal directions set.' }),
        at(caseManager, times.later),
      )
      .thenThrows(RuleBroken('meeting-in-the-past'));
    // Only an hour ago is past too.
    sut
      .given(historyIn.recovery())
      .when(
        commands.listCaseForPanel({ urgent: true, urgencyReason: 'Removal directions set.' }),
        at(caseManager, '2015-07-20T11:00:00.000Z'),
      )
      .thenThrows(RuleBroken('meeting-in-the-past'));
  });

  it('refuses a meeting time that is not ISO-8601 (invalid-date-time)', () => {
    sut
      .given(historyIn.recovery())
      .when(commands.listCaseForPanel({ meetingAt: '20/07/2015 10:00' }), at(caseManager, times.listedAt))
      .thenThrows(RuleBroken('invalid-date-time'));
  });

  it('relists a listed case to another meeting', () => {
    const relist = commands.listCaseForPanel({ meetingId: ids.nextMeetingId, meetingAt: '2015-08-12T10:00:00.000Z' });
    const history = run([[relist, at(caseManager, '2015-07-15T09:00:00.000Z')]], historyIn.listed());
    sut
      .given(history)
      .when(commands.convenePanel(), at(chair, '2015-08-12T10:00:00.000Z'))
      .thenThrows(RuleBroken('meeting-not-listed'));
    sut
      .given(history)
      .when(commands.convenePanel({ meetingId: ids.nextMeetingId }), at(chair, '2015-08-12T10:00:00.000Z'))
      .thenEvents(([event]) => expect(event.data).toMatchObject({ meetingId: ids.nextMeetingId }));
  });

  it.each(['referred', 'assessment-negative'] satisfies CaseStatus[])(
    'needs a positive lead assessment: refused while %s (needs-positive-lead-assessment)',
    (status) => {
      sut
        .given(historyIn[status]())
        .when(commands.listCaseForPanel(), at(caseManager, times.listedAt))
        .thenThrows(RuleBroken('needs-positive-lead-assessment'));
    },
  );

  it('is for case managers of the case region only', () => {
    sut
      .given(historyIn.recovery())
      .when(commands.listCaseForPanel(), at(westYorkshireCaseManager, times.listedAt))
      .thenThrows(NotPermitted('outside-region'));
    sut
      .given(historyIn.recovery())
      .when(commands.listCaseForPanel(), at(lead, times.listedAt))
      .thenThrows(NotPermitted('role-not-permitted'));
  });
});

describe('ConvenePanel', () => {
  const members = commands.convenePanel().data.members;

  it('convenes the listed meeting with the chair and members present', () => {
    sut
      .given(historyIn.listed())
      .when(commands.convenePanel(), at(chair, times.meetingAt))
      .then([
        {
          type: 'PanelConvened',
          data: {
            caseId: ids.caseId,
            panelId: PANEL_ID,
            meetingId: ids.meetingId,
            convenedAt: times.meetingAt,
            chair: { chairId: 'chair-1', agency: 'independent-chair' },
            members: [...members],
          },
        },
      ]);
  });

  it('convenes only the meeting the case is listed to (meeting-not-listed)', () => {
    sut
      .given(historyIn.listed())
      .when(commands.convenePanel({ meetingId: ids.nextMeetingId }), at(chair, times.meetingAt))
      .thenThrows(RuleBroken('meeting-not-listed'));
  });

  it('does not sit before the listed time (panel-not-before-listed-meeting)', () => {
    sut
      .given(historyIn.listed())
      .when(commands.convenePanel(), at(chair, '2015-07-20T09:59:59.000Z'))
      .thenThrows(RuleBroken('panel-not-before-listed-meeting'));
  });

  it.each([
    ['declared a conflict', chair, { chairDeclaredConflict: true }],
    ['also sits as a member', asChair('member-1'), {}],
    ['raised the case', asChair('lead-1'), {}],
    ['works for the referring organisation', asChair('chair-7', ' Bristol-City-Council'), {}],
  ] as const)(
    'needs an independent chair: refused when the chair %s (panel-needs-independent-chair)',
    (_why, who, data) => {
      sut
        .given(historyIn.listed())
        .when(commands.convenePanel(data), at(who, times.meetingAt))
        .thenThrows(RuleBroken('panel-needs-independent-chair'));
    },
  );

  describe('chair independence compares organisations, not spellings', () => {
    // The case as a walkthrough raises it: referred by "Dorset Police", as the referral form names it.
    const referredByDorsetPolice = (): CaseEvent[] =>
      historyIn
        .listed()
        .map((event) =>
          event.type === 'ReferralRaised'
            ? { ...event, data: { ...event.data, referringAgency: 'Dorset Police' } }
            : event,
        );

    it.each(['dorset-police', 'Dorset Police', ' DORSET  POLICE ', 'dorset police'])(
      'refuses a chair whose token names the referring force as %p (panel-needs-independent-chair)',
      (agency) => {
        sut
          .given(referredByDorsetPolice())
          .when(commands.convenePanel(), at(asChair('chair-7', agency), times.meetingAt))
          .thenThrows(RuleBroken('panel-needs-independent-chair'));
      },
    );

    it.each([
      ['wiltshire-police', 'wiltshire-police'],
      ['Gloucestershire Constabulary', 'gloucestershire-police'],
      ['independent-chair', 'independent-chair'],
    ])('accepts a chair from %p, another organisation than the referring force, recorded as %p', (agency, id) => {
      const [convened] = decideCase(
        commands.convenePanel(),
        fold(referredByDorsetPolice()),
        at(asChair('chair-7', agency), times.meetingAt),
      );
      expect(convened).toMatchObject({ type: 'PanelConvened', data: { chair: { chairId: 'chair-7', agency: id } } });
    });
  });

  describe('members are organisations of the registry, by id', () => {
    const withMember = (agency: string) =>
      commands.convenePanel({ members: [...members, { ...members[0], memberId: 'member-7', agency }] });

    it.each(['Acme Recruitment Ltd', 'NHS Bristol', 'dorset'])(
      'refuses a member organisation the registry does not know, %p, naming the field (unknown-organisation)',
      (agency) => {
        sut
          .given(historyIn.listed())
          .when(withMember(agency), at(chair, times.meetingAt))
          .thenThrows(RuleBroken('unknown-organisation'));
        const refusal = caught(() =>
          decideCase(withMember(agency), fold(historyIn.listed()), at(chair, times.meetingAt)),
        );
        expect((refusal as RuleBrokenError).asProblem.extensions).toEqual({
          rule: 'unknown-organisation',
          field: `members.${members.length}.agency`,
        });
      },
    );

    it('refuses a chair whose organisation the registry does not know, naming the field (unknown-organisation)', () => {
      const refusal = caught(() =>
        decideCase(
          commands.convenePanel(),
          fold(historyIn.listed()),
          at(asChair('chair-7', 'Acme Panels'), times.meetingAt),
        ),
      );
      expect((refusal as RuleBrokenError).asProblem.extensions).toEqual({
        rule: 'unknown-organisation',
        field: 'agency',
      });
    });

    it('records each member by registry id, whatever spelling the chair typed', () => {
      const [convened] = decideCase(withMember('Dorset Police'), fold(historyIn.listed()), at(chair, times.meetingAt));
      expect(convened.type === 'PanelConvened' && convened.data.members.at(-1)).toMatchObject({
        memberId: 'member-7',
        agency: 'dorset-police',
      });
    });

    it.each([
      ['leeds-city-council', 'west-yorkshire'],
      ['West Yorkshire Police', 'west-yorkshire'],
      ['nhs-west-yorkshire', 'west-yorkshire'],
    ])(
      'refuses a member from %p, which serves %s, on the South West panel (panel-member-from-another-region)',
      (agency) => {
        sut
          .given(historyIn.listed())
          .when(withMember(agency), at(chair, times.meetingAt))
          .thenThrows(RuleBroken('panel-member-from-another-region'));
      },
    );

    it.each(['uk-visas-and-immigration', 'Border Force', 'salvation-army', 'dorset-council', 'dorset-police'])(
      "accepts a member from %p: national, or of the panel's region",
      (agency) => {
        expect(decideCase(withMember(agency), fold(historyIn.listed()), at(chair, times.meetingAt))).toHaveLength(1);
      },
    );
  });

  it('refuses a member listed twice (duplicate-panel-member)', () => {
    sut
      .given(historyIn.listed())
      .when(commands.convenePanel({ members: [...members, members[0]] }), at(chair, times.meetingAt))
      .thenThrows(RuleBroken('duplicate-panel-member'));
  });

  it('refuses a blank member agency (text-required)', () => {
    sut
      .given(historyIn.listed())
      .when(
        commands.convenePanel({ members: [...members, { ...members[0], memberId: 'member-7', agency: ' ' }] }),
        at(chair, times.meetingAt),
      )
      .thenThrows(RuleBroken('text-required'));
  });

  it('needs 5 members without a conflict besides the chair (panel-quorum-5)', () => {
    const fourCounted = members.map((m) => (m.memberId === 'member-5' ? { ...m, conflictDeclared: true } : m));
    sut
      .given(historyIn.listed())
      .when(commands.convenePanel({ members: fourCounted }), at(chair, times.meetingAt))
      .thenThrows(RuleBroken('panel-quorum-5'));
    sut
      .given(historyIn.listed())
      .when(commands.convenePanel({ members: members.slice(0, 4) }), at(chair, times.meetingAt))
      .thenThrows(RuleBroken('panel-quorum-5'));
  });

  it('is for a chair of the panel the case is listed to', () => {
    sut
      .given(historyIn.listed())
      .when(commands.convenePanel(), at(actors.otherPanelChair, times.meetingAt))
      .thenThrows(NotPermitted('not-on-case-panel'));
    sut
      .given(historyIn.listed())
      .when(commands.convenePanel(), at(member, times.meetingAt))
      .thenThrows(NotPermitted('role-not-permitted'));
  });
});

describe('RecordDecision', () => {
  const membersPresent = [
    { memberId: 'member-1', agency: 'avon-and-somerset-police', discipline: 'police' },
    { memberId: 'member-2', agency: 'nhs-south-west', discipline: 'health' },
    { memberId: 'member-3', agency: 'somerset-county-council', discipline: 'local-authority' },
    {
      memberId: 'member-4',
      agency: 'glaa',
      discipline: 'gangmasters-licensing-authority',
    },
    { memberId: 'member-5', agency: 'unseen-uk', discipline: 'ngo' },
  ] as const;

  it('records a positive conclusive grounds decision of the panel', () => {
    const command = commands.recordDecision('positive');
    sut
      .given(historyIn['panel-convened']())
      .when(command, at(chair, times.decidedAt))
      .then([
        {
          type: 'DecisionRecorded',
          data: {
            caseId: ids.caseId,
            decisionId: ids.decisionId,
            decidedAt: times.decidedAt,
            stage: 'conclusive-grounds',
            outcome: 'positive',
            standardOfProof: 'balance-of-probabilities',
            guidanceVersion: 'nrm-competent-bodies-guidance-2015',
            rationale: command.data.rationale,
            evidenceReliedOn: [{ evidenceId: ids.evidenceId, description: 'Police report of the farm visit.' }],
            decidedBy: { kind: 'panel', panelId: PANEL_ID, meetingId: ids.meetingId, chairId: 'chair-1' },
            // member-6 declared a conflict: present, but not part of the decision.
            membersPresent: [...membersPresent],
            votes: [...command.data.votes],
            dissent: [],
          },
        },
      ]);
  });

  it('records a negative decision with dissent', () => {
    sut
      .given(historyIn['panel-convened']())
      .when(commands.recordDecision('negative'), at(chair, times.decidedAt))
      .thenEvents(([event]) =>
        expect(event.data).toMatchObject({
          outcome: 'negative',
          dissent: [{ memberId: 'member-5', reason: 'The withheld passport alone shows control.' }],
        }),
      );
  });

  it('lets a member dissent who did not vote', () => {
    sut
      .given(historyIn['panel-convened']())
      .when(
        commands.recordDecision('positive', {
          votes: [{ memberId: 'member-1', vote: 'positive' }],
          dissent: [{ memberId: 'member-2', reason: 'Not persuaded by the account.' }],
        }),
        at(chair, times.decidedAt),
      )
      .thenEvents((events) => expect(events).toHaveLength(1));
  });

  it('needs the panel to have convened (needs-convened-panel)', () => {
    sut
      .given(historyIn.listed())
      .when(commands.recordDecision(), at(chair, times.decidedAt))
      .thenThrows(RuleBroken('needs-convened-panel'));
  });

  it('is recorded by the chair who convened the panel (decision-by-presiding-chair)', () => {
    sut
      .given(historyIn['panel-convened']())
      .when(commands.recordDecision(), at(otherChair, times.decidedAt))
      .thenThrows(RuleBroken('decision-by-presiding-chair'));
  });

  it('waits for the 45-day recovery period to end (recovery-period-not-elapsed)', () => {
    const early = run([
      [commands.raiseReferral(), at(lead, times.raisedAt)],
      [commands.recordLeadAssessment(), at(lead, times.assessedAt)],
      [commands.addEvidence(), at(caseManager, times.evidenceAddedAt)],
      [
        commands.listCaseForPanel({ meetingAt: '2015-07-01T10:00:00.000Z' }),
        at(caseManager, '2015-06-20T09:00:00.000Z'),
      ],
      [commands.convenePanel(), at(chair, '2015-07-01T10:00:00.000Z')],
    ]);
    sut
      .given(early)
      .when(commands.recordDecision(), at(chair, '2015-07-18T09:59:59.999Z'))
      .thenThrows(RuleBroken('recovery-period-not-elapsed'));
    sut
      .given(early)
      .when(commands.recordDecision(), at(chair, times.recoveryEndsAt))
      .thenEvents((events) => expect(events).toHaveLength(1));
  });

  it('needs a written rationale (written-rationale-required)', () => {
    sut
      .given(historyIn['panel-convened']())
      .when(commands.recordDecision('positive', { rationale: 'Victim.' }), at(chair, times.decidedAt))
      .thenThrows(RuleBroken('written-rationale-required'));
  });

  it('relies only on evidence on the case file (evidence-not-on-file)', () => {
    sut
      .given(historyIn['panel-convened']())
      .when(commands.recordDecision('positive', { evidenceReliedOn: [ids.newEvidenceId] }), at(chair, times.decidedAt))
      .thenThrows(RuleBroken('evidence-not-on-file'));
  });

  it.each([
    ['a member not at the meeting votes', { votes: [{ memberId: 'member-9', vote: 'positive' as const }] }],
    ['the chair votes', { votes: [{ memberId: 'chair-1', vote: 'positive' as const }] }],
    ['a member not at the meeting dissents', { dissent: [{ memberId: 'member-9', reason: 'Disagree.' }] }],
  ])('takes votes and dissent only from members present: refused when %s (member-not-present)', (_why, data) => {
    sut
      .given(historyIn['panel-convened']())
      .when(commands.recordDecision('positive', data), at(chair, times.decidedAt))
      .thenThrows(RuleBroken('member-not-present'));
  });

  it('excludes a member who declared a conflict from voting and dissenting (conflicted-member-excluded)', () => {
    sut
      .given(historyIn['panel-convened']())
      .when(
        commands.recordDecision('positive', { votes: [{ memberId: 'member-6', vote: 'positive' }] }),
        at(chair, times.decidedAt),
      )
      .thenThrows(RuleBroken('conflicted-member-excluded'));
    sut
      .given(historyIn['panel-convened']())
      .when(
        commands.recordDecision('positive', { dissent: [{ memberId: 'member-6', reason: 'Disagree.' }] }),
        at(chair, times.decidedAt),
      )
      .thenThrows(RuleBroken('conflicted-member-excluded'));
  });

  it('takes one vote and one dissent per member (duplicate-vote)', () => {
    sut
      .given(historyIn['panel-convened']())
      .when(
        commands.recordDecision('positive', {
          votes: [
            { memberId: 'member-1', vote: 'positive' },
            { memberId: 'member-1', vote: 'negative' },
          ],
        }),
        at(chair, times.decidedAt),
      )
      .thenThrows(RuleBroken('duplicate-vote'));
    sut
      .given(historyIn['panel-convened']())
      .when(
        commands.recordDecision('positive', {
          votes: [],
          dissent: [
            { memberId: 'member-1', reason: 'Disagree.' },
            { memberId: 'member-1', reason: 'Still disagree.' },
          ],
        }),
        at(chair, times.decidedAt),
      )
      .thenThrows(RuleBroken('duplicate-vote'));
  });

  it('refuses dissent from a member who voted for the outcome (dissent-contradicts-vote)', () => {
    sut
      .given(historyIn['panel-convened']())
      .when(
        commands.recordDecision('positive', { dissent: [{ memberId: 'member-1', reason: 'Disagree.' }] }),
        at(chair, times.decidedAt),
      )
      .thenThrows(RuleBroken('dissent-contradicts-vote'));
  });

  it('needs a reason for dissent (text-required)', () => {
    sut
      .given(historyIn['panel-convened']())
      .when(
        commands.recordDecision('negative', { dissent: [{ memberId: 'member-5', reason: ' ' }] }),
        at(chair, times.decidedAt),
      )
      .thenThrows(RuleBroken('text-required'));
  });

  it('is for the chair of the case panel', () => {
    sut
      .given(historyIn['panel-convened']())
      .when(commands.recordDecision(), at(actors.otherPanelChair, times.decidedAt))
      .thenThrows(NotPermitted('not-on-case-panel'));
    sut
      .given(historyIn['panel-convened']())
      .when(commands.recordDecision(), at(member, times.decidedAt))
      .thenThrows(NotPermitted('role-not-permitted'));
  });
});

describe('CompleteSecondReview', () => {
  it('upholds a negative decision, reviewed by a case manager', () => {
    const command = commands.completeSecondReview('upheld');
    sut
      .given(historyIn['decided-negative']())
      .when(command, at(caseManager, times.reviewedAt))
      .then([
        {
          type: 'SecondReviewCompleted',
          data: {
            caseId: ids.caseId,
            reviewId: ids.reviewId,
            decisionId: ids.decisionId,
            reviewedAt: times.reviewedAt,
            outcome: 'upheld',
            rationale: command.data.rationale,
            reviewer: { reviewerId: 'cmu-1', role: 'case-manager', agency: 'home-office-cmu' },
          },
        },
      ]);
  });

  it('overturns a negative decision, reviewed by another chair of the panel', () => {
    sut
      .given(historyIn['decided-negative']())
      .when(commands.completeSecondReview('overturned'), at(otherChair, times.reviewedAt))
      .thenEvents(([event]) =>
        expect(event.data).toMatchObject({
          outcome: 'overturned',
          reviewer: { reviewerId: 'chair-2', role: 'panel-chair', agency: 'independent-chair' },
        }),
      );
  });

  it.each([
    ['the presiding chair', chair],
    ['a member present', asChair('member-1')],
    ['a member present with a declared conflict', asChair('member-6')],
  ])('is by someone who took no part: refused for %s (second-reviewer-took-part)', (_who, reviewer) => {
    sut
      .given(historyIn['decided-negative']())
      .when(commands.completeSecondReview(), at(reviewer, times.reviewedAt))
      .thenThrows(RuleBroken('second-reviewer-took-part'));
  });

  it('needs a written rationale (written-rationale-required)', () => {
    sut
      .given(historyIn['decided-negative']())
      .when(commands.completeSecondReview('upheld', { rationale: 'Agree.' }), at(caseManager, times.reviewedAt))
      .thenThrows(RuleBroken('written-rationale-required'));
  });

  it('reviews negative decisions only (command-not-allowed-in-state)', () => {
    sut
      .given(historyIn['decided-positive']())
      .when(commands.completeSecondReview(), at(caseManager, times.reviewedAt))
      .thenThrows(RuleBroken('command-not-allowed-in-state'));
  });

  it('is not for a lead', () => {
    sut
      .given(historyIn['decided-negative']())
      .when(commands.completeSecondReview(), at(lead, times.reviewedAt))
      .thenThrows(NotPermitted('role-not-permitted'));
  });
});

describe('RequestReconsideration', () => {
  it('sends a negative lead assessment back for reassessment', () => {
    const command = commands.requestReconsideration();
    const history = historyIn['assessment-negative']();
    sut
      .given(history)
      .when(command, at(lead, times.later))
      .then([
        {
          type: 'ReconsiderationRequested',
          data: {
            caseId: ids.caseId,
            reconsiderationId: ids.reconsiderationId,
            requestedAt: times.later,
            requestedBy: 'support-provider',
            grounds: command.data.grounds,
            reconsiders: { kind: 'lead-assessment', id: ids.assessmentId },
            returnsTo: 'referred',
          },
        },
      ]);
    const reassessment = commands.recordLeadAssessment('positive', { assessmentId: ids.reassessmentId });
    sut
      .given(run([[command, at(lead, times.later)]], history))
      .when(reassessment, at(lead, times.later))
      .thenEvents(([event]) =>
        expect(event.data).toMatchObject({ outcome: 'positive', assessmentId: ids.reassessmentId }),
      );
  });

  it.each(['decided-negative', 'negative-upheld'] satisfies CaseStatus[])(
    'sends a case that is %s back to be listed again',
    (status) => {
      const history = historyIn[status]();
      const command = commands.requestReconsideration({ requestedBy: 'first-responder' });
      sut
        .given(history)
        .when(command, at(lead, times.later))
        .thenEvents(([event]) =>
          expect(event.data).toMatchObject({
            requestedBy: 'first-responder',
            reconsiders: { kind: 'decision', id: ids.decisionId },
            returnsTo: 'recovery',
          }),
        );
      sut
        .given(run([[command, at(lead, times.later)]], history))
        .when(
          commands.listCaseForPanel({ meetingId: ids.nextMeetingId, meetingAt: '2015-08-20T10:00:00.000Z' }),
          at(caseManager, times.later),
        )
        .thenEvents(([event]) => expect(event.type).toBe('CaseListedForPanel'));
    },
  );

  it('needs grounds (text-required)', () => {
    sut
      .given(historyIn['negative-upheld']())
      .when(commands.requestReconsideration({ grounds: ' ' }), at(lead, times.later))
      .thenThrows(RuleBroken('text-required'));
  });

  it('reconsiders negative outcomes only (command-not-allowed-in-state)', () => {
    sut
      .given(historyIn['decided-positive']())
      .when(commands.requestReconsideration(), at(lead, times.later))
      .thenThrows(RuleBroken('command-not-allowed-in-state'));
  });

  it('is requested through a lead of the case region', () => {
    sut
      .given(historyIn['negative-upheld']())
      .when(commands.requestReconsideration(), at(caseManager, times.later))
      .thenThrows(NotPermitted('role-not-permitted'));
    sut
      .given(historyIn['negative-upheld']())
      .when(commands.requestReconsideration(), at(westYorkshireLead, times.later))
      .thenThrows(NotPermitted('outside-region'));
  });
});

describe('RequestInformation', () => {
  it('records a request by the case manager', () => {
    sut
      .given(historyIn.referred())
      .when(commands.requestInformation(), at(caseManager, times.later))
      .then([
        {
          type: 'InformationRequested',
          data: {
            caseId: ids.caseId,
            requestId: ids.requestId,
            requestedAt: times.later,
            requestedFrom: 'uk-visas-and-immigration',
            details: 'Immigration history and any previous applications.',
            dueBy: '2015-09-01T17:00:00.000Z',
          },
        },
      ]);
  });

  it('lets the panel chair ask once the case is listed to the panel, not before', () => {
    sut
      .given(historyIn.listed())
      .when(commands.requestInformation({ dueBy: undefined }), at(chair, times.later))
      .thenEvents(([event]) => expect(event.data).not.toHaveProperty('dueBy'));
    sut
      .given(historyIn.recovery())
      .when(commands.requestInformation(), at(chair, times.later))
      .thenThrows(NotPermitted('role-not-permitted'));
  });

  it('keeps the other requests open when one is answered: each answer closes only its own', () => {
    const second = 'request-2';
    const oneAnswered = run(
      [
        [commands.requestInformation(), at(caseManager, times.later)],
        [commands.requestInformation({ requestId: second }), at(caseManager, times.later)],
        [commands.recordInformationReceived(), at(caseManager, times.later)],
      ],
      historyIn.referred(),
    );
    sut
      .given(oneAnswered)
      .when(commands.recordInformationReceived({ requestId: second }), at(caseManager, times.later))
      .thenEvents(([event]) =>
        expect(event).toMatchObject({ type: 'InformationReceived', data: { requestId: second } }),
      );
    sut
      .given(oneAnswered)
      .when(commands.recordInformationReceived(), at(caseManager, times.later))
      .thenThrows(RuleBroken('information-request-not-open'));
  });

  it('wants the answer after now (due-date-in-the-past)', () => {
    sut
      .given(historyIn.referred())
      .when(commands.requestInformation({ dueBy: times.later }), at(caseManager, times.later))
      .thenThrows(RuleBroken('due-date-in-the-past'));
  });

  it('needs details and an organisation (text-required)', () => {
    sut
      .given(historyIn.referred())
      .when(commands.requestInformation({ details: '' }), at(caseManager, times.later))
      .thenThrows(RuleBroken('text-required'));
    sut
      .given(historyIn.referred())
      .when(commands.requestInformation({ requestedFrom: ' ' }), at(caseManager, times.later))
      .thenThrows(RuleBroken('text-required'));
  });
});

describe('AddEvidence', () => {
  it.each([lead, caseManager])('adds evidence to the file (by the $role)', (who) => {
    sut
      .given(historyIn.referred())
      .when(commands.addEvidence(), at(who, times.later))
      .then([
        {
          type: 'EvidenceAdded',
          data: {
            caseId: ids.caseId,
            evidenceId: ids.evidenceId,
            addedAt: times.later,
            kind: 'police-report',
            description: 'Police report of the farm visit.',
          },
        },
      ]);
  });

  it('adds evidence once (evidence-already-on-file)', () => {
    sut
      .given(historyIn.recovery())
      .when(commands.addEvidence(), at(lead, times.later))
      .thenThrows(RuleBroken('evidence-already-on-file'));
  });

  it('needs a description (text-required)', () => {
    sut
      .given(historyIn.referred())
      .when(commands.addEvidence({ description: '  ' }), at(lead, times.later))
      .thenThrows(RuleBroken('text-required'));
  });

  it('keeps evidence added while suspended on the file when the case resumes', () => {
    const history = run(
      [
        [
          commands.addEvidence({ evidenceId: ids.newEvidenceId, description: 'GP letter.' }),
          at(lead, times.suspendedAt),
        ],
        [commands.resumeCase(), at(caseManager, times.suspendedAt)],
        [commands.listCaseForPanel(), at(caseManager, times.listedAt)],
        [commands.convenePanel(), at(chair, times.meetingAt)],
      ],
      historyIn.suspended(),
    );
    sut
      .given(history)
      .when(commands.recordDecision('positive', { evidenceReliedOn: [ids.newEvidenceId] }), at(chair, times.decidedAt))
      .thenEvents(([event]) =>
        expect(event.data).toMatchObject({
          evidenceReliedOn: [{ evidenceId: ids.newEvidenceId, description: 'GP letter.' }],
        }),
      );
  });
});

describe('SuspendCase and ResumeCase', () => {
  const suspendable = [
    'referred',
    'recovery',
    'assessment-negative',
    'listed',
    'panel-convened',
    'decided-positive',
    'decided-negative',
    'negative-upheld',
  ] as const satisfies CaseStatus[];

  it.each(suspendable)('suspends a case while %s and resumes it exactly where it was', (status) => {
    const history = historyIn[status]();
    sut
      .given(history)
      .when(commands.suspendCase({ reason: 'criminal-proceedings', details: undefined }), at(caseManager, times.later))
      .then([
        {
          type: 'CaseSuspended',
          data: { caseId: ids.caseId, suspendedAt: times.later, suspendedFrom: status, reason: 'criminal-proceedings' },
        },
      ]);
    const suspended = run([[commands.suspendCase(), at(caseManager, times.later)]], history);
    sut
      .given(suspended)
      .when(commands.resumeCase(), at(caseManager, times.later))
      .then([{ type: 'CaseResumed', data: { caseId: ids.caseId, resumedAt: times.later, resumedTo: status } }]);
    const resumed = run([[commands.resumeCase(), at(caseManager, times.later)]], suspended);
    // Exactly where it was, its business time moved on to the resumption.
    expect(fold(resumed)).toEqual({ ...fold(history), lastEntryAt: times.later });
  });

  it('records the details of a suspension', () => {
    sut
      .given(historyIn.recovery())
      .when(commands.suspendCase(), at(caseManager, times.later))
      .thenEvents(([event]) => expect(event.data).toMatchObject({ details: 'Left the safe house; reported missing.' }));
  });

  it('does not suspend a suspended case, nor resume an active one (command-not-allowed-in-state)', () => {
    sut
      .given(historyIn.suspended())
      .when(commands.suspendCase(), at(caseManager, times.later))
      .thenThrows(RuleBroken('command-not-allowed-in-state'));
    sut
      .given(historyIn.recovery())
      .when(commands.resumeCase(), at(caseManager, times.later))
      .thenThrows(RuleBroken('command-not-allowed-in-state'));
  });

  it('is for case managers of the case region', () => {
    sut
      .given(historyIn.recovery())
      .when(commands.suspendCase(), at(lead, times.later))
      .thenThrows(NotPermitted('role-not-permitted'));
    sut
      .given(historyIn.suspended())
      .when(commands.resumeCase(), at(westYorkshireCaseManager, times.later))
      .thenThrows(NotPermitted('outside-region'));
  });
});

describe('WithdrawReferral', () => {
  it('records an adult withdrawing in writing', () => {
    sut
      .given(historyIn.recovery())
      .when(commands.withdrawReferral(), at(lead, times.later))
      .then([
        {
          type: 'ReferralWithdrawn',
          data: {
            caseId: ids.caseId,
            withdrawnAt: times.later,
            withdrawnFrom: 'recovery',
            basis: 'written-request',
            notes: 'Letter received from the person.',
          },
        },
      ]);
  });

  it('records an adult treated as withdrawn on leaving the UK, from a suspended case', () => {
    sut
      .given(historyIn.suspended())
      .when(commands.withdrawReferral({ basis: 'left-the-uk', notes: undefined }), at(lead, times.later))
      .then([
        {
          type: 'ReferralWithdrawn',
          data: { caseId: ids.caseId, withdrawnAt: times.later, withdrawnFrom: 'suspended', basis: 'left-the-uk' },
        },
      ]);
  });

  it.each([
    ['a child', childReferralData()],
    ['a person of unknown age', childReferralData({ ageGroup: 'unknown', ageGroupAtExploitation: 'unknown' })],
  ])('refuses %s (only-adults-may-withdraw)', (_who, data) => {
    sut
      .given(run([[commands.raiseReferral(data), at(lead, times.raisedAt)]]))
      .when(commands.withdrawReferral(), at(lead, times.later))
      .thenThrows(RuleBroken('only-adults-may-withdraw'));
  });
});

describe('CloseCase', () => {
  it.each([
    ['decided-positive', 'conclusive-grounds-positive'],
    ['negative-upheld', 'conclusive-grounds-negative'],
    ['assessment-negative', 'lead-assessment-negative'],
    ['suspended', 'closed-while-suspended'],
  ] as const)('closes a case that is %s as %s', (status, outcome) => {
    sut
      .given(historyIn[status]())
      .when(commands.closeCase({ notes: 'Concluded.' }), at(caseManager, times.later))
      .then([
        {
          type: 'CaseClosed',
          data: { caseId: ids.caseId, closedAt: times.later, closedFrom: status, outcome, notes: 'Concluded.' },
        },
      ]);
  });

  it('closes a negative decision overturned on review as positive', () => {
    const overturned = run(
      [[commands.completeSecondReview('overturned'), at(caseManager, times.reviewedAt)]],
      historyIn['decided-negative'](),
    );
    sut
      .given(overturned)
      .when(commands.closeCase(), at(caseManager, times.later))
      .thenEvents(([event]) => expect(event.data).toMatchObject({ outcome: 'conclusive-grounds-positive' }));
  });

  it('does not close a negative decision before its second review (command-not-allowed-in-state)', () => {
    sut
      .given(historyIn['decided-negative']())
      .when(commands.closeCase(), at(caseManager, times.later))
      .thenThrows(RuleBroken('command-not-allowed-in-state'));
  });
});

describe('a closed or withdrawn case', () => {
  it.each(['closed', 'withdrawn'] satisfies CaseStatus[])('refuses every command when %s (case-closed)', (status) => {
    for (const [command, who] of [
      [commands.addEvidence({ evidenceId: ids.newEvidenceId }), lead],
      [commands.closeCase(), caseManager],
      [commands.suspendCase(), caseManager],
      // Even from outside the case region: the case's closure is what matters.
      [commands.requestInformation(), westYorkshireCaseManager],
    ] as const) {
      sut.given(historyIn[status]()).when(command, at(who, times.later)).thenThrows(RuleBroken('case-closed'));
    }
  });
});

describe('access', () => {
  it('keeps leads and case managers to their own region', () => {
    sut
      .given(historyIn.recovery())
      .when(commands.addEvidence({ evidenceId: ids.newEvidenceId }), at(westYorkshireLead, times.later))
      .thenThrows(NotPermitted('outside-region'));
    sut
      .given(historyIn.recovery())
      .when(commands.addEvidence({ evidenceId: ids.newEvidenceId }), at(westYorkshireCaseManager, times.later))
      .thenThrows(NotPermitted('outside-region'));
  });

  it('gives read-only roles no commands', () => {
    for (const who of [actors.auditor, actors.analyst]) {
      sut
        .given(historyIn.recovery())
        .when(commands.addEvidence({ evidenceId: ids.newEvidenceId }), at(who, times.later))
        .thenThrows(NotPermitted('role-not-permitted'));
    }
  });
});

function caught(act: () => unknown): unknown {
  try {
    act();
  } catch (error) {
    return error;
  }
  throw new Error('expected a refusal');
}

function fold(events: readonly CaseEvent[]) {
  return events.reduce(evolveCase, initialCaseState());
}
