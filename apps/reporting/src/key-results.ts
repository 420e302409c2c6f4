import { parsePeriod, shiftQuarter, type ReportPeriod } from './report-period';
import { ROUTE_LABELS, type Cell, type ReportTable } from './report-table';
import type { CaseFacts } from './statistics-facts';
import { SUPPRESSED } from './suppression';

/** A published figure of a table: the cell in the row whose leading labels are `labels`. */
function published(table: ReportTable | undefined, labels: readonly string[], column: string): Cell {
  const row = table?.rows.find((cells) => labels.every((label, i) => cells[i] === label));
  return row?.[table!.columns.indexOf(column)] ?? '..';
}

function percent(part: number, whole: number): string {
  return `${(Math.round((part / whole) * 1000) / 10).toFixed(1)}%`;
}

function change(now: Cell, before: number, threshold: number): Cell {
  if (typeof now !== 'number') return now;
  if (before > 0 && before < threshold) return SUPPRESSED;
  if (before === 0) return '..';
  const value = Math.round(((now - before) / before) * 1000) / 10;
  return `${value > 0 ? '+' : ''}${value.toFixed(1)}% (from ${before})`;
}

function rate(positive: Cell, negative: Cell): Cell {
  if (positive === SUPPRESSED || negative === SUPPRESSED) return SUPPRESSED;
  if (typeof positive !== 'number' || typeof negative !== 'number' || positive + negative === 0) return '..';
  return percent(positive, positive + negative);
}

/**
 * The release's key results, as the bulletin opens: referrals and their change on the previous
 * period and (for a quarter) the same quarter a year earlier, the positive rates of first gate and
 * conclusive decisions, and children's share of referrals. Figures of this period come from the
 * published (protected) tables, so a suppressed count is never given away by a rate; earlier
 * periods' referrals are counted from the same facts, at the same position.
 */
export function keyResults(
  facts: readonly CaseFacts[],
  period: ReportPeriod,
  tables: readonly ReportTable[],
  threshold: number,
): ReportTable {
  const table = (id: string) => tables.find((t) => t.id === id);
  const referralsTable = table('referrals-by-exploitation-type-and-age');
  const decisions = table('decisions-by-stage-and-outcome');
  const all = ROUTE_LABELS.all;
  const referrals = published(referralsTable, [all, 'Total'], 'Total');
  const children = published(referralsTable, [all, 'Total'], 'Child (17 or under)');
  const referredIn = (other: ReportPeriod) => {
    const start = Date.parse(other.start);
    const end = Date.parse(other.end);
    return facts.filter((fact) => fact.referredAt >= start && fact.referredAt < end).length;
  };
  const comparisons: [string, ReportPeriod][] =
    period.kind === 'quarter'
      ? [
          ['Change on the previous quarter', shiftQuarter(period, -1)],
          ['Change on the same quarter a year earlier', shiftQuarter(period, -4)],
        ]
      : [['Change on the previous year', parsePeriod(String(Number(period.label) - 1)) as ReportPeriod]];
  const first = 'First gate (lead assessment or reasonable grounds)';
  const rows: Cell[][] = [
    ['Referrals', referrals],
    ...comparisons.map(([label, other]): Cell[] => [
      `${label} (${other.label})`,
      change(referrals, referredIn(other), threshold),
    ]),
    [
      'Positive first gate decisions (lead assessment or reasonable grounds)',
      rate(
        published(decisions, [all, first, 'Positive'], 'Total'),
        published(decisions, [all, first, 'Negative'], 'Total'),
      ),
    ],
    [
      'Positive conclusive grounds decisions',
      rate(
        published(decisions, [all, 'Conclusive grounds', 'Positive'], 'Total'),
        published(decisions, [all, 'Conclusive grounds', 'Negative'], 'Total'),
      ),
    ],
    [
      "Children's share of referrals (age at exploitation 17 or under)",
      children === SUPPRESSED || referrals === SUPPRESSED
        ? SUPPRESSED
        : typeof children === 'number' && typeof referrals === 'number' && referrals > 0
          ? percent(children, referrals)
          : '..',
    ],
  ];
  return {
    id: 'key-results',
    title: 'Key results',
    description: `Referrals and decisions from ${period.description}, all routes.`,
    columns: ['Key result', 'Figure'],
    labelColumns: 1,
    rows,
    notes: [
      'A positive rate is positive decisions as a share of positive and negative decisions made in the period, whenever the case was referred.',
      'Earlier periods are counted at the same position of the event store as this release, so they include anything recorded late for them; their own releases may show less.',
    ],
  };
}
