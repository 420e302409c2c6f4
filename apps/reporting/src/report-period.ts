/** A quarter the report covers: [start, end) in UTC. */
export interface ReportPeriod {
  /** `2026-Q3`. */
  readonly label: string;
  readonly start: string;
  readonly end: string;
  /** `1 July to 30 September 2026`. */
  readonly description: string;
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

/**
 * Parses `YYYY-Qn`. Quarters are calendar quarters in UTC (the NRM statistics' quarters are
 * calendar quarters; the hour or so of British Summer Time at their edges is not worth a time
 * zone table here).
 */
export function parsePeriod(text: string): ReportPeriod | undefined {
  const match = /^(\d{4})-Q([1-4])$/.exec(text);
  if (!match) return undefined;
  const year = Number(match[1]);
  const quarter = Number(match[2]);
  const firstMonth = (quarter - 1) * 3;
  const start = new Date(Date.UTC(year, firstMonth, 1));
  const end = new Date(Date.UTC(year, firstMonth + 3, 1));
  const lastDay = new Date(end.getTime() - 24 * 60 * 60 * 1000);
  return {
    label: text,
    start: start.toISOString(),
    end: end.toISOString(),
    description: `1 ${MONTHS[firstMonth]} to ${lastDay.getUTCDate()} ${MONTHS[firstMonth + 2]} ${year}`,
  };
}

/**
 * `last`: the last quarter completed before `now` (UTC), what a scheduled run (the compose
 * file's `report` job) reports on without anyone typing a quarter.
 */
export function lastCompletePeriod(now: Date): ReportPeriod {
  const quarter = Math.floor(now.getUTCMonth() / 3); // 0-3, the quarter now is in
  const year = quarter === 0 ? now.getUTCFullYear() - 1 : now.getUTCFullYear();
  return parsePeriod(`${year}-Q${quarter === 0 ? 4 : quarter}`)!;
}
