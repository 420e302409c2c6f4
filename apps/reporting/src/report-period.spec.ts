import { lastCompletePeriod, parsePeriod, quarterOf, shiftQuarter } from './report-period';

describe('lastCompletePeriod', () => {
  it.each([
    ['2026-12-03T09:00:00Z', '2026-Q3'],
    ['2026-10-01T00:00:00Z', '2026-Q3'],
    ['2026-09-30T23:59:59Z', '2026-Q3'], // 00:59 BST on 1 October: Q3 is complete
    ['2026-09-30T22:59:59Z', '2026-Q2'],
    ['2027-01-15T12:00:00Z', '2026-Q4'],
  ])('on %s is %s', (now, label) => {
    expect(lastCompletePeriod(new Date(now)).label).toBe(label);
  });
});

describe('periods in UK local time (Europe/London)', () => {
  const contains = (label: string, instant: string) => {
    const period = parsePeriod(label)!;
    const time = Date.parse(instant);
    return time >= Date.parse(period.start) && time < Date.parse(period.end);
  };

  it('puts a referral at 23:30 UTC on 30 June (00:30 BST on 1 July) in Q3, not Q2', () => {
    expect(contains('2026-Q3', '2026-06-30T23:30:00Z')).toBe(true);
    expect(contains('2026-Q2', '2026-06-30T23:30:00Z')).toBe(false);
    expect(quarterOf(Date.parse('2026-06-30T23:30:00Z'))).toBe('2026-Q3');
    expect(contains('2026-Q2', '2026-06-30T22:59:59.999Z')).toBe(true);
  });

  it('starts summer quarters at 23:00 UTC the evening before and winter ones at midnight UTC', () => {
    expect(parsePeriod('2026-Q3')).toMatchObject({
      start: '2026-06-30T23:00:00.000Z',
      end: '2026-09-30T23:00:00.000Z',
      description: '1 July to 30 September 2026',
      kind: 'quarter',
    });
    // Q1 starts in GMT and ends in BST (the clocks go forward on the last Sunday of March).
    expect(parsePeriod('2026-Q1')).toMatchObject({
      start: '2026-01-01T00:00:00.000Z',
      end: '2026-03-31T23:00:00.000Z',
    });
    expect(parsePeriod('2026-Q4')).toMatchObject({
      start: '2026-09-30T23:00:00.000Z',
      end: '2027-01-01T00:00:00.000Z',
    });
  });

  it('reads a year as the annual summary, 1 January to 31 December in UK time', () => {
    expect(parsePeriod('2026')).toMatchObject({
      start: '2026-01-01T00:00:00.000Z',
      end: '2027-01-01T00:00:00.000Z',
      description: '1 January to 31 December 2026',
      kind: 'year',
    });
    expect(parsePeriod('2026-Q5')).toBeUndefined();
    expect(parsePeriod('26')).toBeUndefined();
  });

  it('steps back a quarter and a year', () => {
    const q1 = parsePeriod('2026-Q1')!;
    expect(shiftQuarter(q1, -1).label).toBe('2025-Q4');
    expect(shiftQuarter(q1, -4).label).toBe('2025-Q1');
  });
});
