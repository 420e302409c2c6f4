import { sql, type RawBuilder } from 'kysely';
import { InvalidReadStoreRequestError } from '../read-store.errors';
import { LAST_POSITION_COLUMN, type Condition, type TableQuery, type TableSpec } from '../read-store.port';
import { canonicalValue } from '../rows/row.codec';
import type { SqlDialect, StoreColumnType } from './sql-dialect';

interface ColumnInfo {
  readonly type: StoreColumnType;
  readonly nullable: boolean;
}

interface OrderColumn extends ColumnInfo {
  readonly column: string;
  readonly direction: 'asc' | 'desc';
}

const FALSE = sql<boolean>`1 = 0`;

/**
 * `select * from <table> where ... order by ... limit n` for a `TableQuery`, the same on both
 * dialects: nulls sort first ascending and last descending (SQLite's default, spelled out for
 * PostgreSQL), text compares bytewise (PostgreSQL columns are `COLLATE "C"`), and the keyset
 * cursor is expanded per column so that mixed directions and nulls page correctly.
 */
export function selectQuery(
  dialect: SqlDialect,
  spec: TableSpec,
  table: string,
  query: TableQuery,
): RawBuilder<Record<string, unknown>> {
  if (!Number.isSafeInteger(query.limit) || query.limit < 1) {
    throw new InvalidReadStoreRequestError(`${spec.table}: limit must be a positive whole number`);
  }
  const order = orderColumns(spec, query);
  const predicates = (query.where ?? []).map((condition) => conditionSql(dialect, spec, condition));
  if (query.after) predicates.push(afterSql(dialect, spec, order, query.after));
  const where = predicates.length === 0 ? sql`` : sql` where ${sql.join(predicates, sql` and `)}`;
  const orderBy = sql.join(
    order.map(({ column, direction }) =>
      direction === 'asc' ? sql`${sql.ref(column)} asc nulls first` : sql`${sql.ref(column)} desc nulls last`,
    ),
  );
  return sql<
    Record<string, unknown>
  >`select * from ${sql.table(table)}${where} order by ${orderBy} limit ${sql.lit(query.limit)}`;
}

function columnInfo(spec: TableSpec, column: string): ColumnInfo {
  if (column === LAST_POSITION_COLUMN) return { type: 'position', nullable: false };
  const columnSpec = spec.columns[column];
  if (!columnSpec) throw new InvalidReadStoreRequestError(`${spec.table}: no column ${column}`);
  return { type: columnSpec.type, nullable: columnSpec.nullable ?? false };
}

/** The requested order, then the key columns not in it: a total order, which keyset paging needs. */
function orderColumns(spec: TableSpec, query: TableQuery): OrderColumn[] {
  const order: OrderColumn[] = [];
  for (const { column, direction } of query.orderBy ?? []) {
    const info = columnInfo(spec, column);
    if (info.type === 'json') throw new InvalidReadStoreRequestError(`${spec.table}: cannot order by json ${column}`);
    if (direction !== 'asc' && direction !== 'desc') {
      throw new InvalidReadStoreRequestError(`${spec.table}: order direction must be asc or desc`);
    }
    if (order.some((o) => o.column === column)) continue;
    order.push({ column, direction, ...info });
  }
  for (const column of spec.key) {
    if (!order.some((o) => o.column === column)) order.push({ column, direction: 'asc', ...columnInfo(spec, column) });
  }
  return order;
}

/** A condition or cursor value, checked against its column and encoded for the driver. */
function bind(
  dialect: SqlDialect,
  spec: TableSpec,
  column: string,
  info: ColumnInfo,
  value: unknown,
): RawBuilder<unknown> {
  if (info.type === 'position') {
    const ok = typeof value === 'string' ? /^-?\d+$/.test(value) : Number.isSafeInteger(value);
    if (!ok) throw new InvalidReadStoreRequestError(`${spec.table}.${column}: a position is a whole number`);
    return sql.val(dialect.encode('position', BigInt(value as string | number)));
  }
  try {
    return sql.val(
      dialect.encode(
        info.type,
        canonicalValue(spec.table, column, { type: info.type, nullable: info.nullable }, value),
      ),
    );
  } catch (error) {
    throw new InvalidReadStoreRequestError(`Query value for ${(error as Error).message}`);
  }
}

function conditionSql(dialect: SqlDialect, spec: TableSpec, condition: Condition): RawBuilder<boolean> {
  const info = columnInfo(spec, condition.column);
  const ref = sql.ref(condition.column);
  switch (condition.op) {
    case 'is-null':
      return sql<boolean>`${ref} is null`;
    case 'is-not-null':
      return sql<boolean>`${ref} is not null`;
    case 'contains':
      if (info.type !== 'json') {
        throw new InvalidReadStoreRequestError(`${spec.table}: contains needs a json column, not ${condition.column}`);
      }
      if (typeof condition.value !== 'string' && typeof condition.value !== 'number') {
        throw new InvalidReadStoreRequestError(`${spec.table}: contains takes a string or a number`);
      }
      return dialect.contains(ref, condition.value);
    case 'in': {
      rejectJson(spec, condition.column, info);
      if (!Array.isArray(condition.value)) throw new InvalidReadStoreRequestError(`${spec.table}: in takes a list`);
      if (condition.value.length === 0) return FALSE;
      const values = condition.value.map((value) =>
        bind(dialect, spec, condition.column, { ...info, nullable: false }, value),
      );
      return sql<boolean>`${ref} in (${sql.join(values)})`;
    }
    case '=':
    case '!=':
    case '<':
    case '<=':
    case '>':
    case '>=': {
      rejectJson(spec, condition.column, info);
      const value = bind(dialect, spec, condition.column, { ...info, nullable: false }, condition.value);
      return sql<boolean>`${ref} ${sql.raw(condition.op === '!=' ? '<>' : condition.op)} ${value}`;
    }
    default: {
      const unknown: never = condition;
      throw new InvalidReadStoreRequestError(`Unknown condition ${JSON.stringify(unknown)}`);
    }
  }
}

function rejectJson(spec: TableSpec, column: string, info: ColumnInfo): void {
  if (info.type === 'json')
    throw new InvalidReadStoreRequestError(`${spec.table}: json ${column} only supports contains and null checks`);
}

/**
 * Rows strictly after the cursor in the query's order. With one direction and no nullable column
 * a row-value comparison says it (and can use a matching index); otherwise it is spelled out:
 * `c1 after v1 or (c1 = v1 and (c2 after v2 or (...)))`, where "after" knows the direction and
 * that null sorts lowest.
 */
function afterSql(
  dialect: SqlDialect,
  spec: TableSpec,
  order: readonly OrderColumn[],
  after: Readonly<Record<string, unknown>>,
): RawBuilder<boolean> {
  const values = order.map((o) => {
    if (!(o.column in after)) {
      throw new InvalidReadStoreRequestError(`${spec.table}: the cursor needs a value for ${o.column}`);
    }
    const value = after[o.column];
    return value === null || value === undefined ? null : bind(dialect, spec, o.column, o, value);
  });
  const direction = order[0].direction;
  if (order.every((o) => o.direction === direction && !o.nullable) && values.every((v) => v !== null)) {
    const refs = sql.join(order.map((o) => sql.ref(o.column)));
    return sql<boolean>`(${refs}) ${sql.raw(direction === 'asc' ? '>' : '<')} (${sql.join(values)})`;
  }
  let tail: RawBuilder<boolean> = FALSE;
  for (let i = order.length - 1; i >= 0; i--) {
    const { column, direction: dir } = order[i];
    const ref = sql.ref(column);
    const value = values[i];
    const strictlyAfter =
      value === null
        ? dir === 'asc'
          ? sql<boolean>`${ref} is not null`
          : FALSE
        : dir === 'asc'
          ? sql<boolean>`${ref} > ${value}`
          : sql<boolean>`(${ref} < ${value} or ${ref} is null)`;
    const equal = value === null ? sql<boolean>`${ref} is null` : sql<boolean>`${ref} = ${value}`;
    tail = i === order.length - 1 ? strictlyAfter : sql<boolean>`(${strictlyAfter} or (${equal} and ${tail}))`;
  }
  return tail;
}
