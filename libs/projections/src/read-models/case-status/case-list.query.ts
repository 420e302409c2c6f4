import type { Condition, Row, TableQuery } from '@harbour/read-store';
import { InvalidReadQueryError, InvalidCursorError } from '../shared/read-model.errors';
import { toCaseSummary, type CaseSummary } from './case-summary.dto';
import { cursorPayload, encodeCursor, timeAndCaseIdKey } from '../shared/cursor';

/** What the case list can be filtered by. A list value matches any of its values. */
export interface CaseListFilters {
  readonly region?: string | readonly string[];
  readonly status?: string | readonly string[];
  readonly ageGroup?: string | readonly string[];
  /** Cases whose reported exploitation types include this one. */
  readonly exploitationType?: string;
  readonly leadId?: string;
  /** Raised at or after this instant (ISO-8601 with a zone). */
  readonly raisedFrom?: string;
  /** Raised strictly before this instant: half-open, so consecutive periods never overlap. */
  readonly raisedTo?: string;
  /** Only cases with (true) or without (false) a recorded, still-awaited missed deadline. */
  readonly overdue?: boolean;
}

/** The columns the case list can be ordered by. */
export const CASE_LIST_SORT_COLUMNS = ['raised_at', 'updated_at'] as const;

/** The case list's order; `case_id` breaks ties. */
export interface CaseListSort {
  readonly by: (typeof CASE_LIST_SORT_COLUMNS)[number];
  readonly direction: 'asc' | 'desc';
}

/** Newest referrals first. */
export const DEFAULT_CASE_LIST_SORT: CaseListSort = { by: 'raised_at', direction: 'desc' };

/** The largest page the case list serves. */
export const MAX_CASE_LIST_LIMIT = 200;

/** One page of the case list. */
export interface CaseListPage {
  readonly items: CaseSummary[];
  /** Pass back as `cursor` for the next page; null on the last page. */
  readonly nextCursor: string | null;
}

/**
 * The `case_status` query for one page of the case list: filters ANDed, keyset-paginated after
 * the cursor's row. It asks for `limit + 1` rows so that {@link caseListPage} can tell whether
 * another page exists without a second query or an empty last page.
 *
 * Throws `InvalidReadQueryError` on bad filters or limit, `InvalidCursorError` on a cursor
 * that is garbage or was issued for another sort order.
 */
export function caseListQuery(
  filters: CaseListFilters,
  sort: CaseListSort,
  cursor: string | undefined,
  limit: number,
): TableQuery {
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_CASE_LIST_LIMIT) {
    throw new InvalidReadQueryError('limit', `must be an integer from 1 to ${MAX_CASE_LIST_LIMIT}`);
  }
  if (!(CASE_LIST_SORT_COLUMNS as readonly string[]).includes(sort.by)) {
    throw new InvalidReadQueryError('sort', `must be one of ${CASE_LIST_SORT_COLUMNS.join(', ')}`);
  }
  if (sort.direction !== 'asc' && sort.direction !== 'desc') {
    throw new InvalidReadQueryError('direction', 'must be asc or desc');
  }
  return {
    where: conditionsOf(filters),
    orderBy: [{ column: sort.by, direction: sort.direction }],
    ...(cursor === undefined ? {} : { after: decodeCaseListCursor(cursor, sort) }),
    limit: limit + 1,
  };
}

/**
 * Turns the rows `caseListQuery` returned (up to `limit + 1`) into a page: the first `limit` as
 * DTOs, and a cursor after the last of them when more rows exist.
 */
export function caseListPage(rows: readonly Row[], sort: CaseListSort, limit: number): CaseListPage {
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    items: page.map(toCaseSummary),
    nextCursor: rows.length > limit && last !== undefined ? encodeCaseListCursor(last, sort) : null,
  };
}

function conditionsOf(filters: CaseListFilters): Condition[] {
  const where: Condition[] = [];
  const oneOrMany = (field: string, column: string, value: string | readonly string[] | undefined) => {
    if (value === undefined) return;
    const values = typeof value === 'string' ? [value] : value;
    if (values.length === 0) throw new InvalidReadQueryError(field, 'give at least one value');
    if (values.some((item) => item === '')) throw new InvalidReadQueryError(field, 'must not be empty');
    where.push(values.length === 1 ? { column, op: '=', value: values[0] } : { column, op: 'in', value: values });
  };
  oneOrMany('region', 'region', filters.region);
  oneOrMany('status', 'status', filters.status);
  oneOrMany('ageGroup', 'age_group', filters.ageGroup);
  oneOrMany('leadId', 'lead_id', filters.leadId);
  if (filters.exploitationType !== undefined) {
    if (filters.exploitationType === '') throw new InvalidReadQueryError('exploitationType', 'must not be empty');
    where.push({ column: 'exploitation_types', op: 'contains', value: filters.exploitationType });
  }
  const from = filters.raisedFrom === undefined ? undefined : instant('raisedFrom', filters.raisedFrom);
  const to = filters.raisedTo === undefined ? undefined : instant('raisedTo', filters.raisedTo);
  if (from !== undefined && to !== undefined && from >= to) {
    throw new InvalidReadQueryError('raisedTo', 'must be after raisedFrom');
  }
  if (from !== undefined) where.push({ column: 'raised_at', op: '>=', value: from });
  if (to !== undefined) where.push({ column: 'raised_at', op: '<', value: to });
  if (filters.overdue !== undefined) where.push({ column: 'overdue', op: '=', value: filters.overdue });
  return where;
}

// Same rule as the domain: RFC 3339 with a zone, so "June 1" or a zoneless local time is refused
// rather than read in the server's time zone.
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

// Stored times are canonical UTC (`toISOString`), and compare as text in SQLite: bounds must be
// in the same form.
function instant(field: string, value: string): string {
  const ms = ISO_INSTANT.test(value) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(ms)) throw new InvalidReadQueryError(field, 'must be an ISO-8601 date-time with a zone');
  return new Date(ms).toISOString();
}

/** Cursor format version: a change of format must not misread old cursors. */
const CURSOR_VERSION = 1;
// Well above a real cursor (~150 characters): longer input is refused before decoding it.
const MAX_CURSOR_LENGTH = 512;

interface CursorPayload {
  readonly v: number;
  /** The sort it was issued for: `by` and `direction`. */
  readonly s: string;
  readonly d: string;
  /** The last row's sort value and case id. */
  readonly k: readonly [string, string];
}

/**
 * An opaque cursor after `row` in the `sort` order: base64url of JSON holding the row's sort
 * value and key, and the sort itself so it cannot be replayed against another order.
 */
export function encodeCaseListCursor(row: Row, sort: CaseListSort): string {
  const value = row[sort.by];
  const caseId = row.case_id;
  if (typeof value !== 'string' || typeof caseId !== 'string') {
    throw new InvalidReadQueryError('cursor', `a case_status row needs ${sort.by} and case_id to page after it`);
  }
  const payload: CursorPayload = { v: CURSOR_VERSION, s: sort.by, d: sort.direction, k: [value, caseId] };
  return encodeCursor(payload);
}

/**
 * The `after` row of a cursor from {@link encodeCaseListCursor}: `{ [sort.by]: value, case_id }`.
 * Throws `InvalidCursorError` for anything else: bad encoding, bad JSON, a wrong shape, a value
 * that is not a canonical time, or a cursor issued for another sort order.
 */
export function decodeCaseListCursor(cursor: string, sort: CaseListSort): Row {
  const payload = cursorPayload(cursor, MAX_CURSOR_LENGTH);
  if (!isCursorPayload(payload)) throw new InvalidCursorError('not a cursor this API issued');
  if (payload.v !== CURSOR_VERSION) throw new InvalidCursorError(`cursor version ${payload.v} is not supported`);
  if (payload.s !== sort.by || payload.d !== sort.direction) {
    throw new InvalidCursorError(`issued for sort ${payload.s} ${payload.d}, used with ${sort.by} ${sort.direction}`);
  }
  const { time, caseId } = timeAndCaseIdKey(payload.k, sort.by);
  return { [sort.by]: time, case_id: caseId };
}

function isCursorPayload(value: unknown): value is CursorPayload {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const { v, s, d, k } = value as Record<string, unknown>;
  return (
    typeof v === 'number' &&
    typeof s === 'string' &&
    typeof d === 'string' &&
    Array.isArray(k) &&
    k.length === 2 &&
    typeof k[0] === 'string' &&
    typeof k[1] === 'string'
  );
}
