import { DomainExamples } from '@harbour/domain';
import { findProjection, PROJECTIONS } from '../../registry';
import { RowNotFoundError } from '../shared/read-model.errors';
import { personalDataIn, personalValuesIn } from '../../../test/support/personal-data';
import { projectionSpec, record } from '../testing/projection-spec';
import { caseStatisticsReadModel, routeOfWorkflow, STATISTICS } from './case-statistics.read-model';
import { subjectCategoriesOf } from './statistics-subject.adapter';

const { exampleCaseStreams, historyIn, centralHistoryIn, ids, times, PANEL_ID } = DomainExamples;
const sut = projectionSpec(caseStatisticsReadModel);

// The example streams reuse case ids, so each is projected on its own.
const exampleRows = () => exampleCaseStreams().flatMap((stream) => sut.given(record(stream)).rows());

describe('case_statistics read model', () => {
  it('opens a row of categories when a referral is raised: age at exploitation, gender as a category', () => {
    sut.given(record(historyIn.referred())).then([
      {
        case_id: ids.caseId,
        route: 'pilot',
        workflow_id: 'nrm-pilot-2015',
        region: 'south-west',
        police_force_area: 'avon-and-somerset',
        age_group: 'adult',
        gender: 'female',
        exploitation_types: ['labour'],
        exploitation_location: 'both',
        first_responder_type: 'local-authority',
        referred_at: times.raisedAt,
        status: 'referred',
        status_history: [[times.raisedAt, 'referred']],
        milestones: [],
        revision: 0,
      },
    ]);
  });

  it('records a pilot case through its panel: first gate, listing, sitting with attendance by agency, decision', () => {
    sut.given(record(historyIn['decided-positive']())).thenMatch([
      {
        status: 'decided-positive',
        status_history: [
          [times.raisedAt, 'referred'],
          [times.assessedAt, 'recovery'],
          [times.listedAt, 'listed'],
          [times.meetingAt, 'panel-convened'],
          [times.decidedAt, 'decided-positive'],
        ],
        milestones: [
          { kind: 'first-gate', at: times.assessedAt, gate: 'lead-assessment', outcome: 'positive' },
          { kind: 'listed', at: times.listedAt, panelId: PANEL_ID, urgent: false },
          { kind: 'panel-sitting', at: times.meetingAt, panelId: PANEL_ID, meetingId: ids.meetingId },
          { kind: 'conclusive-decision', at: times.decidedAt, outcome: 'positive', by: 'panel' },
        ],
      },
    ]);
    const [row] = sut.given(record(historyIn['decided-positive']())).rows();
    const sitting = row.milestones.find((milestone) => milestone.kind === 'panel-sitting');
    expect(sitting && 'byAgency' in sitting && Object.values(sitting.byAgency).reduce((a, b) => a + b, 0)).toBe(5);
  });

  it('records the central route: the allocation by nationality, a reasonable grounds decision and a competent authority decision, each with the authority that made it', () => {
    sut.given(record(centralHistoryIn['negative-upheld']())).thenMatch([
      {
        route: 'central',
        status: 'negative-upheld',
        milestones: [
          { kind: 'allocated', authority: 'uk-human-trafficking-centre', basis: 'eea-national' },
          {
            kind: 'first-gate',
            gate: 'reasonable-grounds',
            outcome: 'positive',
            authority: 'uk-human-trafficking-centre',
          },
          {
            kind: 'conclusive-decision',
            outcome: 'negative',
            by: 'competent-authority',
            meetingId: null,
            authority: 'uk-human-trafficking-centre',
          },
          { kind: 'second-review', outcome: 'upheld' },
        ],
      },
    ]);
  });

  it('records deadline misses at the time they fell due, suspensions, withdrawals and closures', () => {
    const rows = exampleRows();
    const child = rows.find((row) => row.case_id === ids.childCaseId);
    expect(child?.milestones).toEqual([
      { kind: 'deadline-missed', at: '2015-06-08T09:00:00.000Z', deadline: 'lead-assessment' },
    ]);
    const kinds = new Set(rows.flatMap((row) => row.milestones.map((milestone) => milestone.kind)));
    expect([...kinds].sort()).toEqual(
      [
        'allocated',
        'closed',
        'conclusive-decision',
        'deadline-missed',
        'first-gate',
        'information-requested',
        'listed',
        'panel-sitting',
        'reconsideration-requested',
        'resumed',
        'second-review',
        'suspended',
        'withdrawn',
      ].sort(),
    );
  });

  it('holds no personal data: no value the schemas mark personal reaches a row', () => {
    for (const stream of exampleCaseStreams()) {
      const events = record(stream);
      const personal = personalValuesIn(events);
      expect(personal.size).toBeGreaterThan(0);
      expect(
        sut
          .given(events)
          .rows()
          .flatMap((row) => personalDataIn(row, personal)),
      ).toEqual([]);
    }
  });

  it('needs the referral first', () => {
    sut.given(record(historyIn.recovery()).slice(2)).thenThrows(RowNotFoundError);
  });

  it('handles every type it names', () => {
    exampleRows();
    expect(sut.exercisedTypes()).toEqual([...caseStatisticsReadModel.handles].sort());
  });

  it('is registered as its own projection', () => {
    expect(PROJECTIONS).toContain(STATISTICS);
    expect(findProjection('statistics')).toBe(STATISTICS);
  });
});

describe('subjectCategoriesOf (the one reader of subject data)', () => {
  it('passes a known gender through and counts anything else (ciphertext, erased) as not known', () => {
    expect(subjectCategoriesOf({ gender: 'male', name: 'x' })).toEqual({ gender: 'male' });
    expect(subjectCategoriesOf({ gender: 'v1:AES-GCM:abcdef' })).toEqual({ gender: 'not-known' });
    expect(subjectCategoriesOf('ciphertext')).toEqual({ gender: 'not-known' });
    expect(subjectCategoriesOf(undefined)).toEqual({ gender: 'not-known' });
  });
});

describe('routeOfWorkflow', () => {
  it('names the pilot and the central route by their definitions', () => {
    expect([routeOfWorkflow('nrm-pilot-2015'), routeOfWorkflow('nrm-central-2015'), routeOfWorkflow('x')]).toEqual([
      'pilot',
      'central',
      'other',
    ]);
  });
});
