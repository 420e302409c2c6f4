import { Pool, type PoolClient } from 'pg';
import { dataKeyOf, type DataKeyRow, type KeyStore, type StoredDataKey } from './key-store.port';

export interface PostgresKeyStoreOptions {
  readonly connectionString: string;
  /** The schema to keep the tables in; the server's default when absent. */
  readonly schema?: string;
  readonly maxConnections?: number;
}

/**
 * The distributed key store: three tables in PostgreSQL, shared by every API and CLI instance.
 * A destroyed key's old row version stays in the table's pages until (auto)vacuum reclaims it;
 * the store runs `VACUUM` on the keys table after each destroy so that happens at once.
 */
export class PostgresKeyStore implements KeyStore {
  private readonly pool: Pool;
  private readonly table: (name: string) => string;

  constructor(options: PostgresKeyStoreOptions) {
    this.pool = new Pool({ connectionString: options.connectionString, max: options.maxConnections ?? 4 });
    const schema = options.schema;
    if (schema !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
      throw new Error('A key store schema is a lower-case identifier');
    }
    this.table = (name) => (schema ? `"${schema}".${name}` : name);
  }

  async init(): Promise<void> {
    await this.pool.query(`
      create table if not exists ${this.table('key_store_meta')} (name text primary key, value text not null);
      create table if not exists ${this.table('data_keys')} (
        subject_id text primary key,
        wrapped_key bytea,
        master_key_id text,
        created_at text not null,
        erased_at text
      );
      create table if not exists ${this.table('stream_subjects')} (
        stream text primary key,
        subject_id text not null,
        linked_at bigserial not null
      );
      create index if not exists stream_subjects_by_subject on ${this.table('stream_subjects')} (subject_id, linked_at);
    `);
  }

  async masterKeyCheck(): Promise<string | undefined> {
    const { rows } = await this.pool.query<{ value: string }>(
      `select value from ${this.table('key_store_meta')} where name = 'master_key_check'`,
    );
    return rows[0]?.value;
  }

  async replaceMasterKeyCheck(expected: string | undefined, next: string): Promise<boolean> {
    return this.transaction(async (client) => {
      const { rows } = await client.query<{ value: string }>(
        `select value from ${this.table('key_store_meta')} where name = 'master_key_check' for update`,
      );
      if (rows[0]?.value !== expected) return false;
      const inserted = await client.query(
        `insert into ${this.table('key_store_meta')} (name, value) values ('master_key_check', $1)
         on conflict (name) do update set value = excluded.value
         where ${this.table('key_store_meta')}.value is not distinct from $2`,
        [next, expected ?? null],
      );
      return inserted.rowCount === 1;
    });
  }

  async findKey(subjectId: string): Promise<StoredDataKey | undefined> {
    const { rows } = await this.pool.query<DataKeyRow>(
      `select * from ${this.table('data_keys')} where subject_id = $1`,
      [subjectId],
    );
    return rows[0] && dataKeyOf(rows[0]);
  }

  async insertKey(key: StoredDataKey): Promise<StoredDataKey> {
    await this.pool.query(
      `insert into ${this.table('data_keys')} (subject_id, wrapped_key, master_key_id, created_at, erased_at)
       values ($1, $2, $3, $4, $5) on conflict (subject_id) do nothing`,
      [key.subjectId, key.wrappedKey, key.masterKeyId, key.createdAt, key.erasedAt],
    );
    return (await this.findKey(key.subjectId))!;
  }

  async rewrapKey(
    subjectId: string,
    expectedMasterKeyId: string,
    wrappedKey: Buffer,
    masterKeyId: string,
  ): Promise<boolean> {
    const result = await this.pool.query(
      `update ${this.table('data_keys')} set wrapped_key = $1, master_key_id = $2
       where subject_id = $3 and master_key_id = $4 and wrapped_key is not null`,
      [wrappedKey, masterKeyId, subjectId, expectedMasterKeyId],
    );
    return result.rowCount === 1;
  }

  async destroyKey(subjectId: string, erasedAt: string): Promise<void> {
    await this.pool.query(
      `insert into ${this.table('data_keys')} (subject_id, wrapped_key, master_key_id, created_at, erased_at)
       values ($1, null, null, $2, $2)
       on conflict (subject_id) do update set wrapped_key = null, master_key_id = null,
         erased_at = coalesce(${this.table('data_keys')}.erased_at, excluded.erased_at)`,
      [subjectId, erasedAt],
    );
    // The old row version (with the wrapped key) is dead but still on disk until vacuumed.
    await this.pool.query(`vacuum ${this.table('data_keys')}`);
  }

  async listKeys(afterSubjectId: string | undefined, limit: number): Promise<StoredDataKey[]> {
    const { rows } = await this.pool.query<DataKeyRow>(
      `select * from ${this.table('data_keys')} where subject_id > $1 order by subject_id limit $2`,
      [afterSubjectId ?? '', limit],
    );
    return rows.map(dataKeyOf);
  }

  async countKeys(masterKeyId: string): Promise<{ live: number; wrappedUnder: number }> {
    const { rows } = await this.pool.query<{ live: string; under: string }>(
      `select count(wrapped_key) as live,
              count(*) filter (where master_key_id = $1 and wrapped_key is not null) as under
       from ${this.table('data_keys')}`,
      [masterKeyId],
    );
    return { live: Number(rows[0].live), wrappedUnder: Number(rows[0].under) };
  }

  async linkStream(stream: string, subjectId: string): Promise<string> {
    await this.pool.query(
      `insert into ${this.table('stream_subjects')} (stream, subject_id) values ($1, $2) on conflict (stream) do nothing`,
      [stream, subjectId],
    );
    return (await this.subjectOfStream(stream))!;
  }

  async subjectOfStream(stream: string): Promise<string | undefined> {
    const { rows } = await this.pool.query<{ subject_id: string }>(
      `select subject_id from ${this.table('stream_subjects')} where stream = $1`,
      [stream],
    );
    return rows[0]?.subject_id;
  }

  async streamsOfSubject(subjectId: string): Promise<string[]> {
    const { rows } = await this.pool.query<{ stream: string }>(
      `select stream from ${this.table('stream_subjects')} where subject_id = $1 order by linked_at`,
      [subjectId],
    );
    return rows.map((row) => row.stream);
  }

  async close(): Promise<void> {
    await this.pool.end();
  }

  private async transaction<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('begin');
      const result = await work(client);
      await client.query('commit');
      return result;
    } catch (error) {
      await client.query('rollback');
      throw error;
    } finally {
      client.release();
    }
  }
}
