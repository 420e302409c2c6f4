import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigurationError } from '@harbour/shared';
import Database from 'better-sqlite3';
import { tempDir } from '@harbour/testing';
import {
  KeyDestructionIncompleteError,
  MasterKey,
  PostgresKeyStore,
  SqliteKeyStore,
  SubjectKeys,
  SubjectDataErasedError,
  keyCheckValue,
  privacyConfigFrom,
  wrapKey,
  type KeyStore,
} from '@harbour/privacy';
import {
  DATABASE_URL,
  createTestSchema,
  describeWithPostgres,
  type TestSchema,
} from '../../read-store/test/support/postgres-test-database';

const master = () => new MasterKey(randomBytes(32), 'test');

/** Every adapter holds to the same behaviour. */
function keyStoreContract(make: () => Promise<{ store: () => KeyStore; dispose: () => Promise<void> }>) {
  let setup: { store: () => KeyStore; dispose: () => Promise<void> };
  let opened: KeyStore[] = [];
  const open = () => {
    const store = setup.store();
    opened.push(store);
    return store;
  };
  beforeEach(async () => {
    setup = await make();
    opened = [];
  });
  afterEach(async () => {
    for (const store of opened) await store.close();
    await setup.dispose();
  });

  it('makes one key per subject, reads it back, and destroys it for good', async () => {
    const sut = await SubjectKeys.open(open(), master());
    const subject = randomUUID();
    const key = await sut.keyForWriting(subject);
    expect(await sut.keyForWriting(subject)).toEqual(key);
    expect(await sut.keyForReading(subject)).toEqual(key);
    await sut.destroy(subject);
    expect(await sut.keyForReading(subject)).toBeNull();
    expect(await sut.isErased(subject)).toBe(true);
    await expect(sut.keyForWriting(subject)).rejects.toThrow(SubjectDataErasedError);
  });

  it('makes many keys and links asked for at once, each its own and the first one winning', async () => {
    const store = open();
    const sut = await SubjectKeys.open(store, master());
    const subjects = Array.from({ length: 40 }, () => randomUUID());
    // As under load: every new referral links its stream and makes its key in the same turn.
    const [keys, links, again] = await Promise.all([
      Promise.all(subjects.map((subject) => sut.keyForWriting(subject))),
      Promise.all(subjects.map((subject, i) => store.linkStream(`case-many-${i}`, subject))),
      Promise.all(subjects.map((subject) => sut.keyForWriting(subject))),
    ]);
    expect(new Set(keys.map((key) => key.toString('hex'))).size).toBe(subjects.length);
    expect(links).toEqual(subjects);
    // A second request for the same subject in the same turn gets the key that was kept.
    for (const [i, subject] of subjects.entries()) {
      expect(await sut.keyForReading(subject)).toEqual(again[i]);
      expect(keys[i]).toEqual(again[i]);
      expect(await store.subjectOfStream(`case-many-${i}`)).toBe(subject);
    }
  });

  it('hands out pooled keys made durable ahead of use, each once, and never a dead lease’s after a restart', async () => {
    const store = open();
    const masterKey = master();
    const first = await SubjectKeys.open(store, masterKey, { poolSize: 8 });
    const before = await Promise.all(Array.from({ length: 3 }, () => first.writingKey(randomUUID())));
    // The lease is durable before any of its keys is used: eight keys, three claimed.
    const leased = await store.listPooledKeys(undefined, 100);
    expect(leased).toHaveLength(8);
    expect(leased.filter((key) => key.subjectId !== null)).toHaveLength(3);
    // "Restart": a new instance on the same store leases afresh and never takes the first lease's keys.
    const second = await SubjectKeys.open(store, masterKey, { poolSize: 8 });
    const after = await Promise.all(Array.from({ length: 10 }, () => second.writingKey(randomUUID())));
    const firstLease = new Set(leased.map((key) => key.keyId));
    expect(after.filter((key) => firstLease.has(key.keyId))).toEqual([]);
    const ids = [...before, ...after].map((key) => key.keyId);
    expect(new Set(ids).size).toBe(ids.length);
    const all = await store.listPooledKeys(undefined, 100);
    expect(new Set(all.map((key) => key.leaseId)).size).toBeGreaterThanOrEqual(3);
    // The first lease's unclaimed keys stay unclaimed: abandoned, not re-handed.
    expect(all.filter((key) => firstLease.has(key.keyId) && key.subjectId !== null)).toHaveLength(3);
    for (const key of after) expect(await second.keyForReading(key.keyId)).toEqual(key.key);
  });

  it('still reads and writes under a key made before pooling (named by its subject id)', async () => {
    const store = open();
    const masterKey = master();
    const keys = await SubjectKeys.open(store, masterKey);
    const subject = randomUUID();
    const legacy = randomBytes(32);
    await store.insertKey({
      subjectId: subject,
      wrappedKey: wrapKey(legacy, masterKey.bytes(), subject),
      masterKeyId: keyCheckValue(masterKey.bytes()),
      createdAt: new Date().toISOString(),
      erasedAt: null,
    });
    expect(await keys.writingKey(subject)).toEqual({ keyId: subject, key: legacy });
    expect(await keys.keyForReading(subject)).toEqual(legacy);
    await keys.destroy(subject);
    expect(await keys.keyForReading(subject)).toBeNull();
    await expect(keys.writingKey(subject)).rejects.toThrow(SubjectDataErasedError);
  });

  it('destroys a pooled key by its subject: the ciphertexts naming its key id read as gone', async () => {
    const keys = await SubjectKeys.open(open(), master());
    const subject = randomUUID();
    const { keyId, key } = await keys.writingKey(subject);
    expect(keyId).not.toBe(subject);
    expect(await keys.keyForReading(keyId)).toEqual(key);
    await keys.destroy(subject);
    expect(await keys.keyForReading(keyId)).toBeNull();
    expect(await keys.keyForReading(subject)).toBeNull();
  });

  it('refuses to start with another master key, naming the setting', async () => {
    const store = open();
    await SubjectKeys.open(store, master());
    await expect(SubjectKeys.open(store, master())).rejects.toThrow(ConfigurationError);
    await expect(SubjectKeys.open(store, master())).rejects.toThrow(/^HARBOUR_MASTER_KEY: /);
  });

  it('links each stream to its first subject and lists a subject’s streams in order', async () => {
    const store = open();
    await store.init();
    const [a, b] = [randomUUID(), randomUUID()];
    expect(await store.linkStream('case-1', a)).toBe(a);
    expect(await store.linkStream('case-1', b)).toBe(a);
    await store.linkStream('case-2', a);
    expect(await store.subjectOfStream('case-1')).toBe(a);
    expect(await store.subjectOfStream('case-3')).toBeUndefined();
    expect(await store.streamsOfSubject(a)).toEqual(['case-1', 'case-2']);
  });

  it('rotates the master key: every key still reads, the old master no longer starts, a rerun changes nothing', async () => {
    const store = open();
    const old = master();
    const keys = await SubjectKeys.open(store, old);
    const subjects = Array.from({ length: 7 }, () => randomUUID());
    const before = await Promise.all(subjects.map((subject) => keys.keyForWriting(subject)));
    await keys.destroy(subjects[0]);
    const next = master();
    const progress: number[] = [];
    const report = await SubjectKeys.rotateMaster(store, old, next, (done) => progress.push(done));
    expect(report).toEqual({ rewrapped: 6, alreadyRotated: 0, total: 6 });
    expect(progress[progress.length - 1]).toBe(6);
    const rotated = await SubjectKeys.open(store, next);
    expect(await rotated.keyForReading(subjects[0])).toBeNull();
    for (const [index, subject] of subjects.entries()) {
      if (index > 0) expect(await rotated.keyForReading(subject)).toEqual(before[index]);
    }
    await expect(SubjectKeys.open(store, old)).rejects.toThrow(/HARBOUR_MASTER_KEY/);
    expect(await SubjectKeys.rotateMaster(store, old, next)).toEqual({ rewrapped: 0, alreadyRotated: 6, total: 6 });
  });
}

describe('SQLite key store', () => {
  keyStoreContract(async () => {
    const dir = tempDir('harbour-keys-');
    const file = join(dir.path, 'keys.db');
    return { store: () => new SqliteKeyStore(file), dispose: async () => dir.remove() };
  });

  it('keeps its file owner-only, and a destroyed key’s bytes are gone from it', async () => {
    const dir = tempDir('harbour-keys-');
    const file = join(dir.path, 'keys.db');
    const store = new SqliteKeyStore(file);
    try {
      const keys = await SubjectKeys.open(store, master());
      const subject = randomUUID();
      await keys.keyForWriting(subject);
      const wrapped = (await store.findKey(subject))!.wrappedKey!;
      await keys.destroy(subject);
      const bytes = Buffer.concat([readFileSync(file), readOptional(`${file}-wal`)]);
      expect(bytes.includes(wrapped)).toBe(false);
      if (process.platform !== 'win32') expect(statSync(file).mode & 0o077).toBe(0);
    } finally {
      await store.close();
      dir.remove();
    }
  });
});

describe('SQLite key store: destroying a key while another process reads (issue 15, item 5)', () => {
  let dir: ReturnType<typeof tempDir>;
  let file: string;
  let store: SqliteKeyStore;
  let reader: Database.Database;
  beforeEach(() => {
    dir = tempDir('harbour-keys-reader-');
    file = join(dir.path, 'keys.db');
  });
  afterEach(async () => {
    if (reader?.open) reader.close();
    await store.close();
    dir.remove();
  });

  /** Every file of the key store, as they are on disk. */
  const filesOf = () =>
    Buffer.concat([readFileSync(file), readOptional(`${file}-wal`), readOptional(`${file}-journal`)]);

  /** A key made, then a second connection holding a read snapshot, as `audit export` does. */
  async function keyUnderReader(options?: ConstructorParameters<typeof SqliteKeyStore>[1]) {
    store = new SqliteKeyStore(file, options);
    const keys = await SubjectKeys.open(store, master());
    const subject = randomUUID();
    await keys.keyForWriting(subject);
    const wrapped = (await store.findKey(subject))!.wrappedKey!;
    reader = new Database(file, { readonly: true });
    reader.prepare('begin').run();
    expect(reader.prepare('select count(*) as n from pooled_keys where subject_id is not null').get()).toEqual({
      n: 1,
    });
    return { keys, subject, wrapped };
  }

  it('answers only once no copy of the wrapped key is left in any file of the store', async () => {
    const { keys, subject, wrapped } = await keyUnderReader();
    let destroyed = false;
    const destroying = keys.destroy(subject).then(() => (destroyed = true));
    await new Promise((resolve) => setTimeout(resolve, 300));
    // The reader's snapshot still needs the old page: the key cannot be gone yet, nor reported so.
    expect(destroyed).toBe(false);
    reader.prepare('commit').run();
    reader.close();
    await destroying;

    expect(filesOf().includes(wrapped)).toBe(false);
    expect(await keys.keyForReading(subject)).toBeNull();
  });

  it('reports failure, not success, when a reader holds on past the bound, and finishes on the next try', async () => {
    const { keys, subject, wrapped } = await keyUnderReader({ scrubTimeoutMs: 200 });

    await expect(keys.destroy(subject)).rejects.toThrow(KeyDestructionIncompleteError);
    // Already unreadable to every reader from now on; the bytes wait for the reader to let go.
    expect(await keys.keyForReading(subject)).toBeNull();
    reader.prepare('commit').run();
    reader.close();
    await keys.destroy(subject);
    expect(filesOf().includes(wrapped)).toBe(false);
  });
});

function readOptional(file: string): Buffer {
  try {
    return readFileSync(file);
  } catch {
    return Buffer.alloc(0);
  }
}

describeWithPostgres('PostgreSQL key store', () => {
  keyStoreContract(async () => {
    const schema: TestSchema = await createTestSchema();
    return {
      store: () => new PostgresKeyStore({ connectionString: DATABASE_URL, schema: schema.schema }),
      dispose: () => schema.drop(),
    };
  });
});

describe('privacy configuration', () => {
  it('generates an owner-only development master key in embedded mode and reads the same one again', () => {
    const dir = tempDir('harbour-privacy-');
    try {
      const first = privacyConfigFrom({ HARBOUR_DATA_DIR: dir.path });
      const second = privacyConfigFrom({ HARBOUR_DATA_DIR: dir.path });
      expect(first.masterKey.bytes()).toEqual(second.masterKey.bytes());
      expect(statSync(join(dir.path, 'dev-master-key')).mode & 0o077).toBe(0);
      expect(JSON.stringify(first)).not.toContain(first.masterKey.bytes().toString('base64'));
    } finally {
      dir.remove();
    }
  });

  it('needs a master key in distributed mode, and 32 bytes of base64, naming the setting', () => {
    expect(() => privacyConfigFrom({ HARBOUR_MODE: 'distributed' })).toThrow(/^HARBOUR_MASTER_KEY: .*required/);
    expect(() => privacyConfigFrom({ HARBOUR_MASTER_KEY: 'c2hvcnQ=' })).toThrow(/^HARBOUR_MASTER_KEY: /);
    const key = randomBytes(32).toString('base64');
    expect(privacyConfigFrom({ HARBOUR_MASTER_KEY: key, HARBOUR_DATA_DIR: ':memory:' }).masterKey.bytes()).toEqual(
      Buffer.from(key, 'base64'),
    );
    expect(() => privacyConfigFrom({ HARBOUR_KEY_STORE: 'redis', HARBOUR_DATA_DIR: ':memory:' })).toThrow(
      /^HARBOUR_KEY_STORE: /,
    );
  });
});
