/** A period the report covers (a quarter or a calendar year): [start, end) as UTC instants. */
export interface ReportPeriod {
  /** `2026-Q3`, or `2026` for the annual summary. */
  readonly label: string;
  readonly start: string;
  readonly end: string;
  /** `1 July to 30 September 2026`. */
  readonly description: string;
  readonly kind: 'quarter' | 'year';
}

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** The statistics' clock: UK local time, so a referral at 23:30 UTC on 30 June (00:30 BST) is in July. */
export const REPORT_TIME_ZONE = 'Europe/London';

const wallClock = new Intl.DateTimeFormat('en-GB', {
  timeZone: REPORT_TIME_ZONE,
  hourCycle: 'h23',
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: 'numeric',
  minute: 'numeric',
  second: 'numeric',
});

/** The UK wall-clock fields of an instant. */
function ukFields(time: number): {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
} {
  const parts = Object.fromEntries(
    wallClock.formatToParts(new Date(time)).map((part) => [part.type, Number(part.value)]),
  ) as Record<string, number>;
  return {
    year: parts.year,
    month: parts.month - 1,
    day: parts.day,
    hour: parts.hour,
    minute: parts.minute,
    second: parts.second,
  };
}

/**
 * The instant UK local midnight begins on the first of `month` (0-11; may overflow into the next
 * year). Midnight is never inside a clock change (the UK changes at 01:00 UTC), so the offset at
 * the UTC midnight guess is the offset at local midnight, give or take the one-hour correction.
 */
export function ukMonthStart(year: number, month: number): Date {
  const guess = Date.UTC(year, month, 1);
  const local = ukFields(guess);
  const offset = Date.UTC(local.year, local.month, local.day, local.hour, local.minute, local.second) - guess;
  return new Date(guess - offset);
}

/**
 * Parses `YYYY-Qn` (a calendar quarter) or `YYYY` (a calendar year, the annual summary). Periods
 * are in UK local time (Europe/London), as the Home Office's NRM statistics count them: a quarter
 * starts at local midnight, which in summer is 23:00 UTC the evening before.
 */
export function parsePeriod(text: string): ReportPeriod | undefined {
  const match = /^(\d{4})(?:-Q([1-4]))?$/.exec(text);
  if (!match) return undefined;
  const year = Number(match[1]);
  const quarter = match[2] === undefined ? undefined : Number(match[2]);
  const firstMonth = quarter === undefined ? 0 : (quarter - 1) * 3;
  const months = quarter === undefined ? 12 : 3;
  const start = ukMonthStart(year, firstMonth);
  const end = ukMonthStart(year, firstMonth + months);
  const lastDay = ukFields(end.getTime() - 1).day;
  return {
    label: text,
    start: start.toISOString(),
    end: end.toISOString(),
    description: `1 ${MONTHS[firstMonth]} to ${lastDay} ${MONTHS[firstMonth + months - 1]} ${year}`,
    kind: quarter === undefined ? 'year' : 'quarter',
  };
}

/** The quarter `offset` quarters from `period` (a quarter): -1 the one before, -4 a year earlier. */
export function shiftQuarter(period: ReportPeriod, offset: number): ReportPeriod {
  const match = /^(\d{4})-Q([1-4])$/.exec(period.label);
  if (!match) throw new Error(`${period.label} is not a quarter`);
  const index = Number(match[1]) * 4 + Number(match[2]) - 1 + offset;
  return parsePeriod(`${Math.floor(index / 4)}-Q${(index % 4) + 1}`)!;
}

/** The quarter the instant falls in, in UK local time: `2026-Q3`. */
export function quarterOf(time: number): string {
  const { year, month } = ukFields(time);
  return `${year}-Q${Math.floor(month / 3) + 1}`;
}

/**
 * `last`: the last quarter completed before `now` (UK time), what a scheduled run (the compose
 * file's `report` job) reports on without anyone typing a quarter.
 */
export function lastCompletePeriod(now: Date): ReportPeriod {
  return shiftQuarter(parsePeriod(quarterOf(now.getTime()))!, -1);
}
