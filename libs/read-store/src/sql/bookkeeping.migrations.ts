import type { Kysely } from 'kysely';
import type { DynamicDatabase, SqlDialect } from './sql-dialect';

export const CHECKPOINTS_TABLE = 'projection_checkpoints';
export const PARKED_TABLE = 'projection_parked_events';
const MIGRATIONS_TABLE = 'read_store_migrations';

interface Migration {
  /** Never renamed once released: it is how a store knows the migration ran. */
  readonly id: string;
  readonly up: (trx: Kysely<DynamicDatabase>, dialect: SqlDialect) => Promise<void>;
}

/** The store's own tables, in order. Append new migrations; never edit a released one. */
const MIGRATIONS: readonly Migration[] = [
  {
    id: '0001-projection-bookkeeping',
    up: async (trx, dialect) => {
      await trx.schema
        .createTable(CHECKPOINTS_TABLE)
        .ifNotExists()
        .addColumn('projection', dialect.columnType('text'), (col) => col.primaryKey())
        .addColumn('position', dialect.columnType('position'), (col) => col.notNull())
        .addColumn('version', dialect.columnType('integer'), (col) => col.notNull())
        .addColumn('generation', dialect.columnType('integer'), (col) => col.notNull())
        .addColumn('updated_at', dialect.columnType('timestamp'), (col) => col.notNull())
        .execute();
      await trx.schema
        .createTable(PARKED_TABLE)
        .ifNotExists()
        .addColumn('projection', dialect.columnType('text'), (col) => col.notNull())
        .addColumn('position', dialect.columnType('position'), (col) => col.notNull())
        .addColumn('event_id', dialect.columnType('text'), (col) => col.notNull())
        .addColumn('stream', dialect.columnType('text'), (col) => col.notNull())
        .addColumn('type', dialect.columnType('text'), (col) => col.notNull())
        .addColumn('error', dialect.columnType('text'), (col) => col.notNull())
        .addColumn('parked_at', dialect.columnType('timestamp'), (col) => col.notNull())
        .addPrimaryKeyConstraint(`${PARKED_TABLE}_pkey`, ['projection', 'position'])
        .execute();
    },
  },
];

/**
 * Brings the bookkeeping tables up to date. The caller holds the schema lock inside one
 * transaction, so concurrent starts apply each migration once and a failed one leaves nothing.
 */
export async function runBookkeepingMigrations(
  trx: Kysely<DynamicDatabase>,
  dialect: SqlDialect,
  now: () => Date,
): Promise<void> {
  await trx.schema
    .createTable(MIGRATIONS_TABLE)
    .ifNotExists()
    .addColumn('id', dialect.columnType('text'), (col) => col.primaryKey())
    .addColumn('applied_at', dialect.columnType('timestamp'), (col) => col.notNull())
    .execute();
  const applied = new Set((await trx.selectFrom(MIGRATIONS_TABLE).select('id').execute()).map((row) => String(row.id)));
  for (const migration of MIGRATIONS) {
    if (applied.has(migration.id)) continue;
    await migration.up(trx, dialect);
    await trx
      .insertInto(MIGRATIONS_TABLE)
      .values({ id: migration.id, applied_at: dialect.encode('timestamp', now().toISOString()) })
      .execute();
  }
}
