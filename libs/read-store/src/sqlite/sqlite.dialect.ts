import { sql, type Expression, type Kysely, type RawBuilder } from 'kysely';
import type { ColumnValue, TableSpec } from '../read-store.port';
import { indexName } from '../rows/table-spec.validation';
import type { DynamicDatabase, SqlDialect, StoreColumnType } from '../sql/sql-dialect';
import { createModelIndexes } from '../sql/table.ddl';

/**
 * SQLite: text for text, json and timestamps (canonical ISO strings order as instants do), 0/1 for
 * booleans. The connection reads integers as bigint (`defaultSafeIntegers`) so that positions past
 * 2^53 survive; model integers are safe by construction and come back as numbers.
 */
export const sqliteDialect: SqlDialect = {
  name: 'sqlite',
  // SQLITE_MAX_VARIABLE_NUMBER is 32766 since 3.32; leave room.
  maxParameters: 30_000,
  forUpdate: sql``,

  columnType(type: StoreColumnType): Expression<unknown> {
    return type === 'integer' || type === 'boolean' || type === 'position' ? sql`integer` : sql`text`;
  },

  encode(type: StoreColumnType, value: ColumnValue | bigint): unknown {
    if (value === null) return null;
    switch (type) {
      case 'boolean':
        return value ? 1 : 0;
      case 'json':
        return JSON.stringify(value);
      default:
        return value;
    }
  },

  decode(type, raw): ColumnValue {
    if (raw === null || raw === undefined) return null;
    switch (type) {
      case 'integer':
        return Number(raw);
      case 'boolean':
        return Number(raw) !== 0;
      case 'json':
        return JSON.parse(String(raw)) as ColumnValue;
      default:
        return String(raw);
    }
  },

  decodePosition(raw): bigint {
    return BigInt(raw as bigint | number | string);
  },

  contains(column, value): RawBuilder<boolean> {
    return sql<boolean>`(json_type(${column}) = 'array' and exists (select 1 from json_each(${column}) where value = ${value}))`;
  },

  keyIn(columns, keys): RawBuilder<boolean> {
    if (columns.length === 1) return sql<boolean>`${sql.ref(columns[0])} in (${sql.join(keys.map((key) => key[0]))})`;
    // A row value IN needs a subquery on SQLite: VALUES is one.
    const rows = sql.join(keys.map((key) => sql`(${sql.join(key)})`));
    return sql<boolean>`(${sql.join(columns.map((column) => sql.ref(column)))}) in (values ${rows})`;
  },

  // BEGIN IMMEDIATE already holds the database's only write lock.
  async lockSchema(): Promise<void> {},

  async swapTable(trx: Kysely<DynamicDatabase>, spec: TableSpec, suffix: string): Promise<void> {
    const shadow = `${spec.table}${suffix}`;
    await sql`drop table if exists ${sql.table(spec.table)}`.execute(trx);
    await sql`alter table ${sql.table(shadow)} rename to ${sql.table(spec.table)}`.execute(trx);
    // SQLite cannot rename an index: the shadow's go, and the live names are built in this transaction.
    for (const columns of spec.indexes ?? []) {
      await sql`drop index if exists ${sql.id(indexName(shadow, columns))}`.execute(trx);
    }
    await createModelIndexes(trx, spec, spec.table);
  },

  isUniqueViolation(error: unknown): boolean {
    const code = (error as { code?: unknown } | null)?.code;
    return code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === 'SQLITE_CONSTRAINT_UNIQUE';
  },
};
