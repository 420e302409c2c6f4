import {
  decodeEvent,
  meetingStreamName,
  UndecodableEventError,
  type MeetingCaseOutcomeRecorded,
  type MeetingScheduled,
} from '@harbour/domain';
import type { RecordedEvent } from '@harbour/event-store';
import type { ColumnSpec } from '@harbour/read-store';
import type { ReadModel } from '../../projection';
import { alreadyApplied, canonicalTime, revisionValue } from '../shared/case-event.reader';
import { ContradictoryEventError, RowNotFoundError, UnreadableEventError } from '../shared/read-model.errors';

/** What a panel meeting did with one agenda item, and when (no case id: the statistics need none). */
export interface MeetingOutcomeFact {
  readonly at: string;
  readonly outcome: 'decided' | 'deferred' | 'adjourned';
}

/**
 * One row per panel meeting: its panel, when it sat, and the outcome of each case it heard. The
 * reports count meetings held and cases deferred or adjourned by quarter and panel from it.
 */
export type PanelMeetingStatisticsRow = {
  readonly meeting_id: string;
  readonly panel_id: string;
  readonly meeting_at: string;
  readonly outcomes: readonly MeetingOutcomeFact[];
  /** The meeting stream revision that last changed the row (idempotency). */
  readonly revision: number;
};

export const PANEL_MEETING_STATISTICS_TABLE = 'panel_meeting_statistics';

const COLUMNS: { readonly [Column in keyof PanelMeetingStatisticsRow]-?: ColumnSpec } = {
  meeting_id: { type: 'text' },
  panel_id: { type: 'text' },
  meeting_at: { type: 'timestamp' },
  outcomes: { type: 'json' },
  revision: { type: 'integer' },
};

const HANDLED = ['MeetingScheduled', 'MeetingCaseOutcomeRecorded'] as const;

function meetingEventOf(event: RecordedEvent): MeetingScheduled | MeetingCaseOutcomeRecorded | undefined {
  if (!(HANDLED as readonly string[]).includes(event.type)) return undefined;
  let decoded: MeetingScheduled | MeetingCaseOutcomeRecorded;
  try {
    decoded = decodeEvent<MeetingScheduled | MeetingCaseOutcomeRecorded>(event);
  } catch (error) {
    if (error instanceof UndecodableEventError) throw new UnreadableEventError(event.id, error.message);
    throw error;
  }
  if (event.stream !== meetingStreamName(decoded.data.meetingId)) {
    throw new UnreadableEventError(event.id, `meeting ${decoded.data.meetingId} is in stream ${event.stream}`);
  }
  return decoded;
}

/** The `panel_meeting_statistics` read model (see {@link PanelMeetingStatisticsRow}). */
export const panelMeetingStatisticsReadModel: ReadModel<PanelMeetingStatisticsRow> = {
  table: PANEL_MEETING_STATISTICS_TABLE,
  columns: COLUMNS,
  key: ['meeting_id'],
  indexes: [['meeting_at']],
  handles: HANDLED,
  keyOf: (event) => {
    const meeting = meetingEventOf(event);
    return meeting && { meeting_id: meeting.data.meetingId };
  },
  evolve: (row, recorded) => {
    const event = meetingEventOf(recorded);
    if (!event || alreadyApplied(row, recorded)) return row;
    if (event.type === 'MeetingScheduled') {
      if (row !== null) {
        throw new ContradictoryEventError(PANEL_MEETING_STATISTICS_TABLE, row.meeting_id, 'scheduled a second time');
      }
      return {
        meeting_id: event.data.meetingId,
        panel_id: event.data.panelId,
        meeting_at: canonicalTime(event.data.meetingAt, recorded),
        outcomes: [],
        revision: revisionValue(recorded),
      };
    }
    if (row === null) throw new RowNotFoundError(PANEL_MEETING_STATISTICS_TABLE, event.data.meetingId, event.type);
    return {
      ...row,
      outcomes: [...row.outcomes, { at: canonicalTime(event.data.recordedAt, recorded), outcome: event.data.outcome }],
      revision: revisionValue(recorded),
    };
  },
};
