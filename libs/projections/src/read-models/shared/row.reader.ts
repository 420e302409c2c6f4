import type { Row } from '@harbour/read-store';
import { MalformedRowError } from './read-model.errors';

/**
 * Typed access to a stored row for the DTO mappers. Rows come back from the read store, so a
 * value of the wrong type is a bug or a stale table: it fails loudly (`MalformedRowError`) rather
 * than reaching a client as `undefined`.
 */
export class RowReader {
  constructor(
    private readonly table: string,
    private readonly row: Row,
  ) {}

  text(column: string): string {
    const value = this.row[column];
    if (typeof value !== 'string') throw this.malformed(column, 'a string', value);
    return value;
  }

  textOrNull(column: string): string | null {
    return this.row[column] === null || this.row[column] === undefined ? null : this.text(column);
  }

  /** A string that must be one of `allowed` (a vocabulary of the domain). */
  oneOf<T extends string>(column: string, allowed: readonly T[]): T {
    const value = this.text(column);
    if (!(allowed as readonly string[]).includes(value)) throw this.malformed(column, allowed.join(' | '), value);
    return value as T;
  }

  oneOfOrNull<T extends string>(column: string, allowed: readonly T[]): T | null {
    return this.row[column] === null || this.row[column] === undefined ? null : this.oneOf(column, allowed);
  }

  integer(column: string): number {
    const value = this.row[column];
    // 64-bit integer columns may come back as decimal strings (PostgreSQL `bigint`).
    const number = typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value;
    if (typeof number !== 'number' || !Number.isSafeInteger(number)) throw this.malformed(column, 'an integer', value);
    return number;
  }

  integerOrNull(column: string): number | null {
    return this.row[column] === null || this.row[column] === undefined ? null : this.integer(column);
  }

  boolean(column: string): boolean {
    const value = this.row[column];
    // SQLite has no boolean type: 0 and 1 are what it stores.
    if (value === 0 || value === 1) return value === 1;
    if (typeof value !== 'boolean') throw this.malformed(column, 'a boolean', value);
    return value;
  }

  booleanOrNull(column: string): boolean | null {
    return this.row[column] === null || this.row[column] === undefined ? null : this.boolean(column);
  }

  /** A `json` column holding an array. Elements are trusted as `T`: this model wrote them. */
  array<T>(column: string): T[] {
    const value = this.row[column];
    if (!Array.isArray(value)) throw this.malformed(column, 'a JSON array', value);
    return [...(value as readonly T[])];
  }

  arrayOrNull<T>(column: string): T[] | null {
    return this.row[column] === null || this.row[column] === undefined ? null : this.array<T>(column);
  }

  /** A `json` column holding an object. The object is trusted as `T`: this model wrote it. */
  object<T>(column: string): T {
    const value = this.row[column];
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw this.malformed(column, 'a JSON object', value);
    }
    return value as T;
  }

  objectOrNull<T>(column: string): T | null {
    return this.row[column] === null || this.row[column] === undefined ? null : this.object<T>(column);
  }

  /** A decimal integer string (a position too large for a number). */
  decimal(column: string): string {
    const value = this.text(column);
    if (!/^\d+$/.test(value)) throw this.malformed(column, 'a decimal integer string', value);
    return value;
  }

  /**
   * The global position of the event that last changed the row (`last_position`, which the runner
   * writes), as a decimal string: positions are bigint inside and strings on the wire.
   */
  position(): string {
    // `unknown`: a store reading 64-bit integers exactly may return a bigint, which no ColumnValue is.
    const value: unknown = this.row.last_position;
    if (typeof value === 'bigint') return value.toString();
    if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return String(value);
    if (typeof value === 'string' && /^\d+$/.test(value)) return value;
    throw this.malformed('last_position', 'a non-negative integer', value);
  }

  // Names the type found, never the value: some columns hold personal data, and errors get logged.
  private malformed(column: string, expected: string, value: unknown): MalformedRowError {
    const got =
      value === undefined ? 'nothing' : value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value;
    return new MalformedRowError(this.table, column, `expected ${expected}, got ${got}`);
  }
}
