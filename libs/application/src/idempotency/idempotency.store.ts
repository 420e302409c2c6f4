import Database from 'better-sqlite3';

/** The response given the first time, replayed to a retry. */
export interface StoredResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: unknown;
}

export type IdempotencyClaim =
  | { readonly kind: 'claimed' }
  | { readonly kind: 'replay'; readonly response: StoredResponse }
  | { readonly kind: 'mismatch' }
  | { readonly kind: 'in-flight' };

/**
 * Remembers, per caller and key, the request's digest and the response it got, so a retry gets
 * the first response and a different request under the same key is refused.
 */
export interface IdempotencyStore {
  /** Claims the key for a request, or says what to do instead. */
  claim(scopedKey: string, requestHash: string): Promise<IdempotencyClaim>;
  complete(scopedKey: string, response: StoredResponse): Promise<void>;
  /** Gives the key up after a failure worth retrying (a 5xx): the next attempt runs again. */
  release(scopedKey: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * Where idempotency records live: a SQLite file of the API's own (embedded), or PostgreSQL shared
 * by every API replica (distributed: a retry sent to another replica is recognised).
 */
export type IdempotencyStoreConfig =
  | { readonly adapter: 'sqlite'; readonly filename: string }
  | { readonly adapter: 'postgres'; readonly connectionString: string; readonly schema?: string };

export const IDEMPOTENCY_STORE = Symbol('IDEMPOTENCY_STORE');

export interface SqliteIdempotencyStoreOptions {
  readonly filename: string;
  /**
   * A claim older than this with no response is taken to belong to a process that died: the key
   * may be claimed again. The command pipeline then finds the first attempt's events by their
   * command id, so nothing is written twice.
   */
  readonly abandonAfterMs?: number;
  readonly now?: () => Date;
}

interface Row {
  request_hash: string;
  status: number | null;
  headers: string | null;
  body: string | null;
  claimed_at: string;
}

/** SQLite-backed idempotency records (the embedded mode's file, or `:memory:` in tests). */
export class SqliteIdempotencyStore implements IdempotencyStore {
  private readonly db: Database.Database;
  private readonly now: () => Date;
  private readonly abandonAfterMs: number;

  constructor(options: SqliteIdempotencyStoreOptions) {
    this.db = new Database(options.filename);
    if (options.filename !== ':memory:') this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(`CREATE TABLE IF NOT EXISTS idempotency_keys (
      scoped_key   TEXT PRIMARY KEY,
      request_hash TEXT NOT NULL,
      status       INTEGER,
      headers      TEXT,
      body         TEXT,
      claimed_at   TEXT NOT NULL,
      completed_at TEXT
    )`);
    this.now = options.now ?? (() => new Date());
    this.abandonAfterMs = options.abandonAfterMs ?? 30_000;
    if (options.filename !== ':memory:') {
      // The file belongs to one API process: a claim still unanswered when it opens was made by a
      // process that died mid-command (killed, power lost). Its command either reached the event
      // store, and a retry finds its events by command id and answers as the first time, or it did
      // not, and the retry runs it. Either way the client may retry at once, not after a timeout.
      this.db.prepare('DELETE FROM idempotency_keys WHERE status IS NULL').run();
    }
  }

  async claim(scopedKey: string, requestHash: string): Promise<IdempotencyClaim> {
    return this.db
      .transaction((): IdempotencyClaim => {
        const row = this.db
          .prepare<[string], Row>(
            'SELECT request_hash, status, headers, body, claimed_at FROM idempotency_keys WHERE scoped_key = ?',
          )
          .get(scopedKey);
        const now = this.now();
        if (row) {
          if (row.request_hash !== requestHash) return { kind: 'mismatch' };
          if (row.status !== null) {
            return {
              kind: 'replay',
              response: {
                status: row.status,
                headers: JSON.parse(row.headers ?? '{}'),
                body: JSON.parse(row.body ?? 'null'),
              },
            };
          }
          if (now.getTime() - new Date(row.claimed_at).getTime() < this.abandonAfterMs) return { kind: 'in-flight' };
        }
        this.db
          .prepare('INSERT OR REPLACE INTO idempotency_keys (scoped_key, request_hash, claimed_at) VALUES (?, ?, ?)')
          .run(scopedKey, requestHash, now.toISOString());
        return { kind: 'claimed' };
      })
      .immediate();
  }

  async complete(scopedKey: string, response: StoredResponse): Promise<void> {
    this.db
      .prepare('UPDATE idempotency_keys SET status = ?, headers = ?, body = ?, completed_at = ? WHERE scoped_key = ?')
      .run(
        response.status,
        JSON.stringify(response.headers),
        JSON.stringify(response.body ?? null),
        this.now().toISOString(),
        scopedKey,
      );
  }

  async release(scopedKey: string): Promise<void> {
    this.db.prepare('DELETE FROM idempotency_keys WHERE scoped_key = ? AND status IS NULL').run(scopedKey);
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}
