import { Kysely, PostgresDialect } from 'kysely';
import { Pool } from 'pg';
import { KyselyReadStore } from '../sql/kysely-read-store';
import type { DynamicDatabase } from '../sql/sql-dialect';
import { checkIdentifier } from '../rows/table-spec.validation';
import { postgresDialect } from './postgres.dialect';

export interface PostgresReadStoreOptions {
  /** `postgres://user@host:5432/database`. */
  readonly connectionString: string;
  /** The schema the tables live in (`search_path` of every pooled connection); the server's default otherwise. */
  readonly schema?: string;
  /** Pool size (default 10). */
  readonly maxConnections?: number;
  /** The clock for `updated_at` and `applied_at` (a fake one in tests). */
  readonly now?: () => Date;
  /** Told about errors of idle pooled connections (a restarted server); the pool replaces them. */
  readonly onIdleError?: (error: Error) => void;
}

/** The production read store: PostgreSQL through a pg pool, DDL and swaps inside transactions. */
export class PostgresReadStore extends KyselyReadStore {
  constructor(options: PostgresReadStoreOptions) {
    if (options.schema !== undefined) checkIdentifier(options.schema, 'Schema');
    const pool = new Pool({
      connectionString: options.connectionString,
      max: options.maxConnections ?? 10,
      options: options.schema === undefined ? undefined : `-c search_path=${options.schema}`,
    });
    // Without a listener an idle connection's error (server restart) would crash the process.
    pool.on('error', (error) => options.onIdleError?.(error));
    // A connection that dies while checked out (the server went away mid-query) fails its query,
    // and the pool drops it on release; but pg also emits 'error' on the client, where the pool
    // listens only while the client is idle, and an unheard 'error' would crash the process.
    pool.on('connect', (client) => client.on('error', () => undefined));
    super(
      new Kysely<DynamicDatabase>({ dialect: new PostgresDialect({ pool }) }),
      postgresDialect,
      options.now ?? (() => new Date()),
    );
  }

  protected writeTransaction<T>(work: (trx: Kysely<DynamicDatabase>) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(work);
  }
}
