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
      .when(reportDutyToNotify(), at(westYorkshireLead, times.raisedAt))
      .then([
        {
          type: 'DutyToNotifyReported',
          data: {
            reportId: ids.reportId,
            reportedAt: times.raisedAt,
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
        .when(reportDutyToNotify(dutyToNotifyData({ ageGroup })), at(westYorkshireLead, times.raisedAt))
        .thenThrows(RuleBroken('dtn-adults-only'));
    },
  );

  it('refuses a force outside the region (force-not-in-region)', () => {
    sut
      .given([])
      .when(reportDutyToNotify(dutyToNotifyData({ policeForceArea: 'dorset' })), at(westYorkshireLead, times.raisedAt))
      .thenThrows(RuleBroken('force-not-in-region'));
  });

  it('needs an exploitation type (selection-required) and a reporting agency (text-required)', () => {
    sut
      .given([])
      .when(reportDutyToNotify(dutyToNotifyData({ exploitationTypes: [] })), at(westYorkshireLead, times.raisedAt))
      .thenThrows(RuleBroken('selection-required'));
    sut
      .given([])
      .when(reportDutyToNotify(dutyToNotifyData({ reportingAgency: ' ' })), at(westYorkshireLead, times.raisedAt))
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
      .when(reportDutyToNotify(), at(actors.lead, times.raisedAt))
      .thenThrows(NotPermitted('outside-region'));
    sut
      .given([])
      .when(reportDutyToNotify(), at({ ...actors.caseManager, region: 'west-yorkshire' }, times.raisedAt))
      .thenThrows(NotPermitted('role-not-permitted'));
  });

  it('refuses a business time that is not ISO-8601 (invalid-date-time)', () => {
    sut.given([]).when(reportDutyToNotify(), at(westYorkshireLead, '')).thenThrows(RuleBroken('invalid-date-time'));
  });

  it('folds into a reported state', () => {
    expect(exampleDtnEvents().reduce(evolveDtn, initialDtnState())).toEqual({
      status: 'reported',
      reportId: ids.reportId,
      region: 'west-yorkshire',
      reportedAt: times.raisedAt,
    });
    expect(dtnStreamName(ids.reportId)).toBe(`dtn-${ids.reportId}`);
  });
});

describe('evolveDtn', () => {
  it('refuses a history with a second report on the same stream: a report is made once', () => {
    const [reported] = decideDtn(reportDutyToNotify(), initialDtnState(), at(westYorkshireLead, times.raisedAt));
    const state = evolveDtn(initialDtnState(), reported);
    expect(state.status).toBe('reported');
    expect(() => evolveDtn(state, reported)).toThrow(InvalidHistoryError);
  });
});
