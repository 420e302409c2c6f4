/** DI token of the {@link KeyStore}. */
export const KEY_STORE = Symbol('KEY_STORE');

/** One subject's data key as stored: wrapped under the master key, or destroyed. */
export interface StoredDataKey {
  readonly subjectId: string;
  /** The pooled key's id when the subject's key came from a pool; absent for a key made before. */
  readonly keyId?: string;
  /** iv | ciphertext | tag of the data key under the master key; null once destroyed (erased). */
  readonly wrappedKey: Buffer | null;
  /** The key check value of the master key that wrapped it; null once destroyed. */
  readonly masterKeyId: string | null;
  readonly createdAt: string;
  /** When the key was destroyed; null while it exists. */
  readonly erasedAt: string | null;
}

/**
 * Where data keys live: storage only (wrapping and unwrapping happen above it, in `SubjectKeys`),
 * so an adapter never sees a master key or a data key in the clear. Also holds which subject each
 * stream's personal data belongs to, written when a stream's first event names its subject.
 */
export interface KeyStore {
  /** Creates the tables when missing. */
  init(): Promise<void>;
  /** The key check value of the master key every data key is wrapped under; undefined when new. */
  masterKeyCheck(): Promise<string | undefined>;
  /** Sets the key check value if it is still `expected` (compare and set); false when it was not. */
  replaceMasterKeyCheck(expected: string | undefined, next: string): Promise<boolean>;
  /** The subject's key: the one made before pooling (or its tombstone), else the pooled key they claimed. */
  findKey(subjectId: string): Promise<StoredDataKey | undefined>;
  /** Stores a new key unless the subject has one (or a destroyed one): returns whichever is stored. */
  insertKey(key: StoredDataKey): Promise<StoredDataKey>;
  /** Replaces a wrapping if the key is still wrapped under `expectedMasterKeyId`; false when it was not. */
  rewrapKey(subjectId: string, expectedMasterKeyId: string, wrappedKey: Buffer, masterKeyId: string): Promise<boolean>;
  /**
   * Destroys a subject's key for good, pooled or not (keeps a tombstone so none is ever made or
   * claimed again for them) and
   * returns when the bytes are gone from the store's live data.
   */
  destroyKey(subjectId: string, erasedAt: string): Promise<void>;
  /** Keys made before pooling, in subject id order after `afterSubjectId`, at most `limit`. */
  listKeys(afterSubjectId: string | undefined, limit: number): Promise<StoredDataKey[]>;
  /**
   * How many subjects' keys exist (not destroyed; pooled ones once claimed), and how many of them
   * are wrapped under `masterKeyId`.
   */
  countKeys(masterKeyId: string): Promise<{ readonly live: number; readonly wrappedUnder: number }>;
  /**
   * Makes a lease's keys durable in one commit (ahead of any use): each already wrapped under the
   * master key, bound to its key id, and not yet serving anyone. A lease id is used once.
   */
  leaseKeys(lease: KeyLease): Promise<void>;
  /**
   * Gives the subject a pooled key of this process's lease, unless they already have a key (or
   * had one destroyed). Atomic with every other claim and with `destroyKey`: a subject never
   * ends up with two keys, nor a key with two subjects. Returns the id of the key that serves the
   * subject now: `keyId` when it was given, another pooled key's id, or the subject id itself for
   * a key made before pooling (or destroyed).
   */
  claimPooledKey(keyId: string, subjectId: string, claimedAt: string): Promise<string>;
  /** A pooled key by its id (a ciphertext names it), or undefined for none. */
  findPooledKey(keyId: string): Promise<StoredPooledKey | undefined>;
  /** Pooled keys in key id order after `afterKeyId`, at most `limit`: for rotating the master key. */
  listPooledKeys(afterKeyId: string | undefined, limit: number): Promise<StoredPooledKey[]>;
  /** As `rewrapKey`, for a pooled key. */
  rewrapPooledKey(
    keyId: string,
    expectedMasterKeyId: string,
    wrappedKey: Buffer,
    masterKeyId: string,
  ): Promise<boolean>;
  /** Records that `stream` holds `subjectId`'s data; a stream keeps its first subject. Returns it. */
  linkStream(stream: string, subjectId: string): Promise<string>;
  subjectOfStream(stream: string): Promise<string | undefined>;
  /** Every stream holding the subject's data, in the order they were linked. */
  streamsOfSubject(subjectId: string): Promise<string[]>;
  close(): Promise<void>;
}

/** A key made ahead of use, durable under a lease, given to one subject on first need. */
export interface StoredPooledKey {
  readonly keyId: string;
  readonly leaseId: string;
  /** iv | ciphertext | tag of the data key under the master key, bound to the key id; null once destroyed. */
  readonly wrappedKey: Buffer | null;
  readonly masterKeyId: string | null;
  readonly createdAt: string;
  /** The one subject it serves; null while unclaimed (and for good, once its lease's process is gone). */
  readonly subjectId: string | null;
  readonly claimedAt: string | null;
}

/** A batch of pooled keys one process made durable together, handed out by that process alone. */
export interface KeyLease {
  readonly leaseId: string;
  readonly leasedAt: string;
  readonly keys: readonly { readonly keyId: string; readonly wrappedKey: Buffer; readonly masterKeyId: string }[];
}

/** A `pooled_keys` row as both adapters store it. */
export interface PooledKeyRow {
  key_id: string;
  lease_id: string;
  wrapped_key: Buffer | null;
  master_key_id: string | null;
  created_at: string;
  subject_id: string | null;
  claimed_at: string | null;
}

export function pooledKeyOf(row: PooledKeyRow): StoredPooledKey {
  return {
    keyId: row.key_id,
    leaseId: row.lease_id,
    wrappedKey: row.wrapped_key,
    masterKeyId: row.master_key_id,
    createdAt: row.created_at,
    subjectId: row.subject_id,
    claimedAt: row.claimed_at,
  };
}

/** A pooled key serving a subject, as the port's {@link StoredDataKey} for that subject. */
export function dataKeyOfPooled(key: StoredPooledKey): StoredDataKey {
  return {
    subjectId: key.subjectId!,
    keyId: key.keyId,
    wrappedKey: key.wrappedKey,
    masterKeyId: key.masterKeyId,
    createdAt: key.claimedAt ?? key.createdAt,
    erasedAt: null,
  };
}

/** A `data_keys` row as both adapters store it (the same columns on SQLite and PostgreSQL). */
export interface DataKeyRow {
  subject_id: string;
  wrapped_key: Buffer | null;
  master_key_id: string | null;
  created_at: string;
  erased_at: string | null;
}

/** A stored row as the port's {@link StoredDataKey}. */
export function dataKeyOf(row: DataKeyRow): StoredDataKey {
  return {
    subjectId: row.subject_id,
    wrappedKey: row.wrapped_key,
    masterKeyId: row.master_key_id,
    createdAt: row.created_at,
    erasedAt: row.erased_at,
  };
}
