import { lastCompletePeriod } from './report-period';

describe('lastCompletePeriod', () => {
  it.each([
    ['2026-12-03T09:00:00Z', '2026-Q3'],
    ['2026-10-01T00:00:00Z', '2026-Q3'],
    ['2026-09-30T23:59:59Z', '2026-Q2'],
    ['2027-01-15T12:00:00Z', '2026-Q4'],
  ])('on %s is %s', (now, label) => {
    expect(lastCompletePeriod(new Date(now)).label).toBe(label);
  });
});
