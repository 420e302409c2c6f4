/**
 * Lays rows out as a plain text table: a header, then one line per row, columns padded to their
 * widest cell and two spaces apart. Readable in a terminal and in a log, with no box drawing.
 */
export function textTable<K extends string>(
  columns: ReadonlyArray<{ readonly key: K; readonly title: string; readonly align?: 'right' }>,
  rows: ReadonlyArray<Readonly<Record<K, string>>>,
): string {
  const widths = columns.map((column) => Math.max(column.title.length, ...rows.map((row) => row[column.key].length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => (columns[i].align === 'right' ? cell.padStart(widths[i]) : cell.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return [
    line(columns.map((column) => column.title)),
    ...rows.map((row) => line(columns.map((column) => row[column.key]))),
  ].join('\n');
}
