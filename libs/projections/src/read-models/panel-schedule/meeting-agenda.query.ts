import type { Row, TableQuery } from '@harbour/read-store';
import { InvalidReadQueryError } from '../shared/read-model.errors';
import { toPanelScheduleEntries, type PanelScheduleEntry } from './panel-schedule.dto';

/** The most cases a meeting agenda returns (a pilot panel hears a handful per sitting). */
export const MAX_AGENDA_LIMIT = 200;

/** Options of {@link meetingAgendaQuery}. */
export interface MeetingAgendaOptions {
  /** Also the cases that were relisted away from this meeting (or decided at it and listed again since). */
  readonly includeMovedOn?: boolean;
  readonly limit?: number;
}

/**
 * The `panel_schedule` query for one meeting's agenda. `panel_schedule` has one row per case, its
 * current listing in columns: the cases now listed to the meeting match `meeting_id`, and those
 * that moved on from it match `meeting_ids contains`. Pair with {@link meetingAgenda}.
 */
export function meetingAgendaQuery(meetingId: string, options: MeetingAgendaOptions = {}): TableQuery {
  const limit = options.limit ?? MAX_AGENDA_LIMIT;
  if (meetingId === '') throw new InvalidReadQueryError('meetingId', 'must not be empty');
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_AGENDA_LIMIT) {
    throw new InvalidReadQueryError('limit', `must be an integer from 1 to ${MAX_AGENDA_LIMIT}`);
  }
  return {
    where: [
      options.includeMovedOn
        ? { column: 'meeting_ids', op: 'contains', value: meetingId }
        : { column: 'meeting_id', op: '=', value: meetingId },
    ],
    limit,
  };
}

/**
 * The agenda entries of `meetingId` in rows from {@link meetingAgendaQuery}: one per (meeting,
 * case) listing, the relisted ones included, in the order the cases were listed.
 */
export function meetingAgenda(rows: readonly Row[], meetingId: string): PanelScheduleEntry[] {
  return rows
    .flatMap(toPanelScheduleEntries)
    .filter((entry) => entry.meetingId === meetingId)
    .sort((a, b) => (a.listedAt < b.listedAt ? -1 : a.listedAt > b.listedAt ? 1 : a.caseId < b.caseId ? -1 : 1));
}
