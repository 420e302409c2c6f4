import { Pool } from 'pg';
import type { IdempotencyClaim, IdempotencyStore, StoredResponse } from './idempotency.store';

export interface PostgresIdempotencyStoreOptions {
  readonly connectionString: string;
  /** The schema to keep the table in; the server's default when absent. */
  readonly schema?: string;
  /** A claim older than this with no response belongs to a replica that died: it may be claimed again. */
  readonly abandonAfterMs?: number;
  readonly now?: () => Date;
  readonly maxConnections?: number;
}

interface Row {
  request_hash: string;
  status: number | null;
  headers: Record<string, string> | null;
  body: unknown;
  claimed_at: Date;
}

/**
 * Idempotency records in PostgreSQL, shared by every API replica, so a retry that a load balancer
 * sends to another replica than the first is answered as the first time. A claim is a row taken
 * under the primary key: of two replicas claiming at once, one inserts and the other finds the
 * row (in flight). A claim left unanswered by a replica that died is taken over after
 * `abandonAfterMs`; the command pipeline then finds the first attempt's events by command id, so
 * nothing is written twice.
 */
export class PostgresIdempotencyStore implements IdempotencyStore {
  private readonly pool: Pool;
  private readonly table: string;
  private readonly now: () => Date;
  private readonly abandonAfterMs: number;
  private ready?: Promise<void>;

  constructor(options: PostgresIdempotencyStoreOptions) {
    const schema = options.schema;
    if (schema !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
      throw new Error('An idempotency store schema is a lower-case identifier');
    }
    this.pool = new Pool({ connectionString: options.connectionString, max: options.maxConnections ?? 4 });
    this.table = schema ? `"${schema}".idempotency_keys` : 'idempotency_keys';
    this.now = options.now ?? (() => new Date());
    this.abandonAfterMs = options.abandonAfterMs ?? 30_000;
  }

  async claim(scopedKey: string, requestHash: string): Promise<IdempotencyClaim> {
    await this.init();
    const now = this.now();
    const inserted = await this.pool.query(
      `insert into ${this.table} (scoped_key, request_hash, claimed_at) values ($1, $2, $3)
       on conflict (scoped_key) do nothing`,
      [scopedKey, requestHash, now],
    );
    if (inserted.rowCount === 1) return { kind: 'claimed' };
    const { rows } = await this.pool.query<Row>(
      `select request_hash, status, headers, body, claimed_at from ${this.table} where scoped_key = $1`,
      [scopedKey],
    );
    const row = rows[0];
    // Released between the insert and the select: claim it now.
    if (row === undefined) return this.claim(scopedKey, requestHash);
    if (row.request_hash !== requestHash) return { kind: 'mismatch' };
    if (row.status !== null) {
      return { kind: 'replay', response: { status: row.status, headers: row.headers ?? {}, body: row.body } };
    }
    if (now.getTime() - row.claimed_at.getTime() < this.abandonAfterMs) return { kind: 'in-flight' };
    // Taken over only if still the abandoned claim seen (another replica may be taking it too).
    const taken = await this.pool.query(
      `update ${this.table} set claimed_at = $2 where scoped_key = $1 and status is null and claimed_at = $3`,
      [scopedKey, now, row.claimed_at],
    );
    return taken.rowCount === 1 ? { kind: 'claimed' } : { kind: 'in-flight' };
  }

  async complete(scopedKey: string, response: StoredResponse): Promise<void> {
    await this.init();
    await this.pool.query(
      `update ${this.table} set status = $2, headers = $3, body = $4, completed_at = $5 where scoped_key = $1`,
      [scopedKey, response.status, JSON.stringify(response.headers), JSON.stringify(response.body ?? null), this.now()],
    );
  }

  async release(scopedKey: string): Promise<void> {
    await this.init();
    await this.pool.query(`delete from ${this.table} where scoped_key = $1 and status is null`, [scopedKey]);
  }

  async close(): Promise<void> {
    await this.pool.end();
  }

  private init(): Promise<void> {
    this.ready ??= this.pool
      .query(
        `create table if not exists ${this.table} (
          scoped_key   text primary key,
          request_hash text not null,
          status       integer,
          headers      jsonb,
          body         jsonb,
          claimed_at   timestamptz not null,
          completed_at timestamptz
        )`,
      )
      .then(
        () => undefined,
        (error: { code?: string }) => {
          // Two replicas creating the table at once: the loser's error says it exists now.
          if (error?.code !== '23505' && error?.code !== '42P07') throw error;
        },
      );
    this.ready.catch(() => (this.ready = undefined));
    return this.ready;
  }
}
