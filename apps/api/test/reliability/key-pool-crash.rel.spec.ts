import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import Database from 'better-sqlite3';
import { SqliteEventStore, type JsonValue, type RecordedEvent } from '@harbour/event-store';
import { MasterKey, SqliteKeyStore, SubjectKeys, decryptValue, keyIdOf } from '@harbour/privacy';
import { collect, tempDir } from '@harbour/testing';
import { referral } from '../support/pilot-path';
import { ApiProcess } from './support/api-process';

/**
 * Data keys are made durable ahead of use, in leased batches, and a new referral's subject takes
 * one from the process's pool (issue 21). The API is killed with SIGKILL while its keys are leased
 * and being claimed, started again on the same files, and goes on taking referrals; then the key
 * store and the stored events are read directly to prove that no key serves two subjects: every
 * key a ciphertext names belongs to the one subject of its stream, the key store agrees, the dead
 * process's unclaimed keys were abandoned (never handed out after the restart), and every stored
 * referral still decrypts.
 *
 * The kill is forced at a known point by the same test-only preload as the API crash test: right
 * after the KILL_AT-th referral is committed, with other clients' requests in flight.
 */

const CLIENTS = 8;
const KILL_AT = 40;
const AFTER_RESTART = 30;
/** Small, so the first process makes several leases and dies in the middle of one. */
const POOL_SIZE = '16';
const PRELOAD = join(__dirname, 'support', 'kill-after-append.preload.ts');
const NAME = 'Synthetic Person Alpha';

interface PooledRow {
  key_id: string;
  lease_id: string;
  subject_id: string | null;
  wrapped_key: Buffer | null;
}

describe('the API killed (SIGKILL) while data keys are leased and in use', () => {
  it('never lets a key serve two subjects, before or after the restart', async () => {
    const dir = tempDir('harbour-key-pool-crash-');
    const masterKey = randomBytes(32);
    const env = {
      HARBOUR_DATA_DIR: dir.path,
      HARBOUR_SCHEDULER_INTERVAL_MS: '3600000',
      HARBOUR_MASTER_KEY: masterKey.toString('base64'),
      HARBOUR_KEY_POOL_SIZE: POOL_SIZE,
    };
    const processes: ApiProcess[] = [];
    const started = (extra: Record<string, string> = {}, preload: string[] = []): ApiProcess => {
      const api = new ApiProcess({ ...env, ...extra }, preload);
      processes.push(api);
      return api;
    };
    const send = async (url: string, token: string) => {
      const response = await fetch(`${url}/cases`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
          'x-occurred-at': '2015-09-01T09:00:00.000Z',
        },
        body: JSON.stringify(referral()),
      });
      await response.arrayBuffer();
      return response.status;
    };
    const pooledRows = (): PooledRow[] => {
      const db = new Database(join(dir.path, 'keys.db'), { readonly: true });
      try {
        return db.prepare('select key_id, lease_id, subject_id, wrapped_key from pooled_keys').all() as PooledRow[];
      } finally {
        db.close();
      }
    };

    try {
      const first = started({ TEST_KILL_AFTER_APPENDS: String(KILL_AT) }, [PRELOAD]);
      const url = await first.listening();
      const token = await first.token('lead', { userId: 'lead-key-pool' });
      let acknowledged = 0;
      await Promise.all(
        Array.from({ length: CLIENTS }, async () => {
          for (let i = 0; i < KILL_AT; i++) {
            try {
              if ((await send(url, token)) === 201) acknowledged += 1;
            } catch {
              return; // The connection died with the process.
            }
          }
        }),
      );
      const stillRunning = new Promise((resolve) => setTimeout(() => resolve('still running'), 10_000).unref());
      expect(await Promise.race([first.exited, stillRunning])).toEqual({ code: null, signal: 'SIGKILL' });

      // The key store as the kill left it: several leases, keys claimed and keys not yet used.
      const atCrash = pooledRows();
      const deadLeases = new Set(atCrash.map((row) => row.lease_id));
      const claimedAtCrash = new Map(atCrash.filter((row) => row.subject_id !== null).map((row) => [row.key_id, row]));
      const unclaimedAtCrash = atCrash.filter((row) => row.subject_id === null).map((row) => row.key_id);
      expect(deadLeases.size).toBeGreaterThanOrEqual(2);
      expect(claimedAtCrash.size).toBeGreaterThanOrEqual(KILL_AT);
      expect(unclaimedAtCrash.length).toBeGreaterThan(0);

      // Started again on the same files, it goes on taking referrals.
      const second = started();
      const again = await second.listening();
      const token2 = await second.token('lead', { userId: 'lead-key-pool' });
      const statuses = await Promise.all(Array.from({ length: AFTER_RESTART }, () => send(again, token2)));
      expect(statuses.filter((status) => status !== 201)).toEqual([]);
      await second.dispose();

      const after = pooledRows();
      const byKeyId = new Map(after.map((row) => [row.key_id, row]));
      // The dead process's unclaimed keys stay unclaimed: abandoned, never handed out again.
      expect(unclaimedAtCrash.filter((keyId) => byKeyId.get(keyId)!.subject_id !== null)).toEqual([]);
      // What was claimed before the kill is claimed by the same subject after it.
      for (const [keyId, row] of claimedAtCrash) expect(byKeyId.get(keyId)!.subject_id).toBe(row.subject_id);
      // Every key claimed after the restart came from a lease the restarted process made.
      const claimedAfter = after.filter((row) => row.subject_id !== null && !claimedAtCrash.has(row.key_id));
      expect(claimedAfter.length).toBeGreaterThanOrEqual(AFTER_RESTART);
      expect(claimedAfter.filter((row) => deadLeases.has(row.lease_id))).toEqual([]);
      // No subject holds two pooled keys.
      const subjects = after.flatMap((row) => (row.subject_id === null ? [] : [row.subject_id]));
      expect(new Set(subjects).size).toBe(subjects.length);

      // The stored events: every key a ciphertext names serves the one subject of its stream.
      const store = new SqliteEventStore({ filename: join(dir.path, 'events.db'), integrityCheck: false });
      const keys = await SubjectKeys.open(
        new SqliteKeyStore(join(dir.path, 'keys.db')),
        new MasterKey(masterKey, 'test'),
      );
      try {
        const referrals = (await collect(store.readAll())).filter((event) => event.type === 'ReferralRaised');
        expect(referrals.length).toBeGreaterThanOrEqual(acknowledged + AFTER_RESTART);
        const subjectsOfKey = new Map<string, Set<string>>();
        for (const event of referrals) {
          const subjectId = subjectOf(event);
          for (const keyId of keyIdsIn(event.data)) {
            subjectsOfKey.set(keyId, (subjectsOfKey.get(keyId) ?? new Set()).add(subjectId));
          }
          // Each referral's fields are under its own subject's key, which the key store agrees on.
          const keyIds = [...keyIdsIn(event.data)];
          expect(new Set(keyIds).size).toBe(1);
          expect(byKeyId.get(keyIds[0])?.subject_id).toBe(subjectId);
          const key = await keys.keyForReading(keyIds[0]);
          const name = (event.data.subject as { name: string }).name;
          expect(
            decryptValue(name, key!, { stream: event.stream, eventType: event.type, pointer: '/subject/name' }),
          ).toBe(NAME);
        }
        const shared = [...subjectsOfKey].filter(([, owners]) => owners.size > 1).map(([keyId]) => keyId);
        expect(shared).toEqual([]);
        expect(subjectsOfKey.size).toBe(referrals.length);
      } finally {
        await keys.close();
        await store.close();
      }
    } finally {
      await Promise.all(processes.map((api) => api.dispose()));
      dir.remove();
    }
  }, 120_000);
});

function subjectOf(event: RecordedEvent): string {
  const subject = event.data.subject as { subjectId?: unknown };
  if (typeof subject?.subjectId !== 'string') throw new Error(`${event.stream} names no subject`);
  return subject.subjectId;
}

/** The key ids the ciphertexts anywhere in `value` name. */
function keyIdsIn(value: JsonValue): Set<string> {
  const found = new Set<string>();
  const walk = (item: JsonValue): void => {
    const keyId = keyIdOf(item);
    if (keyId !== undefined) found.add(keyId);
    else if (Array.isArray(item)) item.forEach(walk);
    else if (typeof item === 'object' && item !== null) Object.values(item).forEach(walk);
  };
  walk(value);
  return found;
}
