import type { Expression, Kysely, RawBuilder } from 'kysely';
import type { ColumnType, ColumnValue, TableSpec } from '../read-store.port';

/** The shape Kysely sees: tables and columns are only known at run time, from `TableSpec`s. */
export type DynamicDatabase = Record<string, Record<string, unknown>>;

/** The column types of the store's own columns, on top of the models' `ColumnType`s. */
export type StoreColumnType = ColumnType | 'position';

/** Where the two dialects differ; everything else is one implementation over Kysely. */
export interface SqlDialect {
  readonly name: 'sqlite' | 'postgres';
  /** The most bound parameters one statement may carry. */
  readonly maxParameters: number;
  columnType(type: StoreColumnType): Expression<unknown>;
  /** A canonical value (see `canonicalRow`) as the driver binds it. */
  encode(type: StoreColumnType, value: ColumnValue | bigint): unknown;
  /** A value as the driver returns it, back to its canonical form. */
  decode(type: ColumnType, raw: unknown): ColumnValue;
  decodePosition(raw: unknown): bigint;
  /** True when the `json` array in `column` holds `value`. */
  contains(column: RawBuilder<unknown>, value: string | number): RawBuilder<boolean>;
  /** True when the row's key columns equal one of `keys` (encoded, in key-column order). */
  keyIn(columns: readonly string[], keys: readonly (readonly unknown[])[]): RawBuilder<boolean>;
  /** `FOR UPDATE` where the dialect has row locks; SQLite's write transaction already excludes others. */
  readonly forUpdate: RawBuilder<unknown>;
  /** Serialises schema changes between processes, inside the current transaction. */
  lockSchema(trx: Kysely<DynamicDatabase>): Promise<void>;
  /** Renames a shadow table (and what is named after it) over the live one, inside the transaction. */
  swapTable(trx: Kysely<DynamicDatabase>, spec: TableSpec, suffix: string): Promise<void>;
  /** Maps a driver error to "a unique key was violated", for the checkpoint insert race. */
  isUniqueViolation(error: unknown): boolean;
}
