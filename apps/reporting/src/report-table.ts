import type { StatisticsRoute } from '@harbour/projections';
import { SUPPRESSED, suppressCounts } from './suppression';

/** A cell as published: a label, a figure, `[c]` (suppressed) or `..` (not applicable). */
export type Cell = string | number;

/** One published table: CSV and JSON files, a section of the HTML report, maybe a chart. */
export interface ReportTable {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly columns: readonly string[];
  /** How many leading columns are labels (the rest are figures). */
  readonly labelColumns: number;
  readonly rows: readonly (readonly Cell[])[];
  readonly notes: readonly string[];
  readonly chart?: ChartRequest;
}

/** What to draw for a table, from its own published (suppressed) figures. */
export interface ChartRequest {
  readonly kind: 'stacked-bar' | 'grouped-bar';
  /** The label column the bars stand for. */
  readonly category: string;
  /** The figure columns stacked or grouped; if absent, the column `value` of each row. */
  readonly series: readonly string[];
  /** Only rows whose first column equals this route label. */
  readonly route?: string;
  /** Group bars by route instead of by series (one series only). */
  readonly byRoute?: boolean;
  readonly xTitle: string;
}

export const ROUTE_LABELS: Readonly<Record<StatisticsRoute | 'all', string>> = {
  all: 'All routes',
  pilot: 'Pilot (nrm-pilot-2015)',
  central: 'Central (nrm-central-2015)',
  other: 'Other definitions',
};

/** A category of a count table: its key and its label(s). */
export interface Category {
  readonly key: string;
  readonly labels: readonly string[];
}

export interface CountTableSpec {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly rowHeaders: readonly string[];
  readonly rowCategories: readonly Category[];
  readonly columnCategories: readonly Category[];
  readonly routes: readonly StatisticsRoute[];
  readonly threshold: number;
  /** Adds one to the count of (route, row, column). */
  readonly counts: ReadonlyMap<string, number>;
  readonly notes?: readonly string[];
  readonly chart?: ChartRequest;
}

/** The key of a count in {@link CountTableSpec.counts}. */
export function countKey(route: StatisticsRoute, row: string, column: string): string {
  return `${route}\u0000${row}\u0000${column}`;
}

/** Increments a count. */
export function addCount(counts: Map<string, number>, route: StatisticsRoute, row: string, column: string): void {
  const key = countKey(route, row, column);
  counts.set(key, (counts.get(key) ?? 0) + 1);
}

/**
 * A table of counts in the NRM statistics' layout: a block per route (all routes first), a row
 * per category and a total row, a column per category and a total column; suppressed with
 * secondary suppression across rows, columns and routes.
 */
export function countTable(spec: CountTableSpec): ReportTable {
  const routes: (StatisticsRoute | 'all')[] = ['all', ...spec.routes];
  const rows = [
    ...spec.rowCategories,
    { key: '\u0001total', labels: spec.rowHeaders.map((_, i) => (i === 0 ? 'Total' : '')) },
  ];
  const columns = [...spec.columnCategories, { key: '\u0001total', labels: ['Total'] }];
  const nr = rows.length;
  const nc = columns.length;
  const index = (r: number, i: number, j: number) => (r * nr + i) * nc + j;
  const values: number[] = new Array(routes.length * nr * nc).fill(0);
  routes.forEach((route, r) => {
    if (route === 'all') return;
    spec.rowCategories.forEach((row, i) => {
      spec.columnCategories.forEach((column, j) => {
        const value = spec.counts.get(countKey(route, row.key, column.key)) ?? 0;
        values[index(r, i, j)] += value;
        values[index(r, i, nc - 1)] += value;
        values[index(r, nr - 1, j)] += value;
        values[index(r, nr - 1, nc - 1)] += value;
        for (const cell of [index(0, i, j), index(0, i, nc - 1), index(0, nr - 1, j), index(0, nr - 1, nc - 1)]) {
          values[cell] += value;
        }
      });
    });
  });
  const groups: number[][] = [];
  routes.forEach((_, r) => {
    for (let i = 0; i < nr; i += 1) groups.push(Array.from({ length: nc }, (__, j) => index(r, i, j)));
    for (let j = 0; j < nc; j += 1) groups.push(Array.from({ length: nr }, (__, i) => index(r, i, j)));
  });
  for (let i = 0; i < nr; i += 1) {
    for (let j = 0; j < nc; j += 1) groups.push(routes.map((_, r) => index(r, i, j)));
  }
  const suppressed = suppressCounts(values, groups, spec.threshold);
  const published: Cell[][] = [];
  routes.forEach((route, r) => {
    rows.forEach((row, i) => {
      published.push([
        ROUTE_LABELS[route],
        ...row.labels,
        ...columns.map((_, j) => (suppressed[index(r, i, j)] ? SUPPRESSED : values[index(r, i, j)])),
      ]);
    });
  });
  return {
    id: spec.id,
    title: spec.title,
    description: spec.description,
    columns: ['Route', ...spec.rowHeaders, ...columns.map((column) => column.labels[0])],
    labelColumns: 1 + spec.rowHeaders.length,
    rows: published,
    notes: spec.notes ?? [],
    chart: spec.chart,
  };
}
