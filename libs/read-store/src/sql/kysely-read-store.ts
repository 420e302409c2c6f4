import { CompiledQuery, sql, type Kysely } from 'kysely';
import { CheckpointConflictError } from '../read-store.errors';
import {
  LAST_POSITION_COLUMN,
  type Checkpoint,
  type ColumnValue,
  type ParkedEvent,
  type ReadStore,
  type Row,
  type RowChange,
  type TableQuery,
  type TableSpec,
} from '../read-store.port';
import { canonicalKey, canonicalRow, keyString } from '../rows/row.codec';
import { checkSuffix, checkTableSpec } from '../rows/table-spec.validation';
import { CHECKPOINTS_TABLE, PARKED_TABLE, runBookkeepingMigrations } from './bookkeeping.migrations';
import type { DynamicDatabase, SqlDialect } from './sql-dialect';
import { createModelTable, dropTableIfExists } from './table.ddl';
import { selectQuery } from './table-query.sql';

type Batch = Parameters<ReadStore['commitBatch']>[0];

/** The most rows one upsert statement writes (fewer when the dialect's parameter limit says so). */
const UPSERT_ROWS = 64;

interface CheckpointRow {
  readonly position: bigint;
  readonly version: number;
  readonly generation: number;
  readonly updatedAt: string;
}

/**
 * The read store on any SQL dialect Kysely speaks: everything that is the same on SQLite and
 * PostgreSQL lives here, the differences in a `SqlDialect`. Bookkeeping migrations run before the
 * first operation (or at boot through `migrate()`).
 */
export abstract class KyselyReadStore implements ReadStore {
  private migrated?: Promise<void>;
  private closed = false;
  /** Upsert SQL by table, suffix, columns and row count (see `upsertSql`). */
  private readonly upserts = new Map<string, string>();

  protected constructor(
    protected readonly db: Kysely<DynamicDatabase>,
    protected readonly sqlDialect: SqlDialect,
    private readonly now: () => Date,
  ) {}

  get dialect(): 'sqlite' | 'postgres' {
    return this.sqlDialect.name;
  }

  /**
   * Runs one write transaction that excludes every other writer of this store's schema for its
   * duration where the dialect needs it (SQLite: `BEGIN IMMEDIATE`).
   */
  protected abstract writeTransaction<T>(work: (trx: Kysely<DynamicDatabase>) => Promise<T>): Promise<T>;

  /** Creates or updates the bookkeeping tables. Idempotent, and safe for concurrent starts. */
  migrate(): Promise<void> {
    this.migrated ??= this.writeTransaction(async (trx) => {
      await this.sqlDialect.lockSchema(trx);
      await runBookkeepingMigrations(trx, this.sqlDialect, this.now);
    }).catch((error: unknown) => {
      // A failed start (database down) may be retried by the next call.
      this.migrated = undefined;
      throw error;
    });
    return this.migrated;
  }

  async ensureTables(tables: readonly TableSpec[], suffix = ''): Promise<void> {
    for (const table of tables) checkTableSpec(table, suffix);
    await this.migrate();
    await this.writeTransaction(async (trx) => {
      await this.sqlDialect.lockSchema(trx);
      for (const table of tables) await createModelTable(trx, this.sqlDialect, table, suffix);
    });
  }

  async loadRows(table: TableSpec, keys: readonly Row[], suffix = ''): Promise<Row[]> {
    checkTableSpec(table, suffix);
    if (keys.length === 0) return [];
    await this.migrate();
    const encoded = this.encodeKeys(table, keys);
    const rows: Row[] = [];
    for (const chunk of chunks(encoded, Math.floor(this.sqlDialect.maxParameters / table.key.length))) {
      const result = await sql<
        Record<string, unknown>
      >`select * from ${sql.table(`${table.table}${suffix}`)} where ${this.sqlDialect.keyIn(table.key, chunk)}`.execute(
        this.db,
      );
      for (const raw of result.rows) rows.push(this.decodeRow(table, raw, false));
    }
    return rows;
  }

  async commitBatch(batch: Batch): Promise<void> {
    const suffix = batch.suffix ?? '';
    for (const table of batch.tables) checkTableSpec(table, suffix);
    const specs = new Map(batch.tables.map((table) => [table.table, table]));
    const { upserts, deletes } = this.collapse(specs, batch.changes);
    const checkpointKey = `${batch.projection}${suffix}`;
    await this.migrate();
    await this.writeTransaction(async (trx) => {
      const current = await this.lockCheckpoint(trx, checkpointKey);
      const generation = current?.generation ?? 0;
      if (batch.expectedGeneration !== undefined && batch.expectedGeneration !== generation) {
        throw new CheckpointConflictError(checkpointKey, batch.expectedGeneration, generation);
      }
      for (const [tableName, keys] of deletes) await this.deleteRows(trx, specs.get(tableName)!, keys, suffix);
      for (const [tableName, rows] of upserts) await this.upsertRows(trx, specs.get(tableName)!, rows, suffix);
      for (const parked of batch.parked) await this.park(trx, checkpointKey, parked);
      for (const position of batch.unparked ?? []) await this.deleteParked(trx, checkpointKey, position);
      await this.writeCheckpoint(trx, checkpointKey, current, {
        position: batch.checkpoint,
        version: batch.version,
        generation: generation + 1,
      });
    });
  }

  async select(table: TableSpec, query: TableQuery): Promise<Row[]> {
    checkTableSpec(table);
    await this.migrate();
    const result = await selectQuery(this.sqlDialect, table, table.table, query).execute(this.db);
    return result.rows.map((raw) => this.decodeRow(table, raw, true));
  }

  async checkpoint(projection: string): Promise<Checkpoint | undefined> {
    await this.migrate();
    const row = await this.readCheckpoint(this.db, projection, false);
    return row && { projection, ...row };
  }

  async parkedEvents(projection?: string): Promise<ParkedEvent[]> {
    await this.migrate();
    let query = this.db.selectFrom(PARKED_TABLE).selectAll();
    if (projection !== undefined) query = query.where('projection', '=', projection);
    const rows = await query.orderBy('projection').orderBy('position').execute();
    return rows.map((row) => ({
      projection: String(row.projection),
      position: this.sqlDialect.decodePosition(row.position),
      eventId: String(row.event_id),
      stream: String(row.stream),
      type: String(row.type),
      error: String(row.error),
      parkedAt: String(this.sqlDialect.decode('timestamp', row.parked_at)),
    }));
  }

  async unpark(projection: string, position: bigint): Promise<void> {
    await this.migrate();
    await this.deleteParked(this.db, projection, position);
  }

  async swapIn(
    projection: string,
    version: number,
    tables: readonly TableSpec[],
    suffix: string,
    checkpoint: bigint,
  ): Promise<void> {
    checkSuffix(suffix);
    if (suffix === '') throw new Error('swapIn needs the suffix the shadow tables were built under');
    for (const table of tables) checkTableSpec(table, suffix);
    await this.migrate();
    const shadowKey = `${projection}${suffix}`;
    await this.writeTransaction(async (trx) => {
      await this.sqlDialect.lockSchema(trx);
      const live = await this.lockCheckpoint(trx, projection);
      const shadow = await this.lockCheckpoint(trx, shadowKey);
      for (const table of tables) await this.sqlDialect.swapTable(trx, table, suffix);
      await trx.deleteFrom(PARKED_TABLE).where('projection', '=', projection).execute();
      await trx.updateTable(PARKED_TABLE).set({ projection }).where('projection', '=', shadowKey).execute();
      await trx.deleteFrom(CHECKPOINTS_TABLE).where('projection', '=', shadowKey).execute();
      // Past both generations, so that a batch computed against either table set is refused.
      const generation = Math.max(live?.generation ?? 0, shadow?.generation ?? 0) + 1;
      await this.writeCheckpoint(trx, projection, live, { position: checkpoint, version, generation });
    });
  }

  async discardShadow(projection: string, tables: readonly TableSpec[], suffix: string): Promise<void> {
    checkSuffix(suffix);
    if (suffix === '') throw new Error('discardShadow needs the suffix the shadow tables were built under');
    for (const table of tables) checkTableSpec(table, suffix);
    await this.migrate();
    const shadowKey = `${projection}${suffix}`;
    await this.writeTransaction(async (trx) => {
      await this.sqlDialect.lockSchema(trx);
      for (const table of tables) await dropTableIfExists(trx, `${table.table}${suffix}`);
      await trx.deleteFrom(PARKED_TABLE).where('projection', '=', shadowKey).execute();
      await trx.deleteFrom(CHECKPOINTS_TABLE).where('projection', '=', shadowKey).execute();
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    // A migration still running would otherwise fail on a destroyed pool after close returns.
    await this.migrated?.catch(() => undefined);
    await this.db.destroy();
  }

  /** The last change per row wins: a batch may touch a row several times, a statement only once. */
  private collapse(
    specs: ReadonlyMap<string, TableSpec>,
    changes: readonly RowChange[],
  ): { upserts: Map<string, Map<string, { row: Row; position: bigint }>>; deletes: Map<string, Map<string, Row>> } {
    const upserts = new Map<string, Map<string, { row: Row; position: bigint }>>();
    const deletes = new Map<string, Map<string, Row>>();
    const spec = (table: string) => {
      const found = specs.get(table);
      if (!found) throw new Error(`Change to table ${table}, which is not among the batch's tables`);
      return found;
    };
    for (const change of changes) {
      const table = spec(change.table);
      if (change.kind === 'upsert') {
        const row = canonicalRow(table, change.row);
        const key = keyString(table, row);
        deletes.get(table.table)?.delete(key);
        getOrCreate(upserts, table.table).set(key, { row, position: change.position });
      } else {
        const row = canonicalKey(table, change.key);
        const key = keyString(table, row);
        upserts.get(table.table)?.delete(key);
        getOrCreate(deletes, table.table).set(key, row);
      }
    }
    return { upserts, deletes };
  }

  private encodeKeys(table: TableSpec, keys: readonly Row[]): unknown[][] {
    const unique = new Map<string, unknown[]>();
    for (const key of keys) {
      const canonical = canonicalKey(table, key);
      unique.set(
        keyString(table, canonical),
        table.key.map((column) => this.sqlDialect.encode(table.columns[column].type, canonical[column])),
      );
    }
    return [...unique.values()];
  }

  private async deleteRows(
    trx: Kysely<DynamicDatabase>,
    table: TableSpec,
    keys: ReadonlyMap<string, Row>,
    suffix: string,
  ): Promise<void> {
    const encoded = this.encodeKeys(table, [...keys.values()]);
    for (const chunk of chunks(encoded, Math.floor(this.sqlDialect.maxParameters / table.key.length))) {
      await sql`delete from ${sql.table(`${table.table}${suffix}`)} where ${this.sqlDialect.keyIn(table.key, chunk)}`.execute(
        trx,
      );
    }
  }

  private async upsertRows(
    trx: Kysely<DynamicDatabase>,
    table: TableSpec,
    rows: ReadonlyMap<string, { row: Row; position: bigint }>,
    suffix: string,
  ): Promise<void> {
    const columns = [...Object.keys(table.columns), LAST_POSITION_COLUMN];
    const types = columns.map((column) =>
      column === LAST_POSITION_COLUMN ? ('position' as const) : table.columns[column].type,
    );
    // Row-major, in `columns` order: the order the compiled statement binds them in.
    const values: unknown[] = [];
    for (const { row, position } of rows.values()) {
      for (let c = 0; c < columns.length - 1; c++) values.push(this.sqlDialect.encode(types[c], row[columns[c]]));
      values.push(this.sqlDialect.encode('position', position));
    }
    const largest = Math.min(UPSERT_ROWS, Math.floor(this.sqlDialect.maxParameters / columns.length));
    let done = 0;
    while (done < rows.size) {
      // Chunks of `largest` rows, then of halving sizes: a few statement shapes per table, each
      // compiled once and then only bound (the driver caches the prepared statement by its text).
      let count = largest;
      while (count > rows.size - done) count = Math.max(1, count >> 1);
      const text = this.upsertSql(trx, table, suffix, columns, count);
      const parameters = values.slice(done * columns.length, (done + count) * columns.length);
      await trx.executeQuery(CompiledQuery.raw(text, parameters));
      done += count;
    }
  }

  /** The SQL text of an upsert of `count` rows into the table, built by Kysely once per shape. */
  private upsertSql(
    trx: Kysely<DynamicDatabase>,
    table: TableSpec,
    suffix: string,
    columns: readonly string[],
    count: number,
  ): string {
    const shape = `${table.table}${suffix}\u0000${columns.join(',')}\u0000${count}`;
    let text = this.upserts.get(shape);
    if (text === undefined) {
      const updated = columns.filter((column) => !table.key.includes(column));
      const placeholderRow = Object.fromEntries(columns.map((column) => [column, null]));
      const compiled = trx
        .insertInto(`${table.table}${suffix}`)
        .values(Array.from({ length: count }, () => placeholderRow))
        .onConflict((conflict) =>
          conflict
            .columns([...table.key])
            .doUpdateSet(Object.fromEntries(updated.map((column) => [column, sql.ref(`excluded.${column}`)]))),
        )
        .compile();
      if (compiled.parameters.length !== count * columns.length) {
        throw new Error(
          `${table.table}: the compiled upsert binds ${compiled.parameters.length} values, not ${count * columns.length}`,
        );
      }
      text = compiled.sql;
      this.upserts.set(shape, text);
    }
    return text;
  }

  private async park(trx: Kysely<DynamicDatabase>, projection: string, event: ParkedEvent): Promise<void> {
    const values = {
      projection,
      position: this.sqlDialect.encode('position', event.position),
      event_id: event.eventId,
      stream: event.stream,
      type: event.type,
      error: event.error,
      parked_at: this.sqlDialect.encode('timestamp', new Date(event.parkedAt).toISOString()),
    };
    // A retry that fails again keeps the event parked, with the latest error.
    await trx
      .insertInto(PARKED_TABLE)
      .values(values)
      .onConflict((conflict) =>
        conflict.columns(['projection', 'position']).doUpdateSet({ error: values.error, parked_at: values.parked_at }),
      )
      .execute();
  }

  private async deleteParked(db: Kysely<DynamicDatabase>, projection: string, position: bigint): Promise<void> {
    await db
      .deleteFrom(PARKED_TABLE)
      .where('projection', '=', projection)
      .where('position', '=', this.sqlDialect.encode('position', position))
      .execute();
  }

  private lockCheckpoint(trx: Kysely<DynamicDatabase>, key: string): Promise<CheckpointRow | undefined> {
    return this.readCheckpoint(trx, key, true);
  }

  private async readCheckpoint(
    db: Kysely<DynamicDatabase>,
    key: string,
    forUpdate: boolean,
  ): Promise<CheckpointRow | undefined> {
    const result = await sql<Record<string, unknown>>`select position, version, generation, updated_at from ${sql.table(
      CHECKPOINTS_TABLE,
    )} where projection = ${key}${forUpdate ? sql` ${this.sqlDialect.forUpdate}` : sql``}`.execute(db);
    const row = result.rows[0];
    if (!row) return undefined;
    return {
      position: this.sqlDialect.decodePosition(row.position),
      version: Number(this.sqlDialect.decode('integer', row.version)),
      generation: Number(this.sqlDialect.decode('integer', row.generation)),
      updatedAt: String(this.sqlDialect.decode('timestamp', row.updated_at)),
    };
  }

  /**
   * Inserts when there was no row: two writers that both found none then race on the primary
   * key, and the loser is told so instead of overwriting (an upsert would let both win).
   */
  private async writeCheckpoint(
    trx: Kysely<DynamicDatabase>,
    key: string,
    current: CheckpointRow | undefined,
    next: { position: bigint; version: number; generation: number },
  ): Promise<void> {
    const values = {
      position: this.sqlDialect.encode('position', next.position),
      version: next.version,
      generation: next.generation,
      updated_at: this.sqlDialect.encode('timestamp', this.now().toISOString()),
    };
    if (current) {
      await trx.updateTable(CHECKPOINTS_TABLE).set(values).where('projection', '=', key).execute();
      return;
    }
    try {
      await trx
        .insertInto(CHECKPOINTS_TABLE)
        .values({ projection: key, ...values })
        .execute();
    } catch (error) {
      if (this.sqlDialect.isUniqueViolation(error)) throw new CheckpointConflictError(key, 0, next.generation);
      throw error;
    }
  }

  private decodeRow(table: TableSpec, raw: Record<string, unknown>, withPosition: boolean): Row {
    const row: Record<string, ColumnValue> = {};
    for (const [column, spec] of Object.entries(table.columns))
      row[column] = this.sqlDialect.decode(spec.type, raw[column]);
    if (withPosition) row[LAST_POSITION_COLUMN] = this.sqlDialect.decodePosition(raw[LAST_POSITION_COLUMN]).toString();
    return row;
  }
}

function getOrCreate<V>(map: Map<string, Map<string, V>>, key: string): Map<string, V> {
  let inner = map.get(key);
  if (!inner) {
    inner = new Map();
    map.set(key, inner);
  }
  return inner;
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const result: T[][] = [];
  const step = Math.max(1, size);
  for (let i = 0; i < items.length; i += step) result.push(items.slice(i, i + step));
  return result;
}
