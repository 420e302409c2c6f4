import { RuleBrokenError } from '../shared/domain.errors';
import {
  addCalendarDays,
  addDuration,
  addWorkingDays,
  CalendarNotCoveredError,
  isBankHoliday,
  isWorkingDay,
} from './working-day-calendar';

describe('isWorkingDay', () => {
  it.each([
    ['2026-04-02', true, 'Thursday before Easter'],
    ['2026-04-03', false, 'Good Friday'],
    ['2026-04-04', false, 'Saturday'],
    ['2026-04-05', false, 'Sunday'],
    ['2026-04-06', false, 'Easter Monday'],
    ['2026-04-07', true, 'Tuesday after Easter'],
    ['2020-05-04', true, 'first Monday of May 2020, moved for VE Day'],
    ['2020-05-08', false, 'VE Day 2020'],
    ['2026-04-03T14:30:00Z', false, 'an instant on Good Friday'],
    ['2026-04-03T00:30:00+01:00', true, 'an instant whose UTC date is the Thursday'],
  ])('%s is a working day: %s (%s)', (date, expected) => {
    expect(isWorkingDay(date)).toBe(expected);
  });

  it('tells bank holidays from weekends', () => {
    expect(isBankHoliday('2022-09-19')).toBe(true);
    expect(isBankHoliday('2026-04-04')).toBe(false);
  });

  it.each(['2014-12-31', '2028-01-01T09:00:00Z'])('refuses %s, outside the covered years', (date) => {
    expect(() => isWorkingDay(date)).toThrow(CalendarNotCoveredError);
  });

  it.each(['2026-02-30', '2 April 2026', '2026-04-02T09:00:00'])('refuses the malformed date %s', (date) => {
    expect(() => isWorkingDay(date)).toThrow(RuleBrokenError);
  });
});

describe('addWorkingDays', () => {
  it('counts from the day after a referral on the Thursday before Easter 2026, skipping the long weekend', () => {
    // Good Friday 3, weekend 4-5, Easter Monday 6: working days 7, 8, 9, 10 and then 13 April.
    expect(addWorkingDays('2026-04-02T10:15:00Z', 1)).toBe('2026-04-07T10:15:00.000Z');
    expect(addWorkingDays('2026-04-02T10:15:00Z', 4)).toBe('2026-04-10T10:15:00.000Z');
    expect(addWorkingDays('2026-04-02T10:15:00Z', 5)).toBe('2026-04-13T10:15:00.000Z');
  });

  it('skips Christmas and Boxing Day 2025 and the weekend after', () => {
    // Wed 24 Dec; Thu 25 and Fri 26 are bank holidays, 27-28 the weekend.
    expect(addWorkingDays('2025-12-24T16:00:00Z', 1)).toBe('2025-12-29T16:00:00.000Z');
    expect(addWorkingDays('2025-12-24T16:00:00Z', 3)).toBe('2025-12-31T16:00:00.000Z');
    // Thu 1 Jan 2026 is New Year's Day.
    expect(addWorkingDays('2025-12-24T16:00:00Z', 4)).toBe('2026-01-02T16:00:00.000Z');
  });

  it('steps from a Friday over the weekend', () => {
    expect(addWorkingDays('2026-06-05T09:00:00Z', 1)).toBe('2026-06-08T09:00:00.000Z');
    expect(addWorkingDays('2026-06-05T09:00:00Z', 5)).toBe('2026-06-12T09:00:00.000Z');
  });

  it('counts a weekend start from the next working day', () => {
    expect(addWorkingDays('2026-06-06T09:00:00Z', 1)).toBe('2026-06-08T09:00:00.000Z');
  });

  it('takes a date and answers with an instant at UTC midnight', () => {
    expect(addWorkingDays('2026-04-02', 5)).toBe('2026-04-13T00:00:00.000Z');
  });

  it('keeps the time of day of an instant given with an offset, normalised to UTC', () => {
    expect(addWorkingDays('2026-06-05T10:00:00+01:00', 1)).toBe('2026-06-08T09:00:00.000Z');
  });

  it('returns the start unchanged for zero days, even on a holiday', () => {
    expect(addWorkingDays('2026-04-03T10:00:00Z', 0)).toBe('2026-04-03T10:00:00.000Z');
  });

  it.each([-1, 1.5, Number.NaN])('refuses %p days', (days) => {
    expect(() => addWorkingDays('2026-04-02T10:00:00Z', days)).toThrow(RangeError);
  });

  it('refuses a start outside the covered years', () => {
    expect(() => addWorkingDays('2014-12-30T10:00:00Z', 0)).toThrow(CalendarNotCoveredError);
    expect(() => addWorkingDays('2028-01-04T10:00:00Z', 1)).toThrow(CalendarNotCoveredError);
  });

  it('refuses a count that runs past the covered years', () => {
    // Fri 24 Dec 2027; 27 and 28 are substitute days, 29-31 the last working days of the list.
    expect(addWorkingDays('2027-12-24T10:00:00Z', 3)).toBe('2027-12-31T10:00:00.000Z');
    expect(() => addWorkingDays('2027-12-24T10:00:00Z', 4)).toThrow(
      expect.objectContaining({ name: 'CalendarNotCoveredError', code: 'calendar-not-covered', date: '2028-01-01' }),
    );
  });
});

describe('addCalendarDays', () => {
  it('adds days regardless of weekends and holidays', () => {
    expect(addCalendarDays('2026-04-02T10:15:00Z', 5)).toBe('2026-04-07T10:15:00.000Z');
    expect(addCalendarDays('2026-02-26', 3)).toBe('2026-03-01T00:00:00.000Z');
  });

  it('needs no holiday data, so works outside the covered years', () => {
    expect(addCalendarDays('2030-12-31T12:00:00Z', 1)).toBe('2031-01-01T12:00:00.000Z');
  });

  it('returns the start for zero days and refuses negative days', () => {
    expect(addCalendarDays('2026-04-02T10:00:00Z', 0)).toBe('2026-04-02T10:00:00.000Z');
    expect(() => addCalendarDays('2026-04-02T10:00:00Z', -1)).toThrow(RangeError);
  });
});

describe('addDuration', () => {
  it('dispatches on the unit', () => {
    expect(addDuration('2026-04-02T10:00:00Z', { amount: 5, unit: 'working-days' })).toBe('2026-04-13T10:00:00.000Z');
    expect(addDuration('2026-04-02T10:00:00Z', { amount: 5, unit: 'calendar-days' })).toBe('2026-04-07T10:00:00.000Z');
  });
});
