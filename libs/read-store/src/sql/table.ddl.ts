import { sql, type CreateTableBuilder, type Kysely } from 'kysely';
import { LAST_POSITION_COLUMN, type TableSpec } from '../read-store.port';
import { indexName, primaryKeyName } from '../rows/table-spec.validation';
import type { DynamicDatabase, SqlDialect } from './sql-dialect';

/** Creates a model's table (under `suffix`) and its indexes, unless they exist. */
export async function createModelTable(
  trx: Kysely<DynamicDatabase>,
  dialect: SqlDialect,
  spec: TableSpec,
  suffix: string,
): Promise<void> {
  const table = `${spec.table}${suffix}`;
  // Column names are only known at run time: widen the builder's column-name type to string.
  let create: CreateTableBuilder<string, string> = trx.schema.createTable(table).ifNotExists();
  for (const [column, columnSpec] of Object.entries(spec.columns)) {
    create = create.addColumn(column, dialect.columnType(columnSpec.type), (col) =>
      columnSpec.nullable ? col : col.notNull(),
    );
  }
  create = create
    .addColumn(LAST_POSITION_COLUMN, dialect.columnType('position'), (col) => col.notNull())
    .addPrimaryKeyConstraint(primaryKeyName(table), [...spec.key]);
  await create.execute();
  await createModelIndexes(trx, spec, table);
}

/** Creates the spec's secondary indexes on `table` (the live or the shadow one), unless they exist. */
export async function createModelIndexes(trx: Kysely<DynamicDatabase>, spec: TableSpec, table: string): Promise<void> {
  for (const columns of spec.indexes ?? []) {
    await trx.schema
      .createIndex(indexName(table, columns))
      .ifNotExists()
      .on(table)
      .columns([...columns])
      .execute();
  }
}

export async function dropTableIfExists(trx: Kysely<DynamicDatabase>, table: string): Promise<void> {
  await sql`drop table if exists ${sql.table(table)}`.execute(trx);
}
