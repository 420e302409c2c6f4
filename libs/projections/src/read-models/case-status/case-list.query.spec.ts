import { DomainExamples } from '@harbour/domain';
import type { Row } from '@harbour/read-store';
import { InvalidCursorError, InvalidReadQueryError } from '../shared/read-model.errors';
import { projectionSpec, record } from '../testing/projection-spec';
import {
  caseListPage,
  caseListQuery,
  decodeCaseListCursor,
  encodeCaseListCursor,
  MAX_CASE_LIST_LIMIT,
  type CaseListSort,
} from './case-list.query';
import { caseStatusReadModel } from './case-status.read-model';

const { historyIn, ids, times } = DomainExamples;
const newestFirst: CaseListSort = { by: 'raised_at', direction: 'desc' };
const recentlyUpdated: CaseListSort = { by: 'updated_at', direction: 'desc' };

/** A stored case_status row: as projected, plus the runner's `last_position`. */
function storedRow(): Row {
  const events = record(historyIn.listed());
  const [row] = projectionSpec(caseStatusReadModel).given(events).rows();
  return { ...row, last_position: events[events.length - 1].position.toString() };
}

describe('caseListQuery', () => {
  it('asks for the first page, newest referrals first, one row more than the page to know if another follows', () => {
    expect(caseListQuery({}, newestFirst, undefined, 50)).toEqual({
      where: [],
      orderBy: [{ column: 'raised_at', direction: 'desc' }],
      limit: 51,
    });
  });

  it('turns every filter into a condition on its indexed column', () => {
    const query = caseListQuery(
      {
        region: 'south-west',
        status: ['listed', 'panel-convened'],
        ageGroup: 'child',
        exploitationType: 'criminal',
        leadId: 'lead-1',
        raisedFrom: '2015-06-01T00:00:00Z',
        raisedTo: '2015-07-01T00:00:00+01:00',
      },
      recentlyUpdated,
      undefined,
      20,
    );

    expect(query.where).toEqual([
      { column: 'region', op: '=', value: 'south-west' },
      { column: 'status', op: 'in', value: ['listed', 'panel-convened'] },
      { column: 'age_group', op: '=', value: 'child' },
      { column: 'lead_id', op: '=', value: 'lead-1' },
      { column: 'exploitation_types', op: 'contains', value: 'criminal' },
      // Canonical UTC, as the rows store times: text comparison in SQLite then follows time order.
      { column: 'raised_at', op: '>=', value: '2015-06-01T00:00:00.000Z' },
      { column: 'raised_at', op: '<', value: '2015-06-30T23:00:00.000Z' },
    ]);
    expect(query.orderBy).toEqual([{ column: 'updated_at', direction: 'desc' }]);
  });

  it('starts after the row the cursor names', () => {
    const row = storedRow();
    const cursor = encodeCaseListCursor(row, newestFirst);

    expect(caseListQuery({ region: 'south-west' }, newestFirst, cursor, 10).after).toEqual({
      raised_at: times.raisedAt,
      case_id: ids.caseId,
    });
  });

  it.each([
    ['limit 0', () => caseListQuery({}, newestFirst, undefined, 0)],
    ['limit above the maximum', () => caseListQuery({}, newestFirst, undefined, MAX_CASE_LIST_LIMIT + 1)],
    ['a fractional limit', () => caseListQuery({}, newestFirst, undefined, 2.5)],
    ['an unknown sort column', () => caseListQuery({}, { by: 'name', direction: 'asc' } as never, undefined, 5)],
    ['an unknown direction', () => caseListQuery({}, { by: 'raised_at', direction: 'up' } as never, undefined, 5)],
    ['an empty list of regions', () => caseListQuery({ region: [] }, newestFirst, undefined, 5)],
    ['an empty status', () => caseListQuery({ status: '' }, newestFirst, undefined, 5)],
    ['an empty exploitation type', () => caseListQuery({ exploitationType: '' }, newestFirst, undefined, 5)],
    ['a date without a zone', () => caseListQuery({ raisedFrom: '2015-06-01T00:00:00' }, newestFirst, undefined, 5)],
    ['a date that is not one', () => caseListQuery({ raisedTo: 'June 2015' }, newestFirst, undefined, 5)],
    [
      'an empty period',
      () =>
        caseListQuery(
          { raisedFrom: '2015-07-01T00:00:00Z', raisedTo: '2015-07-01T00:00:00Z' },
          newestFirst,
          undefined,
          5,
        ),
    ],
  ])('refuses %s', (_, query) => {
    expect(query).toThrow(InvalidReadQueryError);
  });
});

describe('case list cursors', () => {
  it('round-trips: the cursor of a row decodes to that row’s sort value and key', () => {
    const row = storedRow();
    for (const sort of [newestFirst, recentlyUpdated, { by: 'raised_at', direction: 'asc' } as const]) {
      const cursor = encodeCaseListCursor(row, sort);

      expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(decodeCaseListCursor(cursor, sort)).toEqual({ [sort.by]: row[sort.by], case_id: row.case_id });
    }
  });

  it('refuses a cursor issued for another sort order', () => {
    const cursor = encodeCaseListCursor(storedRow(), newestFirst);

    expect(() => decodeCaseListCursor(cursor, recentlyUpdated)).toThrow(InvalidCursorError);
    expect(() => decodeCaseListCursor(cursor, { by: 'raised_at', direction: 'asc' })).toThrow(InvalidCursorError);
  });

  const encode = (payload: unknown) => Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
  const valid = { v: 1, s: 'raised_at', d: 'desc', k: [times.raisedAt, ids.caseId] };

  it.each([
    ['an empty string', ''],
    ['plain text', 'next page please'],
    ['base64 with padding', `${encode(valid)}==`],
    ['standard base64 characters', encode(valid).replace(/-|_/g, '+') + '/'],
    ['a truncated cursor', encode(valid).slice(0, -3)],
    ['base64url of text that is not JSON', Buffer.from('not json').toString('base64url')],
    ['JSON that is not an object', encode([1, 2, 3])],
    ['JSON null', encode(null)],
    ['a missing key', encode({ v: 1, s: 'raised_at', d: 'desc' })],
    ['a key of the wrong length', encode({ ...valid, k: [times.raisedAt] })],
    ['a key of the wrong types', encode({ ...valid, k: [1, 2] })],
    ['another format version', encode({ ...valid, v: 2 })],
    ['a time that is not canonical', encode({ ...valid, k: ['2015-06-01T10:00:00+01:00', ids.caseId] })],
    ['a time that is not a time', encode({ ...valid, k: ['yesterday', ids.caseId] })],
    ['an empty case id', encode({ ...valid, k: [times.raisedAt, ''] })],
    ['an overlong case id', encode({ ...valid, k: [times.raisedAt, 'x'.repeat(101)] })],
    ['an overlong cursor', 'A'.repeat(513)],
  ])('refuses garbage: %s', (_, cursor) => {
    expect(() => decodeCaseListCursor(cursor, newestFirst)).toThrow(InvalidCursorError);
    expect(() => caseListQuery({}, newestFirst, cursor, 10)).toThrow(InvalidCursorError);
  });

  it('accepts the same payload it would have issued', () => {
    expect(decodeCaseListCursor(encode(valid), newestFirst)).toEqual({
      raised_at: times.raisedAt,
      case_id: ids.caseId,
    });
  });
});

describe('caseListPage', () => {
  const rows = (count: number): Row[] =>
    Array.from({ length: count }, (_, index) => ({
      ...storedRow(),
      case_id: `case-${index}`,
      raised_at: new Date(Date.UTC(2015, 5, 30 - index)).toISOString(),
    }));

  it('returns the page and a cursor after its last row when the extra row came back', () => {
    const page = caseListPage(rows(4), newestFirst, 3);

    expect(page.items.map((item) => item.caseId)).toEqual(['case-0', 'case-1', 'case-2']);
    expect(page.nextCursor).not.toBeNull();
    expect(decodeCaseListCursor(page.nextCursor ?? '', newestFirst)).toEqual({
      raised_at: '2015-06-28T00:00:00.000Z',
      case_id: 'case-2',
    });
  });

  it('has no next cursor on the last page', () => {
    expect(caseListPage(rows(3), newestFirst, 3).nextCursor).toBeNull();
    expect(caseListPage([], newestFirst, 3)).toEqual({ items: [], nextCursor: null });
  });
});
