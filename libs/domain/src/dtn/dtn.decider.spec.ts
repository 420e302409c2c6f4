import { deciderSpecification, NotPermitted, RuleBroken } from '../testing/decider.specification';
import {
  actors,
  at,
  dutyToNotifyData,
  exampleDtnEvents,
  ids,
  reportDutyToNotify,
  times,
} from '../testing/domain.examples';
import { decideDtn, evolveDtn, initialDtnState } from './dtn.decider';
import { InvalidHistoryError } from '../shared/domain.errors';
import { dtnStreamName } from './dtn.events';

const sut = deciderSpecification({ initialState: initialDtnState, decide: decideDtn, evolve: evolveDtn });
const { westYorkshireLead } = actors;

describe('ReportDutyToNotify', () => {
  it('records an anonymous report for an adult who would not consent', () => {
    sut
      .given([])
      .when(reportDutyToNotify(), at(westYorkshireLead, times.notifiedAt))
      .then([
        {
          type: 'DutyToNotifyReported',
          data: {
            reportId: ids.reportId,
            reportedAt: times.notifiedAt,
            region: 'west-yorkshire',
            policeForceArea: 'west-yorkshire',
            ageGroup: 'adult',
            gender: 'male',
            nationality: 'ALB',
            exploitationTypes: ['labour', 'criminal'],
            exploitationLocation: 'uk',
            reportingAgency: 'west-yorkshire-police',
            firstResponderType: 'police',
            refusalReason: 'distrust-of-authorities',
          },
        },
      ]);
  });

  it.each(['child', 'unknown'] as const)(
    'refuses a report for a %s: they are referred (dtn-adults-only)',
    (ageGroup) => {
      sut
        .given([])
        .when(reportDutyToNotify(dutyToNotifyData({ ageGroup })), at(westYorkshireLead, times.notifiedAt))
        .thenThrows(RuleBroken('dtn-adults-only'));
    },
  );

  it('refuses a force outside the region (force-not-in-region)', () => {
    sut
      .given([])
      .when(
        reportDutyToNotify(dutyToNotifyData({ policeForceArea: 'dorset' })),
        at(westYorkshireLead, times.notifiedAt),
      )
      .thenThrows(RuleBroken('force-not-in-region'));
  });

  it('needs an exploitation type (selection-required) and a reporting agency (text-required)', () => {
    sut
      .given([])
      .when(reportDutyToNotify(dutyToNotifyData({ exploitationTypes: [] })), at(westYorkshireLead, times.notifiedAt))
      .thenThrows(RuleBroken('selection-required'));
    sut
      .given([])
      .when(reportDutyToNotify(dutyToNotifyData({ reportingAgency: ' ' })), at(westYorkshireLead, times.notifiedAt))
      .thenThrows(RuleBroken('text-required'));
  });

  it('is reported once (dtn-already-reported)', () => {
    sut
      .given(exampleDtnEvents())
      .when(reportDutyToNotify(), at(westYorkshireLead, times.later))
      .thenThrows(RuleBroken('dtn-already-reported'));
  });

  it('is for a lead, in their own region', () => {
    sut
      .given([])
      .when(reportDutyToNotify(), at(actors.lead, times.notifiedAt))
      .thenThrows(NotPermitted('outside-region'));
    sut
      .given([])
      .when(reportDutyToNotify(), at({ ...actors.caseManager, region: 'west-yorkshire' }, times.notifiedAt))
      .thenThrows(NotPermitted('role-not-permitted'));
  });

  describe('who must notify (s.52; dtn-not-a-notifying-authority)', () => {
    it.each([
      ['a police force', 'west-yorkshire-police'],
      ['a local authority', 'leeds-city-council'],
      ['the NCA (statute)', 'national-crime-agency'],
      ['the GLA (statute)', 'glaa'],
      ['UKVI (policy)', 'uk-visas-and-immigration'],
      ['Border Force (policy)', 'border-force'],
      ['Immigration Enforcement (policy)', 'immigration-enforcement'],
    ])('accepts %s', (_, agency) => {
      const events = decideDtn(
        reportDutyToNotify(),
        initialDtnState(),
        at({ ...westYorkshireLead, agency }, times.notifiedAt),
      );
      expect(events.map((event) => event.type)).toEqual(['DutyToNotifyReported']);
    });

    it.each([
      ['an NGO', 'salvation-army'],
      ['another NGO', 'barnardos'],
      ['a health body', 'nhs-west-yorkshire'],
      ['an organisation the registry does not know', 'test-agency'],
    ])('refuses %s', (_, agency) => {
      sut
        .given([])
        .when(reportDutyToNotify(), at({ ...westYorkshireLead, agency }, times.notifiedAt))
        .thenThrows(RuleBroken('dtn-not-a-notifying-authority'));
    });
  });

  describe('when the duty is in force (dtn-before-commencement)', () => {
    it('refuses a notification before 1 November 2015', () => {
      sut
        .given([])
        .when(reportDutyToNotify(), at(westYorkshireLead, '2015-10-31T23:59:59.999Z'))
        .thenThrows(RuleBroken('dtn-before-commencement'));
    });

    it('accepts one from the first moment of 1 November 2015', () => {
      const events = decideDtn(
        reportDutyToNotify(),
        initialDtnState(),
        at(westYorkshireLead, '2015-11-01T00:00:00.000Z'),
      );
      expect(events).toHaveLength(1);
    });
  });

  describe('where the duty runs (dtn-england-and-wales-only)', () => {
    it.each([
      ['scotland', 'police-scotland'],
      ['northern-ireland', 'police-service-of-northern-ireland'],
    ] as const)('refuses a notification from %s', (region, policeForceArea) => {
      const notifier = { ...westYorkshireLead, region, agency: `${policeForceArea}-police` };
      sut
        .given([])
        .when(reportDutyToNotify(dutyToNotifyData({ region, policeForceArea })), at(notifier, times.notifiedAt))
        .thenThrows(RuleBroken('dtn-england-and-wales-only'));
    });

    it('accepts one from Wales', () => {
      const notifier = { ...westYorkshireLead, region: 'wales', agency: 'south-wales-police' };
      const data = dutyToNotifyData({ region: 'wales', policeForceArea: 'south-wales' });
      expect(decideDtn(reportDutyToNotify(data), initialDtnState(), at(notifier, times.notifiedAt))).toHaveLength(1);
    });
  });

  it('refuses a business time that is not ISO-8601 (invalid-date-time)', () => {
    sut.given([]).when(reportDutyToNotify(), at(westYorkshireLead, '')).thenThrows(RuleBroken('invalid-date-time'));
  });

  it('folds into a reported state', () => {
    expect(exampleDtnEvents().reduce(evolveDtn, initialDtnState())).toEqual({
      status: 'reported',
      reportId: ids.reportId,
      region: 'west-yorkshire',
      reportedAt: times.notifiedAt,
    });
    expect(dtnStreamName(ids.reportId)).toBe(`dtn-${ids.reportId}`);
  });
});

describe('evolveDtn', () => {
  it('refuses a history with a second report on the same stream: a report is made once', () => {
    const [reported] = decideDtn(reportDutyToNotify(), initialDtnState(), at(westYorkshireLead, times.notifiedAt));
    const state = evolveDtn(initialDtnState(), reported);
    expect(state.status).toBe('reported');
    expect(() => evolveDtn(state, reported)).toThrow(InvalidHistoryError);
  });
});
