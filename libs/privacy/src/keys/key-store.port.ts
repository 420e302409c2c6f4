/** DI token of the {@link KeyStore}. */
export const KEY_STORE = Symbol('KEY_STORE');

/** One subject's data key as stored: wrapped under the master key, or destroyed. */
export interface StoredDataKey {
  readonly subjectId: string;
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
  findKey(subjectId: string): Promise<StoredDataKey | undefined>;
  /** Stores a new key unless the subject has one (or a destroyed one): returns whichever is stored. */
  insertKey(key: StoredDataKey): Promise<StoredDataKey>;
  /** Replaces a wrapping if the key is still wrapped under `expectedMasterKeyId`; false when it was not. */
  rewrapKey(subjectId: string, expectedMasterKeyId: string, wrappedKey: Buffer, masterKeyId: string): Promise<boolean>;
  /**
   * Destroys a subject's key for good (keeps a tombstone so none is ever made again for them) and
   * returns when the bytes are gone from the store's live data.
   */
  destroyKey(subjectId: string, erasedAt: string): Promise<void>;
  /** Keys in subject id order after `afterSubjectId`, at most `limit`: for walking every key. */
  listKeys(afterSubjectId: string | undefined, limit: number): Promise<StoredDataKey[]>;
  /** How many keys exist (not destroyed), and how many of them are wrapped under `masterKeyId`. */
  countKeys(masterKeyId: string): Promise<{ readonly live: number; readonly wrappedUnder: number }>;
  /** Records that `stream` holds `subjectId`'s data; a stream keeps its first subject. Returns it. */
  linkStream(stream: string, subjectId: string): Promise<string>;
  subjectOfStream(stream: string): Promise<string | undefined>;
  /** Every stream holding the subject's data, in the order they were linked. */
  streamsOfSubject(subjectId: string): Promise<string[]>;
  close(): Promise<void>;
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
