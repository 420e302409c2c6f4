/**
 * Working days in England and Wales, for deadlines such as "5 working days after referral".
 *
 * Days are judged by their UTC calendar date. UK local time is UTC or UTC+1 (BST), so for any
 * instant between 01:00 and 23:00 UTC the UTC date and the London date are the same day; only an
 * instant in the hour after 23:00 UTC during BST falls on the next London day. Workflow times are
 * office hours, so we accept that edge rather than carry a time-zone database into a pure lib;
 * callers holding a late-night BST instant should pass the London date (`YYYY-MM-DD`) instead.
 */
import { DomainError, RuleBrokenError } from '../shared/domain.errors';
import { instant } from '../shared/time.helpers';
import {
  ENGLAND_AND_WALES_BANK_HOLIDAYS,
  FIRST_COVERED_YEAR,
  LAST_COVERED_YEAR,
} from './england-and-wales-bank-holidays.data';

const DAY_MS = 24 * 60 * 60 * 1000;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const BANK_HOLIDAYS: ReadonlySet<string> = new Set(ENGLAND_AND_WALES_BANK_HOLIDAYS.map((holiday) => holiday.date));

/** A period a deadline runs for: whole calendar days, or whole England and Wales working days. */
export interface Duration {
  readonly amount: number;
  readonly unit: 'calendar-days' | 'working-days';
}

/**
 * A working-day question about a date the bank holiday list does not cover. Thrown rather than
 * treating the day as ordinary, because a deadline computed without holiday data would be
 * silently wrong.
 */
export class CalendarNotCoveredError extends DomainError {
  readonly code = 'calendar-not-covered';
  constructor(readonly date: string) {
    super(`The England and Wales calendar covers ${FIRST_COVERED_YEAR} to ${LAST_COVERED_YEAR}; ${date} is outside it`);
    this.name = 'CalendarNotCoveredError';
  }
}

/**
 * Whether `date` (an ISO date `YYYY-MM-DD` or an ISO-8601 instant, judged by its UTC date) is an
 * England and Wales bank holiday.
 *
 * @throws CalendarNotCoveredError when the date's year is outside the covered range.
 */
export function isBankHoliday(date: string): boolean {
  return BANK_HOLIDAYS.has(coveredDay(toMs(date, 'date')));
}

/**
 * Whether `date` (an ISO date `YYYY-MM-DD` or an ISO-8601 instant, judged by its UTC date) is a
 * working day in England and Wales: Monday to Friday and not a bank holiday.
 *
 * @throws CalendarNotCoveredError when the date's year is outside the covered range.
 */
export function isWorkingDay(date: string): boolean {
  return workingDay(toMs(date, 'date'));
}

/**
 * The instant `days` working days after `start`, at the same time of day (UTC), as an ISO-8601
 * UTC instant. The start day itself is not counted, as in "within 5 working days after the day of
 * referral": from Thursday 2 April 2026, with Good Friday and Easter Monday off, the 1st working
 * day after is Tuesday 7 April and the 5th is Monday 13 April. A start on a weekend or holiday
 * counts from the next working day. Zero days returns `start` unchanged (normalised to UTC).
 *
 * @throws RangeError when `days` is negative or not a whole number.
 * @throws CalendarNotCoveredError when the start or any day counted is outside the covered range.
 */
export function addWorkingDays(start: string, days: number): string {
  requireWholeNonNegative(days, 'working days');
  let at = toMs(start, 'start');
  // Checked even for zero days: the caller asked a working-day question about this date.
  coveredDay(at);
  for (let counted = 0; counted < days;) {
    at += DAY_MS;
    if (workingDay(at)) counted += 1;
  }
  return new Date(at).toISOString();
}

/**
 * The instant `days` weekdays (Monday to Friday, bank holidays ignored) after `start`, counted as
 * {@link addWorkingDays} counts. For a date the holiday list does not cover, where the true
 * working-day answer is unknown: the result is never later than it, so a deadline built on it errs
 * towards flagging a miss early rather than never. Callers must mark it as an estimate.
 *
 * @throws RangeError when `days` is negative or not a whole number.
 */
export function addWeekdays(start: string, days: number): string {
  requireWholeNonNegative(days, 'weekdays');
  let at = toMs(start, 'start');
  for (let counted = 0; counted < days;) {
    at += DAY_MS;
    const weekday = new Date(at).getUTCDay();
    if (weekday !== 0 && weekday !== 6) counted += 1;
  }
  return new Date(at).toISOString();
}

/**
 * The instant `days` calendar days after `start`, at the same UTC time of day, as an ISO-8601 UTC
 * instant. Needs no holiday data, so it works for any year.
 *
 * @throws RangeError when `days` is negative or not a whole number.
 */
export function addCalendarDays(start: string, days: number): string {
  requireWholeNonNegative(days, 'calendar days');
  // A Date built from a number is arithmetic, not a clock read.
  return new Date(toMs(start, 'start') + days * DAY_MS).toISOString();
}

/**
 * The instant a {@link Duration} after `start`: see {@link addCalendarDays} and {@link addWorkingDays}.
 */
export function addDuration(start: string, duration: Duration): string {
  switch (duration.unit) {
    case 'calendar-days':
      return addCalendarDays(start, duration.amount);
    case 'working-days':
      return addWorkingDays(start, duration.amount);
    default: {
      const unknown: never = duration.unit;
      throw new RangeError(`Unknown duration unit ${String(unknown)}`);
    }
  }
}

function workingDay(ms: number): boolean {
  const day = coveredDay(ms);
  const weekday = new Date(ms).getUTCDay();
  return weekday !== 0 && weekday !== 6 && !BANK_HOLIDAYS.has(day);
}

/** The UTC date (`YYYY-MM-DD`) of `ms`, refusing one the holiday list does not cover. */
function coveredDay(ms: number): string {
  const day = new Date(ms).toISOString().slice(0, 10);
  const year = Number(day.slice(0, 4));
  if (year < FIRST_COVERED_YEAR || year > LAST_COVERED_YEAR) throw new CalendarNotCoveredError(day);
  return day;
}

/** Milliseconds since the epoch of an ISO date (taken as UTC midnight) or ISO-8601 instant. */
function toMs(value: string, field: string): number {
  const match = DATE.exec(value);
  if (!match) return instant(value, field);
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const ms = Date.UTC(year, month - 1, day);
  // Date.UTC rolls 2026-02-30 over into March; a real date survives the round trip.
  if (new Date(ms).toISOString().slice(0, 10) !== value) {
    throw new RuleBrokenError('invalid-date-time', `${field} ${value} is not a calendar date`);
  }
  return ms;
}

function requireWholeNonNegative(days: number, what: string): void {
  // A deadline runs forward; counting back is a different question (and a likely caller bug).
  if (!Number.isInteger(days) || days < 0) {
    throw new RangeError(`Expected a whole, non-negative number of ${what}, got ${days}`);
  }
}
