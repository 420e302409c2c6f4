import type { Row } from '@harbour/read-store';
import { InvalidCursorError } from '../shared/read-model.errors';
import { toPanelScheduleEntry, type PanelScheduleEntry } from './panel-schedule.dto';
import { cursorPayload, encodeCursor, timeAndCaseIdKey } from '../shared/cursor';

/** One page of the panel schedule, by meeting time (case id breaks ties). */
export interface PanelSchedulePage {
  readonly items: PanelScheduleEntry[];
  /** Pass back as `cursor` for the next page; null on the last page. */
  readonly nextCursor: string | null;
}

/** The panel schedule's order: earliest meeting first; the read store appends the key, `case_id`. */
export const PANEL_SCHEDULE_ORDER = [{ column: 'meeting_at', direction: 'asc' }] as const;

const CURSOR_VERSION = 1;
const MAX_CURSOR_LENGTH = 512;

/**
 * The page of `panel_schedule` rows a query with `limit + 1` returned: the first `limit` as
 * entries, and a cursor after the last of them when more rows exist.
 */
export function panelSchedulePage(rows: readonly Row[], limit: number): PanelSchedulePage {
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    items: page.map(toPanelScheduleEntry),
    nextCursor: rows.length > limit && last !== undefined ? encodePanelScheduleCursor(last) : null,
  };
}

/** An opaque cursor after `row`: base64url of JSON holding its meeting time and case id. */
export function encodePanelScheduleCursor(row: Row): string {
  const { meeting_at: meetingAt, case_id: caseId } = row;
  if (typeof meetingAt !== 'string' || typeof caseId !== 'string') {
    throw new InvalidCursorError('a panel_schedule row needs meeting_at and case_id to page after it');
  }
  return encodeCursor({ v: CURSOR_VERSION, k: [meetingAt, caseId] });
}

/**
 * The `after` row of a cursor from {@link encodePanelScheduleCursor}. Throws `InvalidCursorError`
 * for anything else: bad encoding, bad JSON, a wrong shape, or a meeting time that is not canonical.
 */
export function decodePanelScheduleCursor(cursor: string): Row {
  const payload = cursorPayload(cursor, MAX_CURSOR_LENGTH);
  if (typeof payload !== 'object' || payload === null || !('v' in payload) || payload.v !== CURSOR_VERSION) {
    throw new InvalidCursorError('not a cursor this API issued');
  }
  const { time, caseId } = timeAndCaseIdKey('k' in payload ? payload.k : undefined, 'meeting_at');
  return { meeting_at: time, case_id: caseId };
}
