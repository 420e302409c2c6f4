import loadHighs from 'highs';

/**
 * A linear relation between published figures that anyone reading the release knows: `total` is
 * the sum of `parts` (a row and its total, a column and its total, the routes and "All routes", or
 * the same count published in two tables: `total` = the one part).
 */
export interface IndexedRelation {
  readonly total: number;
  readonly parts: readonly number[];
}

/** A suppressed cell an attacker can narrow down to one whole number from what is published. */
export interface Determinable {
  readonly cell: number;
  readonly min: number;
  readonly max: number;
}

type Highs = Awaited<ReturnType<typeof loadHighs>>;
let solver: Promise<Highs> | undefined;

/** HiGHS (compiled to WebAssembly), loaded once per process. */
export function loadSolver(): Promise<Highs> {
  solver ??= loadHighs();
  return solver;
}

const EPSILON = 1e-6;

/**
 * The linear-programming disclosure audit (as Statistics Netherlands' τ-ARGUS and the ONS run
 * it): for each suppressed cell, the smallest and largest values it can take, given every
 * published figure and every relation between figures, with every count at least 0. A cell is
 * safe when that range holds more than one whole number; otherwise it is determinable.
 *
 * `values[i]` is the published figure, or `null` for a suppressed one. Only the relations that
 * touch a suppressed cell matter; each connected set of suppressed cells is solved on its own
 * (with `only`, just the sets that hold one of those cells).
 */
export async function auditCells(
  values: readonly (number | null)[],
  relations: readonly IndexedRelation[],
  only?: ReadonlySet<number>,
): Promise<Determinable[]> {
  const highs = await loadSolver();
  // Rows: sum(parts) - total = 0, published figures moved to the right-hand side.
  const rows = relations
    .map(({ total, parts }) => {
      const terms = new Map<number, number>();
      let constant = 0;
      for (const [cell, coefficient] of [...parts.map((part) => [part, 1] as const), [total, -1] as const]) {
        const value = values[cell];
        if (value === null) terms.set(cell, (terms.get(cell) ?? 0) + coefficient);
        else constant += coefficient * value;
      }
      for (const [cell, coefficient] of terms) if (coefficient === 0) terms.delete(cell);
      return { terms, rhs: -constant };
    })
    .filter((row) => row.terms.size > 0);

  // Connected components of suppressed cells linked by a row.
  const parent = new Map<number, number>();
  const find = (cell: number): number => {
    let root = cell;
    while (parent.get(root) !== root) root = parent.get(root)!;
    parent.set(cell, root);
    return root;
  };
  values.forEach((value, cell) => {
    if (value === null) parent.set(cell, cell);
  });
  for (const { terms } of rows) {
    const [first, ...rest] = [...terms.keys()];
    for (const cell of rest) parent.set(find(cell), find(first));
  }
  const components = new Map<number, number[]>();
  for (const cell of [...parent.keys()].sort((a, b) => a - b)) {
    const root = find(cell);
    components.set(root, [...(components.get(root) ?? []), cell]);
  }
  const rowsOf = new Map<number, typeof rows>();
  for (const row of rows) {
    const root = find(row.terms.keys().next().value as number);
    rowsOf.set(root, [...(rowsOf.get(root) ?? []), row]);
  }

  const found: Determinable[] = [];
  for (const [root, cells] of components) {
    if (only && !cells.some((cell) => only.has(cell))) continue;
    const componentRows = rowsOf.get(root) ?? [];
    const column = new Map(cells.map((cell, i) => [cell, i]));
    // Column-wise sparse matrix.
    const entries: [number, number][][] = cells.map(() => []);
    componentRows.forEach((row, r) => {
      for (const [cell, coefficient] of row.terms) entries[column.get(cell)!].push([r, coefficient]);
    });
    const starts: number[] = [];
    const indices: number[] = [];
    const coefficients: number[] = [];
    for (const columnEntries of entries) {
      starts.push(indices.length);
      for (const [r, coefficient] of columnEntries) {
        indices.push(r);
        coefficients.push(coefficient);
      }
    }
    starts.push(indices.length);
    const model = highs.createModel();
    try {
      model.options.set('output_flag', false);
      model.passModel({
        numCols: cells.length,
        numRows: componentRows.length,
        colCost: cells.map(() => 0),
        colLower: cells.map(() => 0),
        colUpper: cells.map(() => highs.infinity),
        rowLower: componentRows.map((row) => row.rhs),
        rowUpper: componentRows.map((row) => row.rhs),
        matrix: {
          format: 'csc',
          numRows: componentRows.length,
          numCols: cells.length,
          starts,
          indices,
          values: coefficients,
        },
      });
      // Every solution found is a table the published figures allow: a cell seen at two values at
      // least 1 apart is safe without solving for it (most are, after a few solves).
      const low = cells.map(() => Infinity);
      const high = cells.map(() => -Infinity);
      const extreme = (i: number, sense: 1 | -1): number => {
        model.changeColCost(i, sense);
        const { modelStatus } = model.run();
        if (modelStatus === highs.constants.modelStatus.unbounded) {
          model.changeColCost(i, 0);
          return sense === 1 ? -Infinity : Infinity;
        }
        if (modelStatus !== highs.constants.modelStatus.optimal) {
          throw new Error(`disclosure audit: the solver ended with status ${modelStatus}, not optimal`);
        }
        const value = sense * model.getObjectiveValue();
        model.getSolution().colValue.forEach((x, j) => {
          low[j] = Math.min(low[j], x);
          high[j] = Math.max(high[j], x);
        });
        model.changeColCost(i, 0);
        return value;
      };
      const safe = (i: number) => high[i] - low[i] >= 1 - EPSILON;
      cells.forEach((cell, i) => {
        if (safe(i)) return;
        // Minimise x (cost +1), then maximise it (cost -1).
        const min = extreme(i, 1);
        if (safe(i)) return;
        const max = extreme(i, -1);
        if (safe(i)) return;
        const wholeNumbers = Math.floor(max + EPSILON) - Math.ceil(min - EPSILON) + 1;
        if (wholeNumbers <= 1) found.push({ cell, min, max });
      });
    } finally {
      model.dispose();
    }
  }
  return found;
}
