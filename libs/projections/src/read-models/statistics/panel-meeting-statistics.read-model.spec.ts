import { meetingStreamName } from '@harbour/domain';
import type { JsonObject, RecordedEvent } from '@harbour/event-store';
import { projectionSpec } from '../testing/projection-spec';
import { panelMeetingStatisticsReadModel } from './panel-meeting-statistics.read-model';

const MEETING = '6f1c2d3e-4b5a-4c6d-8e7f-1a2b3c4d5e6f';
const sut = projectionSpec(panelMeetingStatisticsReadModel);

function recorded(type: string, data: Record<string, unknown>, revision: bigint, meetingId = MEETING): RecordedEvent {
  return {
    id: `00000000-0000-4000-8000-${String(revision).padStart(12, '0')}`,
    stream: meetingStreamName(meetingId),
    revision,
    position: 3000n + revision,
    type,
    data: { meetingId, ...data } as JsonObject,
    metadata: { occurredAt: '2015-10-20T10:00:00.000Z', schemaVersion: 1 },
    recordedAt: new Date('2015-10-20T10:00:05Z'),
  };
}

const scheduled = recorded(
  'MeetingScheduled',
  {
    panelId: 'south-west-panel',
    scheduledAt: '2015-10-01T09:00:00Z',
    meetingAt: '2015-10-20T10:00:00Z',
    venue: { kind: 'remote', details: 'https://meet.example/sw' },
    chairId: 'chair-1',
    members: [],
  },
  0n,
);
const outcome = (revision: bigint, value: string, recordedAt: string) =>
  recorded(
    'MeetingCaseOutcomeRecorded',
    {
      caseId: `00000000-0000-4000-8000-00000000000${revision}`,
      recordedAt,
      outcome: value,
      decisionId: null,
      decision: null,
      reason: 'Why',
      votes: [],
      chairCastingVote: null,
      votingRule: 'majority-chair-casting-vote',
    },
    revision,
  );

describe('panel_meeting_statistics read model', () => {
  it('keeps one row per meeting: its panel, when it sat, and each outcome (no case ids)', () => {
    sut
      .given([
        scheduled,
        outcome(1n, 'decided', '2015-10-20T10:15:00Z'),
        outcome(2n, 'deferred', '2015-10-20T10:35:00Z'),
        outcome(3n, 'adjourned', '2015-10-20T10:55:00Z'),
      ])
      .then([
        {
          meeting_id: MEETING,
          panel_id: 'south-west-panel',
          meeting_at: '2015-10-20T10:00:00.000Z',
          outcomes: [
            { at: '2015-10-20T10:15:00.000Z', outcome: 'decided' },
            { at: '2015-10-20T10:35:00.000Z', outcome: 'deferred' },
            { at: '2015-10-20T10:55:00.000Z', outcome: 'adjourned' },
          ],
          revision: 3,
        },
      ]);
  });

  it('applies an event delivered twice once', () => {
    const deferred = outcome(1n, 'deferred', '2015-10-20T10:15:00Z');
    sut.given([scheduled, deferred, deferred]).thenMatch([{ outcomes: [{ outcome: 'deferred' }], revision: 1 }]);
  });
});
