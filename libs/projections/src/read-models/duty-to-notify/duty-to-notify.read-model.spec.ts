import { DomainExamples, dtnStreamName } from '@harbour/domain';
import type { JsonObject, RecordedEvent } from '@harbour/event-store';
import { projectionSpec } from '../testing/projection-spec';
import { dutyToNotifyReadModel, nationalityGroupOf } from './duty-to-notify.read-model';

const { exampleDtnEvents, ids, times } = DomainExamples;
const sut = projectionSpec(dutyToNotifyReadModel);

function recorded(overrides: Record<string, unknown> = {}, revision = 0n): RecordedEvent {
  const [event] = exampleDtnEvents();
  return {
    id: `00000000-0000-4000-8000-${String(revision).padStart(12, '0')}`,
    stream: dtnStreamName(ids.reportId),
    revision,
    position: 2000n + revision,
    type: event!.type,
    data: { ...(JSON.parse(JSON.stringify(event!.data)) as JsonObject), ...overrides } as JsonObject,
    metadata: { occurredAt: times.notifiedAt, schemaVersion: 1 },
    recordedAt: new Date(Date.parse(times.notifiedAt) + 5000),
  };
}

describe('duty_to_notify read model', () => {
  it('keeps one row of categories per anonymous report', () => {
    sut.given([recorded()]).then([
      {
        report_id: ids.reportId,
        reported_at: times.notifiedAt,
        region: 'west-yorkshire',
        police_force_area: 'west-yorkshire',
        authority_type: 'police',
        reporting_agency: 'west-yorkshire-police',
        age_group: 'adult',
        gender: 'male',
        nationality_group: 'non-eea',
        exploitation_types: ['labour', 'criminal'],
        exploitation_location: 'uk',
        refusal_reason: 'distrust-of-authorities',
        revision: 0,
      },
    ]);
  });

  it('groups nationality as the statistics publish it: UK, EEA (2015), other, unknown', () => {
    expect(['GBR', 'POL', 'NOR', 'ALB', 'XXA', 'XXX'].map(nationalityGroupOf)).toEqual([
      'uk',
      'eea',
      'eea',
      'non-eea',
      'non-eea',
      'unknown',
    ]);
  });

  it('holds no column that could identify a person', () => {
    const columns = Object.keys(dutyToNotifyReadModel.columns);
    for (const forbidden of ['name', 'birth', 'nationality', 'contact', 'address', 'notes', 'account']) {
      expect(columns.filter((column) => column.includes(forbidden) && column !== 'nationality_group')).toEqual([]);
    }
  });
});
