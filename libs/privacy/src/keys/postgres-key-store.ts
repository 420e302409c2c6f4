import { Pool, type PoolClient } from 'pg';
import {
  dataKeyOf,
  dataKeyOfPooled,
  pooledKeyOf,
  type DataKeyRow,
  type KeyLease,
  type KeyStore,
  type PooledKeyRow,
  type StoredDataKey,
  type StoredPooledKey,
} from './key-store.port';

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
      create table if not exists ${this.table('key_leases')} (lease_id text primary key, leased_at text not null);
      create table if not exists ${this.table('pooled_keys')} (
        key_id text primary key,
        lease_id text not null references ${this.table('key_leases')} (lease_id),
        wrapped_key bytea,
        master_key_id text,
        created_at text not null,
        subject_id text,
        claimed_at text
      );
      create unique index if not exists pooled_keys_by_subject on ${this.table('pooled_keys')} (subject_id)
        where subject_id is not null;
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
    if (rows[0]) return dataKeyOf(rows[0]);
    const pooled = await this.pool.query<PooledKeyRow>(
      `select * from ${this.table('pooled_keys')} where subject_id = $1`,
      [subjectId],
    );
    return pooled.rows[0] && dataKeyOfPooled(pooledKeyOf(pooled.rows[0]));
  }

  async leaseKeys(lease: KeyLease): Promise<void> {
    await this.transaction(async (client) => {
      await client.query(`insert into ${this.table('key_leases')} (lease_id, leased_at) values ($1, $2)`, [
        lease.leaseId,
        lease.leasedAt,
      ]);
      await client.query(
        `insert into ${this.table('pooled_keys')} (key_id, lease_id, wrapped_key, master_key_id, created_at)
         select key_id, $1, wrapped_key, master_key_id, $2
         from unnest($3::text[], $4::bytea[], $5::text[]) as k (key_id, wrapped_key, master_key_id)`,
        [
          lease.leaseId,
          lease.leasedAt,
          lease.keys.map((key) => key.keyId),
          lease.keys.map((key) => key.wrappedKey),
          lease.keys.map((key) => key.masterKeyId),
        ],
      );
    });
  }

  async claimPooledKey(keyId: string, subjectId: string, claimedAt: string): Promise<string> {
    return this.transaction(async (client) => {
      // Claims and destructions of one subject, from any process, one at a time.
      await this.lockSubject(client, subjectId);
      const made = await client.query(`select 1 from ${this.table('data_keys')} where subject_id = $1`, [subjectId]);
      if (made.rowCount) return subjectId;
      const held = await client.query<{ key_id: string }>(
        `select key_id from ${this.table('pooled_keys')} where subject_id = $1`,
        [subjectId],
      );
      if (held.rows[0]) return held.rows[0].key_id;
      const claimed = await client.query(
        `update ${this.table('pooled_keys')} set subject_id = $1, claimed_at = $2
         where key_id = $3 and subject_id is null and wrapped_key is not null`,
        [subjectId, claimedAt, keyId],
      );
      if (claimed.rowCount !== 1)
        throw new Error(`Pooled key ${keyId} cannot be claimed (unknown, taken or destroyed)`);
      return keyId;
    });
  }

  private async lockSubject(client: PoolClient, subjectId: string): Promise<void> {
    await client.query(`select pg_advisory_xact_lock(hashtext('harbour-subject-key:' || $1))`, [subjectId]);
  }

  async findPooledKey(keyId: string): Promise<StoredPooledKey | undefined> {
    const { rows } = await this.pool.query<PooledKeyRow>(
      `select * from ${this.table('pooled_keys')} where key_id = $1`,
      [keyId],
    );
    return rows[0] && pooledKeyOf(rows[0]);
  }

  async listPooledKeys(afterKeyId: string | undefined, limit: number): Promise<StoredPooledKey[]> {
    const { rows } = await this.pool.query<PooledKeyRow>(
      `select * from ${this.table('pooled_keys')} where key_id > $1 order by key_id limit $2`,
      [afterKeyId ?? '', limit],
    );
    return rows.map(pooledKeyOf);
  }

  async rewrapPooledKey(
    keyId: string,
    expectedMasterKeyId: string,
    wrappedKey: Buffer,
    masterKeyId: string,
  ): Promise<boolean> {
    return this.rewrap('pooled_keys', 'key_id', keyId, expectedMasterKeyId, wrappedKey, masterKeyId);
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
    return this.rewrap('data_keys', 'subject_id', subjectId, expectedMasterKeyId, wrappedKey, masterKeyId);
  }

  /** Re-wraps one live key, only if it is still wrapped by `expectedMasterKeyId` (rotation). */
  private async rewrap(
    table: 'data_keys' | 'pooled_keys',
    idColumn: 'subject_id' | 'key_id',
    id: string,
    expectedMasterKeyId: string,
    wrappedKey: Buffer,
    masterKeyId: string,
  ): Promise<boolean> {
    const result = await this.pool.query(
      `update ${this.table(table)} set wrapped_key = $1, master_key_id = $2
       where ${idColumn} = $3 and master_key_id = $4 and wrapped_key is not null`,
      [wrappedKey, masterKeyId, id, expectedMasterKeyId],
    );
    return result.rowCount === 1;
  }

  async destroyKey(subjectId: string, erasedAt: string): Promise<void> {
    await this.transaction(async (client) => {
      await this.lockSubject(client, subjectId);
      await client.query(
        `insert into ${this.table('data_keys')} (subject_id, wrapped_key, master_key_id, created_at, erased_at)
         values ($1, null, null, $2, $2)
         on conflict (subject_id) do update set wrapped_key = null, master_key_id = null,
           erased_at = coalesce(${this.table('data_keys')}.erased_at, excluded.erased_at)`,
        [subjectId, erasedAt],
      );
      await client.query(
        `update ${this.table('pooled_keys')} set wrapped_key = null, master_key_id = null where subject_id = $1`,
        [subjectId],
      );
    });
    // The old row versions (with the wrapped key) are dead but still on disk until vacuumed.
    await this.pool.query(`vacuum ${this.table('data_keys')}`);
    await this.pool.query(`vacuum ${this.table('pooled_keys')}`);
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
       from (select wrapped_key, master_key_id from ${this.table('data_keys')}
             union all select wrapped_key, master_key_id from ${this.table('pooled_keys')}
             where subject_id is not null) as keys`,
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
