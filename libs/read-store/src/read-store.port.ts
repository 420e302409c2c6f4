/**
 * The read side's storage: one table per read model, plus the projection bookkeeping
 * (checkpoints and parked events), on SQLite (embedded) or PostgreSQL. It knows tables and rows,
 * not projections: `libs/projections` depends on it, never the other way round.
 */

/** A column value. `json` columns hold arrays and objects; the store (de)serialises them. */
export type ColumnValue = string | number | boolean | null | readonly unknown[] | { readonly [key: string]: unknown };

export type Row = { readonly [column: string]: ColumnValue };

export type ColumnType = 'text' | 'integer' | 'boolean' | 'json' | 'timestamp';

export interface ColumnSpec {
  readonly type: ColumnType;
  readonly nullable?: boolean;
}

/** A table's shape. Every table also gets a `last_position` column: the event that last changed the row. */
export interface TableSpec {
  /** snake_case, e.g. `case_status`. */
  readonly table: string;
  readonly columns: { readonly [column: string]: ColumnSpec };
  /** Primary key columns. */
  readonly key: readonly string[];
  /** Secondary indexes for the queries served from this table. */
  readonly indexes?: readonly (readonly string[])[];
}

/** Where a projection stands. */
export interface Checkpoint {
  readonly projection: string;
  /** The position of the last event applied (-1 when none). */
  readonly position: bigint;
  readonly version: number;
  readonly updatedAt: string;
  /**
   * Bumped by every commit and swap: the token for optimistic concurrency between writers of the
   * same projection (a retry, a rebuild's swap, a leader that lost its lock but not yet its pool).
   */
  readonly generation: number;
}

/** The column every table gets: the position of the event that last changed the row (lineage). */
export const LAST_POSITION_COLUMN = 'last_position';

/** An event whose projection failed, kept with its error until retried. */
export interface ParkedEvent {
  readonly projection: string;
  readonly position: bigint;
  readonly eventId: string;
  readonly stream: string;
  readonly type: string;
  readonly error: string;
  readonly parkedAt: string;
}

/** A row change computed for one batch. */
export type RowChange =
  | { readonly kind: 'upsert'; readonly table: string; readonly row: Row; readonly position: bigint }
  | { readonly kind: 'delete'; readonly table: string; readonly key: Row };

/** A condition on one column. `contains` tests that a `json` array column holds the value. */
export type Condition =
  | {
      readonly column: string;
      readonly op: '=' | '!=' | '<' | '<=' | '>' | '>=';
      readonly value: string | number | boolean;
    }
  | { readonly column: string; readonly op: 'in'; readonly value: readonly (string | number)[] }
  | { readonly column: string; readonly op: 'contains'; readonly value: string | number }
  | { readonly column: string; readonly op: 'is-null' | 'is-not-null' };

/**
 * A keyset-paginated query over one table: conditions ANDed, ordered by `orderBy` (the table's
 * key is appended as a tie-breaker), starting strictly after the `after` row (its values for the
 * order columns), at most `limit` rows.
 */
export interface TableQuery {
  readonly where?: readonly Condition[];
  readonly orderBy?: readonly { readonly column: string; readonly direction: 'asc' | 'desc' }[];
  readonly after?: Row;
  readonly limit: number;
}

export interface ReadStore {
  readonly dialect: 'sqlite' | 'postgres';
  /** Creates the tables (idempotent), under `suffix` for a shadow rebuild. */
  ensureTables(tables: readonly TableSpec[], suffix?: string): Promise<void>;
  /**
   * The current rows of one table for these keys (key columns only in each key row), with the
   * model's own columns only (no `last_position`), as `evolve` expects them.
   */
  loadRows(table: TableSpec, keys: readonly Row[], suffix?: string): Promise<Row[]>;
  /**
   * Applies row changes, parks events and moves the checkpoint, in one transaction. With `suffix`
   * the changes go to the shadow tables and the checkpoint and parked events are kept under
   * `projection + suffix` until `swapIn`.
   * @throws CheckpointConflictError when `expectedGeneration` is given and another writer moved
   * the checkpoint since (nothing is written).
   */
  commitBatch(batch: {
    readonly projection: string;
    readonly version: number;
    readonly tables: readonly TableSpec[];
    readonly changes: readonly RowChange[];
    readonly parked: readonly ParkedEvent[];
    readonly checkpoint: bigint;
    readonly suffix?: string;
    /** The checkpoint's generation this batch was computed against (0: no checkpoint yet). */
    readonly expectedGeneration?: number;
    /** Positions of parked events that this batch applied: forgotten in the same transaction. */
    readonly unparked?: readonly bigint[];
  }): Promise<void>;
  /**
   * Reads rows for the API and reports, on either dialect. Each row carries `last_position` as a
   * decimal string; `timestamp` values come back as `Date.prototype.toISOString()` strings.
   */
  select(table: TableSpec, query: TableQuery): Promise<Row[]>;
  checkpoint(projection: string): Promise<Checkpoint | undefined>;
  parkedEvents(projection?: string): Promise<ParkedEvent[]>;
  /** Forgets a parked event once a retry has applied it. */
  unpark(projection: string, position: bigint): Promise<void>;
  /**
   * Swaps shadow tables (built under `suffix`) into place atomically, with their checkpoint and
   * the events parked while building them; the old tables and parked events are dropped.
   */
  swapIn(
    projection: string,
    version: number,
    tables: readonly TableSpec[],
    suffix: string,
    checkpoint: bigint,
  ): Promise<void>;
  /** Drops shadow tables built under `suffix`, with their checkpoint and parked events. */
  discardShadow(projection: string, tables: readonly TableSpec[], suffix: string): Promise<void>;
  close(): Promise<void>;
}

export const READ_STORE = Symbol('READ_STORE');
