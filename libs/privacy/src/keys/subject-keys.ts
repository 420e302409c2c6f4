import { randomUUID } from 'node:crypto';
import { ConfigurationError } from '@harbour/shared';
import {
  keyCheckValue,
  newDataKey,
  sameKeyCheckValue,
  unwrapKey,
  unwrapPooledKey,
  wrapKey,
  wrapPooledKey,
} from '../crypto/personal-data.cipher';
import { SubjectDataErasedError } from '../privacy.errors';
import { DEFAULT_KEY_POOL_SIZE } from '../privacy.config';
import type { MasterKey } from './master-key';
import type { KeyStore, StoredDataKey } from './key-store.port';

/** A data key to encrypt with, and the id its ciphertexts name it by. */
export interface WritingKey {
  readonly keyId: string;
  readonly key: Buffer;
}

export interface SubjectKeysOptions {
  /** How many keys one lease makes durable at once (default 256). */
  readonly poolSize?: number;
  readonly now?: () => Date;
}

/** What a key rotation did. */
export interface RotationReport {
  /** Keys re-wrapped under the new master key by this run. */
  readonly rewrapped: number;
  /** Keys that were already under the new master key (an earlier, interrupted run). */
  readonly alreadyRotated: number;
  /** Live keys in the store. */
  readonly total: number;
}

/**
 * Subjects' data keys over a {@link KeyStore}, wrapped under the master key, unwrapped on every
 * read. Nothing read is cached between calls: once a key is destroyed, by this process or another
 * (a retention run from the command line), the next read finds it gone.
 *
 * New keys come from a pool: a batch made durable ahead of use in one commit (a lease, see
 * {@link KeyStore.leaseKeys}), so a new subject only claims one (see {@link KeyStore.claimPooledKey},
 * written in the same group commit as the stream's link) instead of making, wrapping and storing
 * its own. Only the process that made a lease hands out its keys, each once: a key taken from the
 * pool is never put back, and a restarted process leases afresh, so the unclaimed keys of a lease
 * whose process died are abandoned, never handed to anyone (no key serves two subjects, not even
 * across a crash). A ciphertext names its key's id; a key made before pooling is named by its
 * subject id, and still reads.
 */
export class SubjectKeys {
  private readonly master: Buffer;
  private readonly masterKeyId: string;
  private readonly poolSize: number;
  private readonly now: () => Date;
  /** Keys of this process's leases, durable and unclaimed, each handed out once. */
  private pool: WritingKey[] = [];
  private leasing: Promise<void> | undefined;

  private constructor(
    readonly store: KeyStore,
    masterKey: MasterKey,
    options: SubjectKeysOptions,
  ) {
    this.master = masterKey.bytes();
    this.masterKeyId = keyCheckValue(this.master);
    this.poolSize = options.poolSize ?? DEFAULT_KEY_POOL_SIZE;
    if (!Number.isInteger(this.poolSize) || this.poolSize < 1) throw new Error('A key pool holds at least one key');
    this.now = options.now ?? (() => new Date());
  }

  /**
   * Opens the key store and checks the master key against the store's key check value (a new
   * store takes this key's).
   * @throws ConfigurationError naming `HARBOUR_MASTER_KEY` when it is not the key the store's
   *   data keys are wrapped under: starting with it would make every case unreadable.
   */
  static async open(
    store: KeyStore,
    masterKey: MasterKey,
    options: SubjectKeysOptions | (() => Date) = {},
  ): Promise<SubjectKeys> {
    const settings = typeof options === 'function' ? { now: options } : options;
    await store.init();
    const check = keyCheckValue(masterKey.bytes());
    const stored = await store.masterKeyCheck();
    if (stored === undefined) {
      if (!(await store.replaceMasterKeyCheck(undefined, check))) return SubjectKeys.open(store, masterKey, settings);
    } else if (!sameKeyCheckValue(stored, check)) {
      throw new ConfigurationError(
        'HARBOUR_MASTER_KEY',
        `is not the master key of the key store (its key check value differs): the data keys were wrapped under ` +
          `another master key (${masterKey.source} was given). Start with the key the store was created or last ` +
          'rotated with; to change keys, run harbour keys rotate-master',
      );
    }
    return new SubjectKeys(store, masterKey, settings);
  }

  /**
   * The subject's data key and its id: theirs when they have one, else a pooled key they claim.
   * @throws SubjectDataErasedError once destroyed.
   */
  async writingKey(subjectId: string): Promise<WritingKey> {
    const stored = await this.store.findKey(subjectId);
    if (stored) return this.usable(subjectId, stored);
    const taken = await this.takePooled();
    const serving = await this.store.claimPooledKey(taken.keyId, subjectId, this.now().toISOString());
    if (serving === taken.keyId) return taken;
    // Another request (here or in another process) gave the subject a key first, or erased them:
    // the taken key goes unused, and is never handed out again.
    const winner = await this.store.findKey(subjectId);
    if (!winner) throw new Error(`The key store named key ${serving} for subject ${subjectId} but holds none`);
    return this.usable(subjectId, winner);
  }

  /** The subject's data key, made or claimed on first use. @throws SubjectDataErasedError once destroyed. */
  async keyForWriting(subjectId: string): Promise<Buffer> {
    return (await this.writingKey(subjectId)).key;
  }

  /**
   * The data key a ciphertext names (a pooled key's id, or the subject id of a key made before
   * pooling), or a subject's key by their id; null when it was destroyed (or never made).
   */
  async keyForReading(keyOrSubjectId: string): Promise<Buffer | null> {
    const stored = await this.store.findKey(keyOrSubjectId);
    if (stored) return stored.wrappedKey ? this.unwrapStored(stored) : null;
    const pooled = await this.store.findPooledKey(keyOrSubjectId);
    return pooled?.wrappedKey ? unwrapPooledKey(pooled.wrappedKey, this.master, pooled.keyId) : null;
  }

  private usable(subjectId: string, stored: StoredDataKey): WritingKey {
    if (!stored.wrappedKey) throw new SubjectDataErasedError(subjectId);
    return { keyId: stored.keyId ?? subjectId, key: this.unwrapStored(stored) };
  }

  private unwrapStored(stored: StoredDataKey): Buffer {
    return stored.keyId === undefined
      ? unwrapKey(stored.wrappedKey!, this.master, stored.subjectId)
      : unwrapPooledKey(stored.wrappedKey!, this.master, stored.keyId);
  }

  /** A key from the pool, never handed out before; leases the next batch ahead of need. */
  private async takePooled(): Promise<WritingKey> {
    while (this.pool.length === 0) await this.lease();
    const key = this.pool.pop()!;
    // Refilled in the background; a failure surfaces on the take that finds the pool empty.
    if (this.pool.length <= this.poolSize / 4) this.lease().catch(() => undefined);
    return key;
  }

  /** Makes a batch of keys durable under a new lease (one at a time), then pools them. */
  private lease(): Promise<void> {
    this.leasing ??= (async () => {
      try {
        const keys = Array.from({ length: this.poolSize }, () => ({ keyId: `pk-${randomUUID()}`, key: newDataKey() }));
        await this.store.leaseKeys({
          leaseId: randomUUID(),
          leasedAt: this.now().toISOString(),
          keys: keys.map(({ keyId, key }) => ({
            keyId,
            wrappedKey: wrapPooledKey(key, this.master, keyId),
            masterKeyId: this.masterKeyId,
          })),
        });
        this.pool.push(...keys);
      } finally {
        this.leasing = undefined;
      }
    })();
    return this.leasing;
  }

  /** Whether the subject's data was erased (their key destroyed). */
  async isErased(subjectId: string): Promise<boolean> {
    return (await this.store.findKey(subjectId))?.erasedAt != null;
  }

  /** Destroys the subject's key: every value encrypted under it becomes unreadable for good. */
  async destroy(subjectId: string): Promise<void> {
    await this.store.destroyKey(subjectId, this.now().toISOString());
  }

  async close(): Promise<void> {
    await this.store.close();
  }

  /**
   * Re-wraps every live data key from `current` to `next` and then records `next` as the store's
   * master key. Safe to interrupt and run again with the same keys: keys already under `next` are
   * counted and left alone, and a store already rotated to `next` reports so and changes nothing.
   * @throws ConfigurationError when `current` is not the store's master key (nor `next`, rotated).
   */
  static async rotateMaster(
    store: KeyStore,
    current: MasterKey,
    next: MasterKey,
    onProgress: (done: number, total: number) => void = () => undefined,
  ): Promise<RotationReport> {
    await store.init();
    const currentId = keyCheckValue(current.bytes());
    const nextId = keyCheckValue(next.bytes());
    if (currentId === nextId) throw new ConfigurationError('HARBOUR_NEW_MASTER_KEY', 'is the current master key');
    const stored = await store.masterKeyCheck();
    const { live } = await store.countKeys(nextId);
    if (stored !== undefined && sameKeyCheckValue(stored, nextId)) {
      onProgress(live, live);
      return { rewrapped: 0, alreadyRotated: live, total: live };
    }
    if (stored !== undefined && !sameKeyCheckValue(stored, currentId)) {
      throw new ConfigurationError('HARBOUR_MASTER_KEY', 'is not the master key of the key store');
    }
    const from = current.bytes();
    const to = next.bytes();
    let rewrapped = 0;
    let alreadyRotated = 0;
    let done = 0;
    onProgress(0, live);
    // A key made meanwhile by a process still on the old master key is picked up by another pass.
    for (
      let pass = 0;
      pass === 0 || (await store.countKeys(nextId)).wrappedUnder < (await store.countKeys(nextId)).live;
      pass += 1
    ) {
      for (let after: string | undefined, page; (page = await store.listKeys(after, 500)).length > 0;) {
        for (const key of page) {
          after = key.subjectId;
          if (!key.wrappedKey) continue;
          if (key.masterKeyId === nextId) {
            if (pass === 0) alreadyRotated += 1;
            continue;
          }
          const dataKey = unwrapKey(key.wrappedKey, from, key.subjectId);
          const moved = await store.rewrapKey(key.subjectId, currentId, wrapKey(dataKey, to, key.subjectId), nextId);
          // Lost a race with an erasure (the key is gone) or another rotation (already moved).
          if (moved) rewrapped += 1;
          done += 1;
          onProgress(Math.min(done + alreadyRotated, live), live);
        }
      }
      // Pooled keys: every live one moves (an unclaimed one may yet be claimed by a running
      // process), but only claimed ones are subjects' keys, and counted.
      for (let after: string | undefined, page; (page = await store.listPooledKeys(after, 500)).length > 0;) {
        for (const key of page) {
          after = key.keyId;
          if (!key.wrappedKey) continue;
          if (key.masterKeyId === nextId) {
            if (pass === 0 && key.subjectId !== null) alreadyRotated += 1;
            continue;
          }
          const dataKey = unwrapPooledKey(key.wrappedKey, from, key.keyId);
          const moved = await store.rewrapPooledKey(
            key.keyId,
            currentId,
            wrapPooledKey(dataKey, to, key.keyId),
            nextId,
          );
          if (key.subjectId === null) continue;
          if (moved) rewrapped += 1;
          done += 1;
          onProgress(Math.min(done + alreadyRotated, live), live);
        }
      }
    }
    if (!(await store.replaceMasterKeyCheck(stored, nextId))) {
      throw new Error('The key store changed its master key during the rotation; run it again');
    }
    return { rewrapped, alreadyRotated, total: live };
  }
}
