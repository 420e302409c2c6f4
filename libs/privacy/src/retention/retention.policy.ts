import { ConfigurationError } from '@harbour/shared';

/**
 * How a case ended, for retention: a `CaseClosed` outcome, or `withdrawn`. The keys of
 * `HARBOUR_RETENTION`.
 */
export const RETENTION_OUTCOMES = [
  'conclusive-grounds-positive',
  'conclusive-grounds-negative',
  'lead-assessment-negative',
  'reasonable-grounds-negative',
  'closed-while-suspended',
  'withdrawn',
] as const;

export type RetentionOutcome = (typeof RETENTION_OUTCOMES)[number];

/** A period as ISO 8601 gives it, in whole years, months and days. */
export interface RetentionPeriod {
  readonly text: string;
  readonly years: number;
  readonly months: number;
  readonly days: number;
}

/** How long a case's personal data is kept after it closed or was withdrawn, by how it ended. */
export type RetentionPolicy = Readonly<Record<RetentionOutcome, RetentionPeriod>>;

/** Six years after closure or withdrawal, whatever the outcome, unless configured otherwise. */
export const DEFAULT_RETENTION_PERIOD: RetentionPeriod = { text: 'P6Y', years: 6, months: 0, days: 0 };

const SETTING = 'HARBOUR_RETENTION';

/** Parses `P6Y`, `P18M`, `P1Y6M`, `P90D`... (years, months, days; no time part). */
export function parseRetentionPeriod(text: string, setting = SETTING): RetentionPeriod {
  const match = /^P(?:(\d{1,3})Y)?(?:(\d{1,4})M)?(?:(\d{1,5})D)?$/.exec(text);
  if (!match || text === 'P') {
    throw new ConfigurationError(setting, `"${text}" is not an ISO 8601 period of years, months and days (e.g. P6Y)`);
  }
  return { text, years: Number(match[1] ?? 0), months: Number(match[2] ?? 0), days: Number(match[3] ?? 0) };
}

/**
 * Reads `HARBOUR_RETENTION`: `outcome=period` pairs, comma-separated (e.g.
 * `conclusive-grounds-positive=P6Y,withdrawn=P2Y`), plus `default=<period>` for the outcomes not
 * named. Unset: six years for every outcome.
 */
export function retentionPolicyFrom(setting: string | undefined): RetentionPolicy {
  const named = new Map<string, RetentionPeriod>();
  let fallback = DEFAULT_RETENTION_PERIOD;
  for (const pair of (setting ?? '').split(',').filter((part) => part.trim() !== '')) {
    const match = /^\s*([a-z-]+)\s*=\s*(\S+)\s*$/.exec(pair);
    if (!match) throw new ConfigurationError(SETTING, `"${pair.trim()}" is not outcome=period (e.g. withdrawn=P6Y)`);
    const [, outcome, period] = match;
    if (outcome !== 'default' && !(RETENTION_OUTCOMES as readonly string[]).includes(outcome)) {
      throw new ConfigurationError(
        SETTING,
        `unknown outcome "${outcome}" (known: default, ${RETENTION_OUTCOMES.join(', ')})`,
      );
    }
    if (named.has(outcome)) throw new ConfigurationError(SETTING, `${outcome} is given twice`);
    named.set(outcome, parseRetentionPeriod(period));
    if (outcome === 'default') fallback = named.get(outcome)!;
  }
  return Object.freeze(
    Object.fromEntries(RETENTION_OUTCOMES.map((outcome) => [outcome, named.get(outcome) ?? fallback])),
  ) as RetentionPolicy;
}

/** When a case that ended at `endedAt` is due for erasure under `period` (UTC calendar arithmetic). */
export function retentionEndsAt(endedAt: string, period: RetentionPeriod): Date {
  const ended = new Date(endedAt);
  const due = new Date(ended.getTime());
  due.setUTCFullYear(ended.getUTCFullYear() + period.years, ended.getUTCMonth() + period.months);
  // 29 February plus a year, or 31 August plus a month, rolls over: clamp to the month's last day.
  const wantedMonth = (((ended.getUTCMonth() + period.months) % 12) + 12) % 12;
  if (due.getUTCMonth() !== wantedMonth) due.setUTCDate(0);
  due.setUTCDate(due.getUTCDate() + period.days);
  return due;
}
