import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { KeyedIds, uuidFromName } from '@harbour/shared';
import { SqliteEventStore, type RecordedEvent } from '@harbour/event-store';
import { collect, tempDir } from '@harbour/testing';
import { referral } from '../support/pilot-path';
import { ApiProcess } from './support/api-process';
import { tally } from './support/ledger';

/**
 * The API killed with SIGKILL in the middle of a stream of commands, then started again on the
 * same files: every command it acknowledged is in the store, every one it did not is whole or
 * absent, and a retry under the same Idempotency-Key answers as the first time (or, for a command
 * that never landed, runs it once).
 *
 * The kill is not left to chance: a test-only preload (support/kill-after-append.preload.ts) kills
 * the process right after the KILL_AT-th referral is committed, before it is answered, so every
 * run has at least one command that is stored and was never acknowledged.
 */

const CLIENTS = 8;
const KILL_AT = 60;
const USER = 'lead-crash';
const PRELOAD = join(__dirname, 'support', 'kill-after-append.preload.ts');

describe('the API killed (SIGKILL) during a stream of commands', () => {
  it('loses no acknowledged command, leaves none half-written, and answers a stored but unanswered command as stored', async () => {
    const dir = tempDir('harbour-api-crash-');
    // Case ids are keyed on the master key: the test holds it to know which case each key names.
    const masterKey = randomBytes(32);
    const env = {
      HARBOUR_DATA_DIR: dir.path,
      HARBOUR_SCHEDULER_INTERVAL_MS: '3600000',
      HARBOUR_MASTER_KEY: masterKey.toString('base64'),
    };
    const processes: ApiProcess[] = [];
    const started = (extra: Record<string, string> = {}, preload: string[] = []): ApiProcess => {
      const api = new ApiProcess({ ...env, ...extra }, preload);
      processes.push(api);
      return api;
    };
    const body = referral();
    const send = async (url: string, token: string, key: string, sent: unknown = body) => {
      const response = await fetch(`${url}/cases`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
          'idempotency-key': key,
          'x-occurred-at': '2015-09-01T09:00:00.000Z',
        },
        body: JSON.stringify(sent),
      });
      return {
        status: response.status,
        body: (await response.json()) as { caseId?: string; revision?: string; position?: string; rule?: string },
      };
    };
    const ids = new KeyedIds(masterKey);
    const caseIdOf = (key: string) => ids.idFor(`case:${uuidFromName(`command:${USER}\n${key}`)}`);

    let serverErrors = 0;
    let lost = 0;
    let unanswered: number | undefined;
    try {
      const first = started({ TEST_KILL_AFTER_APPENDS: String(KILL_AT) }, [PRELOAD]);
      const url = await first.listening();
      const token = await first.token('lead', { userId: USER });
      const keys: string[] = [];
      const acknowledged = new Map<string, string>();
      const clients = Array.from({ length: CLIENTS }, async (_, client) => {
        // Bounded, so a preload that failed to kill shows as a failed assertion, not a hang.
        for (let i = 0; i < KILL_AT; i++) {
          const key = `crash-${client}-${i}`;
          keys.push(key);
          try {
            const answer = await send(url, token, key);
            if (answer.status === 201) acknowledged.set(key, String(answer.body.caseId));
            else if (answer.status >= 500) serverErrors += 1;
          } catch {
            // The connection died with the process: not acknowledged.
            return;
          }
        }
      });
      await Promise.all(clients);
      const stillRunning = new Promise((resolve) => setTimeout(() => resolve('still running'), 10_000).unref());
      expect(await Promise.race([first.exited, stillRunning])).toEqual({ code: null, signal: 'SIGKILL' });

      const second = started();
      const again = await second.listening();
      const store = new SqliteEventStore({ filename: join(dir.path, 'events.db'), integrityCheck: false });
      // The events commands wrote (the deadline scheduler may have recorded misses since).
      const streamOf = async (caseId: string): Promise<RecordedEvent[]> => {
        try {
          return (await collect(store.readStream(`case-${caseId}`))).filter(
            (event) =>
              event.metadata.commandId !== undefined && (event.metadata.actor as { role?: string }).role !== 'system',
          );
        } catch {
          return [];
        }
      };
      try {
        for (const [key, caseId] of acknowledged) {
          expect(caseId).toBe(caseIdOf(key));
          const events = await streamOf(caseId);
          if (events.length !== 1 || events[0].type !== 'ReferralRaised') lost += 1;
        }
        expect(lost).toBe(0);
        // Stored but never acknowledged: the case this test exists for. The preload makes it
        // happen every run (the KILL_AT-th referral at least).
        const storedUnanswered = new Map<string, RecordedEvent>();
        for (const key of keys.filter((k) => !acknowledged.has(k))) {
          const events = await streamOf(caseIdOf(key));
          // Whole (the one event of the referral) or absent.
          expect({ key, types: events.map((event) => event.type) }).toEqual({
            key,
            types: events.length === 0 ? [] : ['ReferralRaised'],
          });
          if (events.length === 1) storedUnanswered.set(key, events[0]);
        }
        unanswered = storedUnanswered.size;
        expect(unanswered).toBeGreaterThan(0);
        expect(acknowledged.size + storedUnanswered.size).toBeGreaterThanOrEqual(KILL_AT);

        const token2 = await second.token('lead', { userId: USER });
        // Another request under the key of a stored command is refused, and does not take the key
        // from the client whose command it is.
        const [firstUnanswered] = storedUnanswered.keys();
        const reused = await send(again, token2, firstUnanswered, referral({ account: 'Another account.' }));
        expect({ status: reused.status, rule: reused.body.rule }).toEqual({
          status: 422,
          rule: 'idempotency-key-reused',
        });

        // Retries after the restart: a stored command answers as the first time would have (its
        // case, revision and position), and writes nothing; one that never landed runs once.
        const token3 = await second.token('lead', { userId: USER });
        for (const key of keys) {
          const answer = await send(again, token3, key);
          if (answer.status >= 500) serverErrors += 1;
          const stored = storedUnanswered.get(key);
          expect({ key, status: answer.status, caseId: answer.body.caseId }).toEqual({
            key,
            status: 201,
            caseId: caseIdOf(key),
          });
          if (stored) {
            expect({ key, revision: answer.body.revision, position: answer.body.position }).toEqual({
              key,
              revision: '0',
              position: String(stored.position),
            });
          }
          expect(await streamOf(caseIdOf(key))).toHaveLength(1);
        }
      } finally {
        await store.close();
      }
      tally({
        suite: 'API crash (SIGKILL)',
        scenarios: 1,
        faults: 1,
        commands: acknowledged.size,
        unanswered,
        lost,
        serverErrors,
      });
      expect(serverErrors).toBe(0);
    } finally {
      await Promise.all(processes.map((api) => api.dispose()));
      dir.remove();
    }
  }, 120_000);
});
