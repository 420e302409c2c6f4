import { auditCells } from './disclosure/lp-audit';
import { countTable, countKey, protectRelease, type CountTableSpec } from './report-table';
import { protectCounts, SUPPRESSED, suppressCounts } from './suppression';

describe('suppressCounts', () => {
  it('suppresses counts from 1 to threshold - 1, never 0 or the threshold itself', () => {
    expect(suppressCounts([0, 1, 4, 5, 100], [], 5)).toEqual([false, true, true, false, false]);
  });

  it('suppresses a second figure where a total would reveal the first: the smallest non-zero one', () => {
    // parts 3, 9, 20 and total 32: 3 alone could be derived as 32 - 9 - 20.
    expect(suppressCounts([3, 9, 20, 32], [[0, 1, 2, 3]], 5)).toEqual([true, true, false, false]);
  });

  it('carries secondary suppression on through overlapping groups until none holds a lone suppressed cell', () => {
    // A 2x2 grid with row and column totals: [a b | a+b], [c d | c+d], [a+c b+d | all].
    const values = [2, 10, 12, 30, 40, 70, 32, 50, 82];
    const groups = [
      [0, 1, 2],
      [3, 4, 5],
      [6, 7, 8],
      [0, 3, 6],
      [1, 4, 7],
      [2, 5, 8],
    ];
    const suppressed = suppressCounts(values, groups, 5);
    for (const group of groups) expect(group.filter((cell) => suppressed[cell]).length).not.toBe(1);
    expect(suppressed[0]).toBe(true);
  });
});

describe('countTable', () => {
  const spec = (counts: [string, string, string, number][]): CountTableSpec => ({
    id: 't',
    title: 'T',
    description: 'D',
    rowHeaders: ['Thing'],
    rowCategories: [
      { key: 'a', labels: ['A'] },
      { key: 'b', labels: ['B'] },
    ],
    columnCategories: [
      { key: 'x', labels: ['X'] },
      { key: 'y', labels: ['Y'] },
    ],
    routes: ['pilot', 'central'],
    counts: new Map(counts.map(([route, row, column, n]) => [countKey(route as 'pilot', row, column), n])),
  });

  it('publishes route blocks with totals, a small count as [c], and no lone [c] in any row, column or route group', async () => {
    const draft = countTable(
      spec([
        ['pilot', 'a', 'x', 2],
        ['pilot', 'a', 'y', 30],
        ['pilot', 'b', 'x', 40],
        ['pilot', 'b', 'y', 50],
        ['central', 'a', 'x', 60],
        ['central', 'a', 'y', 70],
        ['central', 'b', 'x', 80],
        ['central', 'b', 'y', 90],
      ]),
    );
    const {
      tables: [table],
    } = await protectRelease([draft], [], 5);
    expect(table.columns).toEqual(['Route', 'Thing', 'X', 'Y', 'Total']);
    expect(table.rows[0]).toEqual(['All routes', 'A', 62, 100, 162]);
    const pilotA = table.rows.find((row) => row[0].toString().startsWith('Pilot') && row[1] === 'A');
    expect(pilotA?.[2]).toBe(SUPPRESSED);
    // The pilot's A/X (2) cannot be recovered from its row, its column, or all routes less central.
    const cells = table.rows.map((row) => row.slice(2));
    for (const row of cells) expect(row.filter((cell) => cell === SUPPRESSED).length).not.toBe(1);
    for (let column = 0; column < 3; column += 1) {
      for (let block = 0; block < 3; block += 1) {
        const inBlock = cells.slice(block * 3, block * 3 + 3).map((row) => row[column]);
        expect(inBlock.filter((cell) => cell === SUPPRESSED).length).not.toBe(1);
      }
      for (let line = 0; line < 3; line += 1) {
        const acrossRoutes = [0, 1, 2].map((block) => cells[block * 3 + line][column]);
        expect(acrossRoutes.filter((cell) => cell === SUPPRESSED).length).not.toBe(1);
      }
    }
  });

  it('shows zero as 0, not suppressed', async () => {
    const {
      tables: [table],
    } = await protectRelease([countTable(spec([['central', 'a', 'x', 60]]))], [], 5);
    expect(table.rows[0]).toEqual(['All routes', 'A', 60, 0, 60]);
  });
});

describe('protectCounts', () => {
  // Two routes of a 2x2 table with margins and all routes: a 3-dimensional table of 27 cells. The
  // heuristic leaves no lone suppressed cell in any line, yet the audit can still pin cells down.
  it('leaves no suppressed cell determinable by the linear-programming audit, where the group heuristic alone does', async () => {
    // Pilot [[0, 20], [40, 8]], central [[2, 0], [0, 8]]: the central 2 is alone but for zeros,
    // and zeros cannot go below 0, so the heuristic's extra suppressions are pinned too.
    const { relations, values } = cube([
      [
        [0, 20],
        [40, 8],
      ],
      [
        [2, 0],
        [0, 8],
      ],
    ]);
    const groups = relations.map(({ total, parts }) => [total, ...parts]);
    const heuristic = suppressCounts(values, groups, 5);
    const afterHeuristic = await auditCells(
      values.map((value, i) => (heuristic[i] ? null : value)),
      relations,
    );
    expect(afterHeuristic.length).toBeGreaterThan(0);
    const suppressed = await protectCounts(values, relations, 5);
    expect(
      await auditCells(
        values.map((value, i) => (suppressed[i] ? null : value)),
        relations,
      ),
    ).toEqual([]);
    // Primary cells stay suppressed.
    values.forEach((value, i) => {
      if (value > 0 && value < 5) expect(suppressed[i]).toBe(true);
    });
  });

  it('takes back any secondary suppression that is not needed: publishing any one of them makes a cell determinable', async () => {
    const { relations, values } = cube([
      [
        [2, 30],
        [40, 50],
      ],
      [
        [60, 70],
        [80, 90],
      ],
    ]);
    const suppressed = await protectCounts(values, relations, 5);
    const secondary = suppressed.map((on, i) => on && !(values[i] > 0 && values[i] < 5));
    expect(secondary.some(Boolean)).toBe(true);
    for (const [cell, on] of secondary.entries()) {
      if (!on) continue;
      const lifted = values.map((value, i) => (suppressed[i] && i !== cell ? null : value));
      expect([cell, (await auditCells(lifted, relations)).length > 0]).toEqual([cell, true]);
    }
  });
});

/** Routes (pilot, central) of a 2x2 table, with margins and an "all routes" block: values and relations. */
function cube(routes: number[][][]) {
  const blocks = [routes[0].map((row, i) => row.map((value, j) => value + routes[1][i][j])), ...routes];
  const at = (r: number, i: number, j: number) => (r * 3 + i) * 3 + j;
  const values: number[] = new Array(27).fill(0);
  blocks.forEach((block, r) => {
    block.forEach((row, i) =>
      row.forEach((value, j) => {
        values[at(r, i, j)] = value;
        values[at(r, i, 2)] += value;
        values[at(r, 2, j)] += value;
        values[at(r, 2, 2)] += value;
      }),
    );
  });
  const relations = [];
  for (let r = 0; r < 3; r += 1) {
    for (let i = 0; i < 3; i += 1) relations.push({ total: at(r, i, 2), parts: [at(r, i, 0), at(r, i, 1)] });
    for (let j = 0; j < 3; j += 1) relations.push({ total: at(r, 2, j), parts: [at(r, 0, j), at(r, 1, j)] });
  }
  for (let i = 0; i < 3; i += 1) {
    for (let j = 0; j < 3; j += 1) relations.push({ total: at(0, i, j), parts: [at(1, i, j), at(2, i, j)] });
  }
  return { values, relations };
}
