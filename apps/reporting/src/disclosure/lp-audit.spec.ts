import { auditCells } from './lp-audit';

describe('auditCells (the linear-programming disclosure audit)', () => {
  // A 2x2 grid with margins: [a b | a+b], [c d | c+d], [a+c b+d | all], cells 0..8.
  const grid = [
    { total: 2, parts: [0, 1] },
    { total: 5, parts: [3, 4] },
    { total: 8, parts: [6, 7] },
    { total: 6, parts: [0, 3] },
    { total: 7, parts: [1, 4] },
    { total: 8, parts: [2, 5] },
  ];

  it('finds a lone suppressed cell in a row determinable from its total', async () => {
    const values = [null, 10, 12, 30, 40, 70, 32, 50, 82];
    expect(await auditCells(values, grid)).toEqual([{ cell: 0, min: 2, max: 2 }]);
  });

  it('finds a rectangle of four suppressed cells undeterminable', async () => {
    const values = [null, null, 12, null, null, 70, 32, 50, 82];
    expect(await auditCells(values, grid)).toEqual([]);
  });

  it('finds a cell pinned by nonnegativity: its partner is 0 at the bound', async () => {
    // a + b = 3, c + d = 7, a + c = 10 and b + d = 0 (a published 0): b = d = 0, so a = 3, c = 7.
    const values = [null, null, 3, null, null, 7, 10, 0, 10];
    const found = await auditCells(values, grid);
    expect(found.map((finding) => finding.cell).sort()).toEqual([0, 1, 3, 4]);
  });

  it('reads the same count published in two tables as one: suppressed in one, shown in the other, it is disclosed', async () => {
    // cell 0 and cell 1 are the same count (total 0 = part 1); 1 is published as 3.
    expect(await auditCells([null, 3], [{ total: 0, parts: [1] }])).toEqual([{ cell: 0, min: 3, max: 3 }]);
  });

  it('finds a cell determinable through a relation that counts it twice', async () => {
    // 2x = 6 exactly: x = 3.
    expect(await auditCells([null, 6], [{ total: 1, parts: [0, 0] }])).toEqual([{ cell: 0, min: 3, max: 3 }]);
  });
});
