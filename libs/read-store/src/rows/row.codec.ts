import { RowShapeError } from '../read-store.errors';
import { LAST_POSITION_COLUMN, type ColumnSpec, type ColumnValue, type Row, type TableSpec } from '../read-store.port';
import { checkTableSpec } from './table-spec.validation';

/**
 * The row exactly as the store will give it back: every declared column present (a missing
 * nullable one is null), `json` values as a JSON round trip makes them, `timestamp` values as
 * `toISOString()` (UTC, milliseconds), so that ordering by text and by instant agree on both
 * dialects. A projection runner calls it right after `evolve`, so that a row that cannot be
 * stored fails its event (parked or stopping the projection), not the whole batch's commit.
 *
 * A `last_position` value is dropped: the store sets it from the event that changed the row.
 * @throws RowShapeError naming the table and column (never the value).
 */
export function canonicalRow(table: TableSpec, row: Row): Row {
  checkTableSpec(table);
  for (const column of Object.keys(row)) {
    if (!(column in table.columns) && column !== LAST_POSITION_COLUMN) {
      throw new RowShapeError(table.table, column, 'is not a declared column');
    }
  }
  const canonical: Record<string, ColumnValue> = {};
  for (const [column, spec] of Object.entries(table.columns)) {
    canonical[column] = canonicalValue(table.table, column, spec, row[column]);
  }
  return canonical;
}

/** The key columns of `key` (which may be a whole row), canonical. */
export function canonicalKey(table: TableSpec, key: Row): Row {
  const canonical: Record<string, ColumnValue> = {};
  for (const column of table.key) {
    canonical[column] = canonicalValue(table.table, column, table.columns[column], key[column]);
  }
  return canonical;
}

/** A string that identifies a key within its table: equal keys give equal strings. */
export function keyString(table: TableSpec, key: Row): string {
  return JSON.stringify(table.key.map((column) => key[column]));
}

/** One value, canonical for its column; `undefined` counts as absent. */
export function canonicalValue(table: string, column: string, spec: ColumnSpec, value: unknown): ColumnValue {
  if (value === null || value === undefined) {
    if (spec.nullable) return null;
    throw new RowShapeError(table, column, 'is required');
  }
  switch (spec.type) {
    case 'text':
      if (typeof value !== 'string') throw new RowShapeError(table, column, 'must be a string');
      return value;
    case 'integer':
      if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
        throw new RowShapeError(table, column, 'must be a safe integer');
      }
      return value;
    case 'boolean':
      if (typeof value !== 'boolean') throw new RowShapeError(table, column, 'must be a boolean');
      return value;
    case 'timestamp': {
      // Most values are already canonical (toISOString's form): no need to parse and format them.
      if (typeof value === 'string' && CANONICAL_INSTANT.test(value)) return value;
      const time = typeof value === 'string' ? Date.parse(value) : Number.NaN;
      if (Number.isNaN(time)) throw new RowShapeError(table, column, 'must be an ISO-8601 date-time string');
      return new Date(time).toISOString();
    }
    case 'json': {
      if (isPlainJson(value, 0)) return value as ColumnValue;
      let text: string | undefined;
      try {
        text = JSON.stringify(value);
      } catch {
        throw new RowShapeError(table, column, 'must be JSON-serialisable');
      }
      if (text === undefined) throw new RowShapeError(table, column, 'must be JSON-serialisable');
      return JSON.parse(text) as ColumnValue;
    }
    default: {
      const unknown: never = spec.type;
      throw new RowShapeError(table, column, `has an unknown column type ${String(unknown)}`);
    }
  }
}

const CANONICAL_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/**
 * True when a JSON round trip would give back an equal value (plain arrays and objects of finite
 * numbers, strings, booleans and null): then the costly stringify-and-parse can be skipped.
 */
function isPlainJson(value: unknown, depth: number): boolean {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value) && !Object.is(value, -0);
  if (typeof value !== 'object' || depth > 32) return false;
  if (Array.isArray(value)) return value.every((item) => isPlainJson(item, depth + 1));
  const prototype = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return false;
  return Object.values(value).every((item) => item !== undefined && isPlainJson(item, depth + 1));
}
