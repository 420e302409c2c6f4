import type { StatisticsRoute } from '@harbour/projections';
import { SUPPRESSED, protectCounts } from './suppression';
import type { IndexedRelation } from './disclosure/lp-audit';

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
  /** Bars side by side, one per published figure: a suppressed figure cannot be stacked. */
  readonly kind: 'grouped-bar';
  /** The label column(s) the bars stand for, joined with ": " when more than one. */
  readonly category: string | readonly string[];
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
  /** Adds one to the count of (route, row, column). */
  readonly counts: ReadonlyMap<string, number>;
  /**
   * Whether the rows add up to a "Total" row (default true). Not where the rows are unlike things
   * (decisions beside reconsideration requests, withdrawals beside closures): a total of those
   * would count nothing a reader wants.
   */
  readonly rowTotal?: boolean;
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

/** A figure of a release: table id, row and column (the column counts the label columns). */
export interface CellRef {
  readonly table: string;
  readonly row: number;
  readonly column: number;
}

/** `total` is the sum of `parts`, and every reader of the release knows it. */
export interface Relation {
  readonly total: CellRef;
  readonly parts: readonly CellRef[];
}

/**
 * A table before disclosure control: every figure as it is, which of them are counts of people
 * or events to protect, the figures hidden with a count (a median goes with its count), and the
 * relations between its counts.
 */
export interface DraftTable extends Omit<ReportTable, 'rows'> {
  readonly rows: readonly (readonly Cell[])[];
  readonly protect: readonly CellRef[];
  /** Figures shown as suppressed whenever the count is. */
  readonly hiddenWith?: readonly { readonly count: CellRef; readonly figures: readonly CellRef[] }[];
  readonly relations: readonly Relation[];
}

/**
 * A table of counts in the NRM statistics' layout: a block per route (all routes first), a row
 * per category and a total row, a column per category and a total column; its relations are each
 * row and column with its total and "All routes" as the sum of the routes.
 */
export function countTable(spec: CountTableSpec): DraftTable {
  const routes: (StatisticsRoute | 'all')[] = ['all', ...spec.routes];
  const rowTotal = spec.rowTotal ?? true;
  const rows = [
    ...spec.rowCategories,
    ...(rowTotal ? [{ key: '\u0001total', labels: spec.rowHeaders.map((_, i) => (i === 0 ? 'Total' : '')) }] : []),
  ];
  const columns = [...spec.columnCategories, { key: '\u0001total', labels: ['Total'] }];
  const nr = rows.length;
  const nc = columns.length;
  const labelColumns = 1 + spec.rowHeaders.length;
  const values: number[][] = routes.flatMap(() => rows.map(() => new Array<number>(nc).fill(0)));
  routes.forEach((route, r) => {
    if (route === 'all') return;
    spec.rowCategories.forEach((row, i) => {
      spec.columnCategories.forEach((column, j) => {
        const value = spec.counts.get(countKey(route, row.key, column.key)) ?? 0;
        for (const block of [r, 0]) {
          values[block * nr + i][j] += value;
          values[block * nr + i][nc - 1] += value;
          if (rowTotal) {
            values[block * nr + nr - 1][j] += value;
            values[block * nr + nr - 1][nc - 1] += value;
          }
        }
      });
    });
  });
  const ref = (r: number, i: number, j: number): CellRef => ({
    table: spec.id,
    row: r * nr + i,
    column: labelColumns + j,
  });
  const relations: Relation[] = [];
  routes.forEach((_, r) => {
    for (let i = 0; i < nr; i += 1) {
      relations.push({ total: ref(r, i, nc - 1), parts: spec.columnCategories.map((__, j) => ref(r, i, j)) });
    }
    if (rowTotal) {
      for (let j = 0; j < nc; j += 1) {
        relations.push({ total: ref(r, nr - 1, j), parts: spec.rowCategories.map((__, i) => ref(r, i, j)) });
      }
    }
  });
  for (let i = 0; i < nr; i += 1) {
    for (let j = 0; j < nc; j += 1) {
      relations.push({ total: ref(0, i, j), parts: routes.slice(1).map((__, r) => ref(r + 1, i, j)) });
    }
  }
  return {
    id: spec.id,
    title: spec.title,
    description: spec.description,
    columns: ['Route', ...spec.rowHeaders, ...columns.map((column) => column.labels[0])],
    labelColumns,
    rows: routes.flatMap((route, r) =>
      rows.map((row, i): Cell[] => [ROUTE_LABELS[route], ...row.labels, ...values[r * nr + i]]),
    ),
    protect: routes.flatMap((_, r) => rows.flatMap((__, i) => columns.map((___, j) => ref(r, i, j)))),
    relations,
    notes: spec.notes ?? [],
    chart: spec.chart,
  };
}

/** A release's tables as published, with the relations between their figures that its readers know. */
export interface ProtectedRelease {
  readonly tables: readonly ReportTable[];
  readonly relations: readonly Relation[];
}

const refKey = (ref: CellRef) => `${ref.table}\u0000${ref.row}\u0000${ref.column}`;

/**
 * Disclosure control over a whole release at once ({@link protectCounts}): the tables' own
 * relations and `links` between tables (one count published in two places). A relation that the
 * figures do not satisfy is a mistake in the report, and stops it.
 */
export async function protectRelease(
  drafts: readonly DraftTable[],
  links: readonly Relation[],
  threshold: number,
): Promise<ProtectedRelease> {
  const byId = new Map(drafts.map((draft) => [draft.id, draft]));
  const index = new Map<string, number>();
  const cells: CellRef[] = [];
  for (const draft of drafts) {
    for (const ref of draft.protect) {
      index.set(refKey(ref), cells.length);
      cells.push(ref);
    }
  }
  const valueOf = (ref: CellRef): number => {
    const value = byId.get(ref.table)?.rows[ref.row]?.[ref.column];
    if (typeof value !== 'number') throw new Error(`disclosure control: ${refKey(ref)} is not a count`);
    return value;
  };
  const values = cells.map(valueOf);
  const relations = [...drafts.flatMap((draft) => draft.relations), ...links];
  const indexed: IndexedRelation[] = relations.map((relation) => {
    const at = (ref: CellRef) => {
      const i = index.get(refKey(ref));
      if (i === undefined) throw new Error(`disclosure control: ${refKey(ref)} is in a relation but not protected`);
      return i;
    };
    const sum = relation.parts.reduce((total, part) => total + values[at(part)], 0);
    if (sum !== values[at(relation.total)]) {
      throw new Error(
        `disclosure control: ${refKey(relation.total)} is ${values[at(relation.total)]} but its parts sum to ${sum}`,
      );
    }
    return { total: at(relation.total), parts: relation.parts.map(at) };
  });
  const suppressed = await protectCounts(values, indexed, threshold);
  const hidden = new Set(cells.filter((_, i) => suppressed[i]).map(refKey));
  for (const draft of drafts) {
    for (const { count, figures } of draft.hiddenWith ?? []) {
      if (hidden.has(refKey(count))) for (const figure of figures) hidden.add(refKey(figure));
    }
  }
  const tables = drafts.map(
    ({ protect: _protect, hiddenWith: _hiddenWith, relations: _relations, ...table }): ReportTable => ({
      ...table,
      rows: table.rows.map((row, r) =>
        row.map((cell, c) => (hidden.has(refKey({ table: table.id, row: r, column: c })) ? SUPPRESSED : cell)),
      ),
    }),
  );
  return { tables, relations };
}
