import type { CellRef, Relation, ReportTable } from '../report-table';
import { SUPPRESSED } from '../suppression';
import { auditCells } from './lp-audit';

/** A suppressed figure of a release that its other figures give away. */
export interface Disclosure {
  readonly cell: CellRef;
  readonly row: readonly string[];
  readonly columnName: string;
  readonly min: number;
  readonly max: number;
}

/**
 * The linear-programming audit of a release as published: its tables' figures (`[c]` unknown)
 * and the relations a reader knows between them. Returns every suppressed cell whose feasible
 * range holds one whole number only: none, for a release safe to publish.
 */
export async function auditRelease(
  tables: readonly ReportTable[],
  relations: readonly Relation[],
): Promise<Disclosure[]> {
  const byId = new Map(tables.map((table) => [table.id, table]));
  const index = new Map<string, number>();
  const cells: CellRef[] = [];
  const values: (number | null)[] = [];
  const at = (ref: CellRef): number => {
    const key = `${ref.table}\u0000${ref.row}\u0000${ref.column}`;
    let i = index.get(key);
    if (i === undefined) {
      const cell = byId.get(ref.table)?.rows[ref.row]?.[ref.column];
      if (cell !== SUPPRESSED && typeof cell !== 'number') throw new Error(`audit: ${key} is not a figure`);
      i = cells.length;
      index.set(key, i);
      cells.push(ref);
      values.push(cell === SUPPRESSED ? null : cell);
    }
    return i;
  };
  const indexed = relations.map((relation) => ({ total: at(relation.total), parts: relation.parts.map(at) }));
  const found = await auditCells(values, indexed);
  return found.map(({ cell, min, max }) => {
    const ref = cells[cell];
    const table = byId.get(ref.table) as ReportTable;
    return {
      cell: ref,
      row: table.rows[ref.row].slice(0, table.labelColumns).map(String),
      columnName: table.columns[ref.column],
      min,
      max,
    };
  });
}
