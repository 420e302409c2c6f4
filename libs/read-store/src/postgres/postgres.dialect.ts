import { sql, type Expression, type Kysely, type RawBuilder } from 'kysely';
import type { ColumnValue, TableSpec } from '../read-store.port';
import { indexName, primaryKeyName } from '../rows/table-spec.validation';
import type { DynamicDatabase, SqlDialect, StoreColumnType } from '../sql/sql-dialect';

/**
 * PostgreSQL: `text COLLATE "C"` so text orders bytewise as on SQLite whatever the database's
 * locale, `bigint` for integers and positions, `jsonb`, and `timestamptz` (canonical values
 * make it order exactly as SQLite's ISO text does).
 */
export const postgresDialect: SqlDialect = {
  name: 'postgres',
  maxParameters: 60_000,
  forUpdate: sql`for update`,

  columnType(type: StoreColumnType): Expression<unknown> {
    switch (type) {
      case 'text':
        return sql`text collate "C"`;
      case 'integer':
      case 'position':
        return sql`bigint`;
      case 'boolean':
        return sql`boolean`;
      case 'json':
        return sql`jsonb`;
      case 'timestamp':
        return sql`timestamptz`;
      default: {
        const unknown: never = type;
        throw new Error(`Unknown column type ${String(unknown)}`);
      }
    }
  },

  encode(type: StoreColumnType, value: ColumnValue | bigint): unknown {
    if (value === null) return null;
    if (type === 'json') return JSON.stringify(value);
    // node-postgres sends bigint through toString(); say so rather than rely on it.
    if (typeof value === 'bigint') return value.toString();
    return value;
  },

  decode(type, raw): ColumnValue {
    if (raw === null || raw === undefined) return null;
    switch (type) {
      case 'integer':
        return Number(raw);
      case 'boolean':
        return raw === true || raw === 't' || raw === 'true';
      case 'json':
        return (typeof raw === 'string' ? JSON.parse(raw) : raw) as ColumnValue;
      case 'timestamp':
        return (raw instanceof Date ? raw : new Date(String(raw))).toISOString();
      default:
        return String(raw);
    }
  },

  decodePosition(raw): bigint {
    return BigInt(raw as bigint | number | string);
  },

  contains(column, value): RawBuilder<boolean> {
    return sql<boolean>`(jsonb_typeof(${column}) = 'array' and ${column} @> ${JSON.stringify([value])}::jsonb)`;
  },

  keyIn(columns, keys): RawBuilder<boolean> {
    if (columns.length === 1) return sql<boolean>`${sql.ref(columns[0])} in (${sql.join(keys.map((key) => key[0]))})`;
    // A list of row constructors (not VALUES) lets each parameter take its column's type.
    const rows = sql.join(keys.map((key) => sql`(${sql.join(key)})`));
    return sql<boolean>`(${sql.join(columns.map((column) => sql.ref(column)))}) in (${rows})`;
  },

  async lockSchema(trx: Kysely<DynamicDatabase>): Promise<void> {
    // Per schema: tests (and tenants) side by side in one database do not wait for each other.
    await sql`select pg_advisory_xact_lock(hashtext('harbour-read-store-schema:' || current_schema()))`.execute(trx);
  },

  async swapTable(trx: Kysely<DynamicDatabase>, spec: TableSpec, suffix: string): Promise<void> {
    const shadow = `${spec.table}${suffix}`;
    await sql`drop table if exists ${sql.table(spec.table)}`.execute(trx);
    await sql`alter table ${sql.table(shadow)} rename to ${sql.table(spec.table)}`.execute(trx);
    await sql`alter table ${sql.table(spec.table)} rename constraint ${sql.id(primaryKeyName(shadow))} to ${sql.id(
      primaryKeyName(spec.table),
    )}`.execute(trx);
    for (const columns of spec.indexes ?? []) {
      await sql`alter index ${sql.id(indexName(shadow, columns))} rename to ${sql.id(indexName(spec.table, columns))}`.execute(
        trx,
      );
    }
  },

  isUniqueViolation(error: unknown): boolean {
    return (error as { code?: unknown } | null)?.code === '23505';
  },
};
