/** Shared plumbing for the benchmarks: argument parsing and a ratio table. */

export interface Row {
  readonly name: string;
  readonly rate: number;
  /** The figure measured in the same run that `rate` is compared with. */
  readonly baseline?: number;
  /** The least ratio to the baseline that meets the goal. */
  readonly goal?: number;
}

export function parseBenchArgs<T extends Record<string, number>>(argv: readonly string[], defaults: T): T {
  const values: Record<string, number> = { ...defaults };
  for (let i = 0; i < argv.length; i++) {
    const name = argv[i].replace(/^--/, '');
    if (!(name in defaults)) {
      throw new Error(
        `Unknown option ${argv[i]}; known: ${Object.keys(defaults)
          .map((k) => `--${k}`)
          .join(', ')}`,
      );
    }
    const value = Number(argv[++i]);
    if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} needs a positive number`);
    values[name] = value;
  }
  return values as T;
}

export function printTable(rows: readonly Row[], unit: string): void {
  const width = Math.max(...rows.map((row) => row.name.length));
  console.log(`\n${'measurement'.padEnd(width)}  ${unit.padStart(10)}  ratio   goal`);
  for (const row of rows) {
    const ratio = row.baseline ? row.rate / row.baseline : undefined;
    const verdict =
      ratio === undefined || row.goal === undefined
        ? ''
        : ratio >= row.goal
          ? `>= ${row.goal} met`
          : `< ${row.goal} MISSED`;
    console.log(
      `${row.name.padEnd(width)}  ${Math.round(row.rate).toLocaleString('en-GB').padStart(10)}  ${
        ratio === undefined ? '     ' : ratio.toFixed(2).padStart(5)
      }   ${verdict}`,
    );
  }
}
