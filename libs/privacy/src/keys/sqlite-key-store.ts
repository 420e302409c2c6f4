import { closeSync, existsSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { KeyDestructionIncompleteError } from '../privacy.errors';
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

export interface SqliteKeyStoreOptions {
  /**
   * How long a key's destruction waits for other processes' read snapshots to let go of its old
   * page before it reports the destruction incomplete (default 10 s).
   */
  readonly scrubTimeoutMs?: number;
}

const DEFAULT_SCRUB_TIMEOUT_MS = 10_000;
const SCRUB_RETRY_MS = 25;

interface PendingWrite {
  readonly run: () => unknown;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * The embedded key store: one SQLite file of its own (`<data dir>/keys.db`, mode 0600), never the
 * event store's, so backing up or shipping the events never ships the keys. A destroyed key's
 * bytes are wiped from every file of the store before the destruction is reported done (see
 * {@link SqliteKeyStore.destroyKey}), not merely unlinked.
 */
export class SqliteKeyStore implements KeyStore {
  private readonly db: Database.Database;
  /** Writes waiting for the next group commit (see {@link write}). */
  private pending: PendingWrite[] = [];

  private readonly filename: string;
  private readonly scrubTimeoutMs: number;

  constructor(filename: string, options: SqliteKeyStoreOptions = {}) {
    this.filename = filename;
    this.scrubTimeoutMs = options.scrubTimeoutMs ?? DEFAULT_SCRUB_TIMEOUT_MS;
    if (filename !== ':memory:' && !existsSync(filename)) {
      mkdirSync(dirname(filename), { recursive: true });
      // Created owner-only before SQLite opens it: the file holds (wrapped) keys.
      closeSync(openSync(filename, 'a', 0o600));
    }
    this.db = new Database(filename);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.pragma('secure_delete = ON');
  }

  private readonly statements = new Map<string, Database.Statement>();

  /** A prepared statement, compiled once per connection (every request runs the same few). */
  private statement(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  async init(): Promise<void> {
    this.db.exec(`
      create table if not exists key_store_meta (name text primary key, value text not null);
      create table if not exists data_keys (
        subject_id text primary key,
        wrapped_key blob,
        master_key_id text,
        created_at text not null,
        erased_at text
      );
      create table if not exists stream_subjects (
        stream text primary key,
        subject_id text not null,
        linked_at integer not null
      );
      create index if not exists stream_subjects_by_subject on stream_subjects (subject_id, linked_at);
      create table if not exists key_leases (lease_id text primary key, leased_at text not null);
      create table if not exists pooled_keys (
        key_id text primary key,
        lease_id text not null references key_leases (lease_id),
        wrapped_key blob,
        master_key_id text,
        created_at text not null,
        subject_id text,
        claimed_at text
      );
      create unique index if not exists pooled_keys_by_subject on pooled_keys (subject_id) where subject_id is not null;
    `);
  }

  async masterKeyCheck(): Promise<string | undefined> {
    const row = this.statement(`select value from key_store_meta where name = 'master_key_check'`).get() as
      { value: string } | undefined;
    return row?.value;
  }

  async replaceMasterKeyCheck(expected: string | undefined, next: string): Promise<boolean> {
    return this.db.transaction(() => {
      const current = this.statement(`select value from key_store_meta where name = 'master_key_check'`).get() as
        { value: string } | undefined;
      if (current?.value !== expected) return false;
      this.db
        .prepare(
          `insert into key_store_meta (name, value) values ('master_key_check', ?)
           on conflict (name) do update set value = excluded.value`,
        )
        .run(next);
      return true;
    })();
  }

  async findKey(subjectId: string): Promise<StoredDataKey | undefined> {
    const row = this.statement('select * from data_keys where subject_id = ?').get(subjectId) as DataKeyRow | undefined;
    if (row) return dataKeyOf(row);
    const pooled = this.pooledKeyOfSubject(subjectId);
    return pooled && dataKeyOfPooled(pooled);
  }

  private pooledKeyOfSubject(subjectId: string): StoredPooledKey | undefined {
    const row = this.statement('select * from pooled_keys where subject_id = ?').get(subjectId) as
      PooledKeyRow | undefined;
    return row && pooledKeyOf(row);
  }

  async leaseKeys(lease: KeyLease): Promise<void> {
    await this.write(() => {
      this.statement('insert into key_leases (lease_id, leased_at) values (?, ?)').run(lease.leaseId, lease.leasedAt);
      const insert = this.statement(
        `insert into pooled_keys (key_id, lease_id, wrapped_key, master_key_id, created_at)
         values (?, ?, ?, ?, ?)`,
      );
      for (const key of lease.keys)
        insert.run(key.keyId, lease.leaseId, key.wrappedKey, key.masterKeyId, lease.leasedAt);
    });
  }

  async claimPooledKey(keyId: string, subjectId: string, claimedAt: string): Promise<string> {
    return this.write(() => {
      // One writer at a time (and this runs inside the group commit's transaction): the checks
      // and the claim are atomic with any other claim and with a destruction.
      if (this.statement('select 1 from data_keys where subject_id = ?').get(subjectId)) return subjectId;
      const held = this.pooledKeyOfSubject(subjectId);
      if (held) return held.keyId;
      const claimed = this.db
        .prepare(
          `update pooled_keys set subject_id = ?, claimed_at = ?
           where key_id = ? and subject_id is null and wrapped_key is not null`,
        )
        .run(subjectId, claimedAt, keyId);
      if (claimed.changes !== 1) throw new Error(`Pooled key ${keyId} cannot be claimed (unknown, taken or destroyed)`);
      return keyId;
    });
  }

  async findPooledKey(keyId: string): Promise<StoredPooledKey | undefined> {
    const row = this.statement('select * from pooled_keys where key_id = ?').get(keyId) as PooledKeyRow | undefined;
    return row && pooledKeyOf(row);
  }

  async listPooledKeys(afterKeyId: string | undefined, limit: number): Promise<StoredPooledKey[]> {
    const rows = this.db
      .prepare('select * from pooled_keys where key_id > ? order by key_id limit ?')
      .all(afterKeyId ?? '', limit) as PooledKeyRow[];
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
    return this.write(() => {
      this.db
        .prepare(
          `insert into data_keys (subject_id, wrapped_key, master_key_id, created_at, erased_at)
           values (?, ?, ?, ?, ?) on conflict (subject_id) do nothing`,
        )
        .run(key.subjectId, key.wrappedKey, key.masterKeyId, key.createdAt, key.erasedAt);
      return dataKeyOf(this.statement('select * from data_keys where subject_id = ?').get(key.subjectId) as DataKeyRow);
    });
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
  private rewrap(
    table: 'data_keys' | 'pooled_keys',
    idColumn: 'subject_id' | 'key_id',
    id: string,
    expectedMasterKeyId: string,
    wrappedKey: Buffer,
    masterKeyId: string,
  ): boolean {
    const result = this.statement(
      `update ${table} set wrapped_key = ?, master_key_id = ?
       where ${idColumn} = ? and master_key_id = ? and wrapped_key is not null`,
    ).run(wrappedKey, masterKeyId, id, expectedMasterKeyId);
    return result.changes === 1;
  }

  /**
   * Nulls the key (from now on no reader gets it) and then wipes its bytes from every file of the
   * store: `secure_delete` zeroes the freed space in the page, and a `TRUNCATE` checkpoint copies
   * that page over the old one in `keys.db` and empties `keys.db-wal`, where the page images
   * written since the last checkpoint (the key's own insertion among them) live on. A checkpoint
   * cannot overwrite a page that another process's open read snapshot still needs (a CLI export
   * reading meanwhile): it is retried, without blocking, until the reader lets go, and the files
   * are then searched for the bytes. Only then does it resolve.
   * @throws KeyDestructionIncompleteError when a reader holds on past `scrubTimeoutMs`.
   */
  async destroyKey(subjectId: string, erasedAt: string): Promise<void> {
    const wrapped = (await this.findKey(subjectId))?.wrappedKey ?? null;
    this.db.transaction(() => {
      // The tombstone: no key is ever made or claimed for the subject again.
      this.db
        .prepare(
          `insert into data_keys (subject_id, wrapped_key, master_key_id, created_at, erased_at)
           values (?, null, null, ?, ?)
           on conflict (subject_id) do update set wrapped_key = null, master_key_id = null,
             erased_at = coalesce(data_keys.erased_at, excluded.erased_at)`,
        )
        .run(subjectId, erasedAt, erasedAt);
      this.db
        .prepare('update pooled_keys set wrapped_key = null, master_key_id = null where subject_id = ?')
        .run(subjectId);
    })();
    if (this.filename === ':memory:') return;
    const deadline = Date.now() + this.scrubTimeoutMs;
    for (;;) {
      if (this.checkpointTruncated() && (wrapped === null || !this.filesHold(wrapped))) return;
      if (Date.now() >= deadline) throw new KeyDestructionIncompleteError(subjectId);
      await new Promise((resolve) => setTimeout(resolve, SCRUB_RETRY_MS));
    }
  }

  /** One checkpoint attempt that waits for no one: true when the log was copied back and emptied. */
  private checkpointTruncated(): boolean {
    // Without the busy timeout, a checkpoint a reader blocks returns at once instead of stalling
    // the event loop; this connection runs nothing else meanwhile (better-sqlite3 is synchronous).
    const timeout = this.db.pragma('busy_timeout', { simple: true }) as number;
    this.db.pragma('busy_timeout = 0');
    try {
      const [result] = this.db.pragma('wal_checkpoint(TRUNCATE)') as { busy: number; log: number }[];
      return result.busy === 0 && result.log === 0;
    } catch (error) {
      if ((error as { code?: string }).code === 'SQLITE_BUSY' || (error as { code?: string }).code === 'SQLITE_LOCKED')
        return false;
      throw error;
    } finally {
      this.db.pragma(`busy_timeout = ${timeout}`);
    }
  }

  /** Whether any file of the store still holds these bytes (the proof, not the assumption). */
  private filesHold(bytes: Buffer): boolean {
    return ['', '-wal', '-journal'].some((suffix) => {
      const file = `${this.filename}${suffix}`;
      return existsSync(file) && readFileSync(file).includes(bytes);
    });
  }

  async listKeys(afterSubjectId: string | undefined, limit: number): Promise<StoredDataKey[]> {
    const rows = this.db
      .prepare('select * from data_keys where subject_id > ? order by subject_id limit ?')
      .all(afterSubjectId ?? '', limit) as DataKeyRow[];
    return rows.map(dataKeyOf);
  }

  async countKeys(masterKeyId: string): Promise<{ live: number; wrappedUnder: number }> {
    const row = this.db
      .prepare(
        `select count(wrapped_key) as live,
                coalesce(sum(case when master_key_id = ? and wrapped_key is not null then 1 else 0 end), 0) as under
         from (select wrapped_key, master_key_id from data_keys
               union all select wrapped_key, master_key_id from pooled_keys where subject_id is not null)`,
      )
      .get(masterKeyId) as { live: number; under: number };
    return { live: row.live, wrappedUnder: row.under };
  }

  async linkStream(stream: string, subjectId: string): Promise<string> {
    return this.write(() => {
      this.db
        .prepare(
          `insert into stream_subjects (stream, subject_id, linked_at)
           values (?, ?, (select coalesce(max(linked_at), 0) + 1 from stream_subjects))
           on conflict (stream) do nothing`,
        )
        .run(stream, subjectId);
      const row = this.statement('select subject_id from stream_subjects where stream = ?').get(stream) as {
        subject_id: string;
      };
      return row.subject_id;
    });
  }

  /**
   * Group commit, as the event store does: every new key and stream link asked for in the same
   * turn of the event loop is written in one transaction, so one flush to disk (synchronous=FULL)
   * serves them all instead of one each, which under load blocked the event loop once per
   * command. Each caller learns its own outcome once the transaction is durable.
   */
  private write<T>(run: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.pending.push({ run, resolve: resolve as (value: unknown) => void, reject });
      if (this.pending.length === 1) setImmediate(() => this.flush());
    });
  }

  private flush(): void {
    const batch = this.pending;
    this.pending = [];
    const outcomes: ({ ok: true; value: unknown } | { ok: false; error: unknown })[] = [];
    try {
      this.db.transaction(() => {
        for (const item of batch) {
          try {
            outcomes.push({ ok: true, value: item.run() });
          } catch (error) {
            outcomes.push({ ok: false, error });
          }
        }
      })();
    } catch (error) {
      // The commit itself failed (disk full, closed): nothing of the batch was written.
      for (const item of batch) item.reject(error);
      return;
    }
    batch.forEach((item, i) => {
      const outcome = outcomes[i];
      if (outcome.ok) item.resolve(outcome.value);
      else item.reject(outcome.error);
    });
  }

  async subjectOfStream(stream: string): Promise<string | undefined> {
    const row = this.statement('select subject_id from stream_subjects where stream = ?').get(stream) as
      { subject_id: string } | undefined;
    return row?.subject_id;
  }

  async streamsOfSubject(subjectId: string): Promise<string[]> {
    const rows = this.db
      .prepare('select stream from stream_subjects where subject_id = ? order by linked_at')
      .all(subjectId) as { stream: string }[];
    return rows.map((row) => row.stream);
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}
