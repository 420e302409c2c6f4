import Database from 'better-sqlite3';
import { Kysely, sql, SqliteDialect } from 'kysely';
import { CorruptReadStoreError } from '../read-store.errors';
import { KyselyReadStore } from '../sql/kysely-read-store';
import type { DynamicDatabase } from '../sql/sql-dialect';
import { sqliteDialect } from './sqlite.dialect';

export interface SqliteReadStoreOptions {
  /** A file of its own (never the event store's), or `':memory:'`. */
  readonly filename: string;
  /** `FULL` (the default) keeps committed batches through power loss; `NORMAL` through a crash only. */
  readonly synchronous?: 'FULL' | 'NORMAL';
  /** How long to wait for another process's write lock (a CLI rebuild) before failing. */
  readonly busyTimeoutMs?: number;
  /** The clock for `updated_at` and `applied_at` (a fake one in tests). */
  readonly now?: () => Date;
}

/** The embedded read store: one SQLite file in WAL mode, so the API reads while the projector writes. */
export class SqliteReadStore extends KyselyReadStore {
  private readonly database: Database.Database;

  constructor(options: SqliteReadStoreOptions) {
    const database = openDatabase(options);
    super(
      new Kysely<DynamicDatabase>({ dialect: new SqliteDialect({ database: withStatementCache(database) }) }),
      sqliteDialect,
      options.now ?? (() => new Date()),
    );
    this.database = database;
  }

  /** The durability settings in force, as SQLite reports them. */
  storageSettings(): { journalMode: string; synchronous: 'OFF' | 'NORMAL' | 'FULL' | 'EXTRA' } {
    const synchronous = Number(this.database.pragma('synchronous', { simple: true }));
    return {
      journalMode: String(this.database.pragma('journal_mode', { simple: true })),
      synchronous: (['OFF', 'NORMAL', 'FULL', 'EXTRA'] as const)[synchronous],
    };
  }

  /**
   * Kysely's own transactions begin DEFERRED; IMMEDIATE takes the write lock up front, so a second
   * writing process waits (busy_timeout) instead of failing on a lock upgrade mid-batch.
   */
  protected async writeTransaction<T>(work: (trx: Kysely<DynamicDatabase>) => Promise<T>): Promise<T> {
    return this.db.connection().execute(async (connection) => {
      await sql`begin immediate`.execute(connection);
      try {
        const result = await work(connection);
        await sql`commit`.execute(connection);
        return result;
      } catch (error) {
        // Some errors (disk full) end the transaction by themselves.
        if (this.database.inTransaction) await sql`rollback`.execute(connection);
        throw error;
      }
    });
  }
}

function openDatabase(options: SqliteReadStoreOptions): Database.Database {
  const database = new Database(options.filename);
  try {
    database.defaultSafeIntegers(true);
    database.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5000}`);
    if (options.filename !== ':memory:') database.pragma('journal_mode = WAL');
    // Switching to WAL leaves synchronous at the build's default: set it explicitly.
    database.pragma(`synchronous = ${options.synchronous ?? 'FULL'}`);
    if (options.filename !== ':memory:') {
      // A damaged file stops start-up rather than serving damaged rows.
      const findings = (database.pragma('quick_check') as { quick_check: string }[]).map((row) => row.quick_check);
      if (findings.join() !== 'ok') {
        const lines = findings.flatMap((finding) => finding.split('\n')).filter((line) => !line.startsWith('***'));
        throw new CorruptReadStoreError(options.filename, lines.slice(0, 3).join('; '));
      }
    }
    return database;
  } catch (error) {
    database.close();
    if (error instanceof Database.SqliteError && (error.code === 'SQLITE_NOTADB' || error.code === 'SQLITE_CORRUPT')) {
      throw new CorruptReadStoreError(options.filename, error.message);
    }
    throw error;
  }
}

/** Distinct statements kept prepared; batches repeat the same few shapes. */
const STATEMENT_CACHE_SIZE = 256;

/**
 * Kysely prepares every query anew; a projection runs the same few statements thousands of times,
 * so they are kept prepared (least recently used dropped first).
 */
function withStatementCache(database: Database.Database) {
  const cache = new Map<string, Database.Statement>();
  return {
    close: () => database.close(),
    prepare: (text: string) => {
      let statement = cache.get(text);
      if (statement) {
        cache.delete(text);
      } else {
        statement = database.prepare(text);
        if (cache.size >= STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value!);
      }
      cache.set(text, statement);
      return statement;
    },
  };
}
