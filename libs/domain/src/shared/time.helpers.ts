import { RuleBrokenError } from './domain.errors';

const DAY_MS = 24 * 60 * 60 * 1000;

// The schemas require RFC 3339 date-times; Date.parse alone would also accept "June 1 2015".
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Milliseconds since the epoch of an ISO-8601 date-time, refusing anything else. */
export function instant(value: string, field: string): number {
  const ms = DATE_TIME.test(value) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(ms)) {
    throw new RuleBrokenError('invalid-date-time', `${field} must be an ISO-8601 date-time, got "${value}"`);
  }
  return ms;
}

/** `iso` plus a number of calendar days, as an ISO-8601 UTC date-time. */
export function addDays(iso: string, days: number, field: string): string {
  // A Date built from a number is arithmetic, not a clock read.
  return new Date(instant(iso, field) + days * DAY_MS).toISOString();
}

/** Whole years between a date of birth (`YYYY-MM-DD`) and a moment, by the UTC calendar. */
export function ageInYears(dateOfBirth: string, now: string): number {
  const match = DATE.exec(dateOfBirth);
  if (!match) {
    throw new RuleBrokenError('invalid-date-time', `dateOfBirth must be an ISO-8601 date, got "${dateOfBirth}"`);
  }
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const born = new Date(Date.UTC(year, month - 1, day));
  // Date.UTC rolls 2015-02-30 over into March; a real date survives the round trip.
  if (born.getUTCMonth() !== month - 1 || born.getUTCDate() !== day) {
    throw new RuleBrokenError('invalid-date-time', `dateOfBirth ${dateOfBirth} is not a calendar date`);
  }
  const at = new Date(instant(now, 'now'));
  const hadBirthday = at.getUTCMonth() + 1 > month || (at.getUTCMonth() + 1 === month && at.getUTCDate() >= day);
  return at.getUTCFullYear() - year - (hadBirthday ? 0 : 1);
}

/** Days, possibly fractional, from `from` to `to`. */
export function daysBetween(from: string, fromField: string, to: string, toField: string): number {
  return (instant(to, toField) - instant(from, fromField)) / DAY_MS;
}
