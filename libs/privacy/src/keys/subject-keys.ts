import { ConfigurationError } from '@harbour/shared';
import { keyCheckValue, newDataKey, sameKeyCheckValue, unwrapKey, wrapKey } from '../crypto/personal-data.cipher';
import { SubjectDataErasedError } from '../privacy.errors';
import type { MasterKey } from './master-key';
import type { KeyStore } from './key-store.port';

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
 * Subjects' data keys over a {@link KeyStore}: made on first need, wrapped under the master key,
 * unwrapped on every use. Nothing is cached between calls: once a key is destroyed, by this
 * process or another (a retention run from the command line), the next read finds it gone.
 */
export class SubjectKeys {
  private readonly master: Buffer;
  private readonly masterKeyId: string;

  private constructor(
    readonly store: KeyStore,
    masterKey: MasterKey,
    private readonly now: () => Date,
  ) {
    this.master = masterKey.bytes();
    this.masterKeyId = keyCheckValue(this.master);
  }

  /**
   * Opens the key store and checks the master key against the store's key check value (a new
   * store takes this key's).
   * @throws ConfigurationError naming `HARBOUR_MASTER_KEY` when it is not the key the store's
   *   data keys are wrapped under: starting with it would make every case unreadable.
   */
  static async open(store: KeyStore, masterKey: MasterKey, now: () => Date = () => new Date()): Promise<SubjectKeys> {
    await store.init();
    const check = keyCheckValue(masterKey.bytes());
    const stored = await store.masterKeyCheck();
    if (stored === undefined) {
      if (!(await store.replaceMasterKeyCheck(undefined, check))) return SubjectKeys.open(store, masterKey, now);
    } else if (!sameKeyCheckValue(stored, check)) {
      throw new ConfigurationError(
        'HARBOUR_MASTER_KEY',
        `is not the master key of the key store (its key check value differs): the data keys were wrapped under ` +
          `another master key (${masterKey.source} was given). Start with the key the store was created or last ` +
          'rotated with; to change keys, run harbour keys rotate-master',
      );
    }
    return new SubjectKeys(store, masterKey, now);
  }

  /** The subject's data key, made and stored on first use. @throws SubjectDataErasedError once destroyed. */
  async keyForWriting(subjectId: string): Promise<Buffer> {
    let stored = await this.store.findKey(subjectId);
    if (!stored) {
      const key = newDataKey();
      stored = await this.store.insertKey({
        subjectId,
        wrappedKey: wrapKey(key, this.master, subjectId),
        masterKeyId: this.masterKeyId,
        createdAt: this.now().toISOString(),
        erasedAt: null,
      });
    }
    if (!stored.wrappedKey) throw new SubjectDataErasedError(subjectId);
    return unwrapKey(stored.wrappedKey, this.master, subjectId);
  }

  /** The subject's data key, or null when it was destroyed (or never made). */
  async keyForReading(subjectId: string): Promise<Buffer | null> {
    const stored = await this.store.findKey(subjectId);
    return stored?.wrappedKey ? unwrapKey(stored.wrappedKey, this.master, subjectId) : null;
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
    }
    if (!(await store.replaceMasterKeyCheck(stored, nextId))) {
      throw new Error('The key store changed its master key during the rotation; run it again');
    }
    return { rewrapped, alreadyRotated, total: live };
  }
}
