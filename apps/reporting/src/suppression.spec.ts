import { countTable, countKey, type CountTableSpec } from './report-table';
import { SUPPRESSED, suppressCounts } from './suppression';

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
    threshold: 5,
    counts: new Map(counts.map(([route, row, column, n]) => [countKey(route as 'pilot', row, column), n])),
  });

  it('publishes route blocks with totals, a small count as [c], and no lone [c] in any row, column or route group', () => {
    const table = countTable(
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

  it('shows zero as 0, not suppressed', () => {
    const table = countTable(spec([['central', 'a', 'x', 60]]));
    expect(table.rows[0]).toEqual(['All routes', 'A', 60, 0, 60]);
  });
});
