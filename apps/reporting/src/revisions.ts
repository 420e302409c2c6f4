import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Report } from './report-builder';
import type { Cell } from './report-table';

/**
 * How the figures are made. A release made another way differs for that reason alone; bump it
 * with any change to what a table counts or how it is protected.
 */
export const REPORT_METHOD = 'harbour-statistics/2: UK-time periods; suppression audited by linear programming';

/** One published figure that a later version of the period changed. */
export interface Revision {
  readonly table: string;
  readonly row: readonly string[];
  readonly column: string;
  readonly was: Cell | null;
  readonly now: Cell | null;
}

/** What a version of a period changed since the previous version, and why. */
export interface Revisions {
  /** The version compared with (`v1`), or null for the first. */
  readonly revises: string | null;
  readonly previousPosition: string | null;
  readonly reasons: readonly string[];
  readonly changes: readonly Revision[];
}

interface PublishedTable {
  readonly columns: readonly string[];
  readonly rows: readonly Readonly<Record<string, Cell>>[];
}

interface Manifest {
  readonly position: string;
  readonly suppressionThreshold: number;
  readonly method?: string;
  readonly files: readonly { readonly name: string }[];
}

/**
 * Compares the report with the latest earlier version of its period made at another position,
 * threshold or method (a re-run at the same position compares with what its twin compared with,
 * so it stays byte for byte the same).
 */
export function revisionsSince(out: string, report: Report): Revisions {
  const periodDir = join(out, report.period.label);
  const versions = existsSync(periodDir)
    ? readdirSync(periodDir)
        .map((name) => /^v(\d+)$/.exec(name))
        .filter((match): match is RegExpExecArray => match !== null)
        .map((match) => Number(match[1]))
        .sort((a, b) => b - a)
    : [];
  for (const version of versions) {
    const dir = join(periodDir, `v${version}`);
    if (!existsSync(join(dir, 'manifest.json'))) continue; // being written by another run
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as Manifest;
    const reasons = [
      ...(manifest.position !== report.position
        ? [
            `Counted again at position ${report.position} of the event store (v${version} stood at ${manifest.position}): ` +
              'what was recorded since, late entries and back-dated records included, is in these figures.',
          ]
        : []),
      ...(manifest.suppressionThreshold !== report.threshold
        ? [
            `Counts from 1 to ${report.threshold - 1} suppressed (v${version}: 1 to ${manifest.suppressionThreshold - 1}).`,
          ]
        : []),
      ...(manifest.method !== REPORT_METHOD
        ? [`Method changed: ${REPORT_METHOD} (v${version}: ${manifest.method ?? 'harbour-statistics/1: UTC periods'}).`]
        : []),
    ];
    if (reasons.length === 0) continue;
    const previous = new Map<string, PublishedTable>();
    for (const { name } of manifest.files.filter((file) => file.name.endsWith('.json'))) {
      previous.set(name.replace(/\.json$/, ''), JSON.parse(readFileSync(join(dir, name), 'utf8')) as PublishedTable);
    }
    return { revises: `v${version}`, previousPosition: manifest.position, reasons, changes: changes(previous, report) };
  }
  return { revises: null, previousPosition: null, reasons: [], changes: [] };
}

function changes(previous: ReadonlyMap<string, PublishedTable>, report: Report): Revision[] {
  const found: Revision[] = [];
  for (const table of report.tables) {
    const before = previous.get(table.id);
    const labelsOf = (cells: readonly Cell[]) => cells.slice(0, table.labelColumns).map(String);
    const keyOf = (labels: readonly string[]) => labels.join('\u0000');
    const old = new Map(
      (before?.rows ?? []).map((row) => [
        keyOf(table.columns.slice(0, table.labelColumns).map((c) => String(row[c]))),
        row,
      ]),
    );
    const seen = new Set<string>();
    for (const cells of table.rows) {
      const labels = labelsOf(cells);
      seen.add(keyOf(labels));
      const was = old.get(keyOf(labels));
      table.columns.forEach((column, i) => {
        if (i < table.labelColumns) return;
        const then = was?.[column] ?? null;
        if (then !== cells[i]) found.push({ table: table.id, row: labels, column, was: then, now: cells[i] });
      });
    }
    for (const [key, row] of old) {
      if (seen.has(key)) continue;
      for (const column of before?.columns.slice(table.labelColumns) ?? []) {
        found.push({ table: table.id, row: key.split('\u0000'), column, was: row[column] ?? null, now: null });
      }
    }
  }
  return found;
}
