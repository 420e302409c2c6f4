import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { KeyedIds, uuidFromName } from '@harbour/application';
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
 */

const CLIENTS = 8;
const USER = 'lead-crash';

describe('the API killed (SIGKILL) during a stream of commands', () => {
  it('loses no acknowledged command, leaves none half-written, and honours idempotency keys after the restart', async () => {
    const dir = tempDir('harbour-api-crash-');
    // Case ids are keyed on the master key: the test holds it to know which case each key names.
    const masterKey = randomBytes(32);
    const env = {
      HARBOUR_DATA_DIR: dir.path,
      HARBOUR_SCHEDULER_INTERVAL_MS: '3600000',
      HARBOUR_MASTER_KEY: masterKey.toString('base64'),
    };
    const processes: ApiProcess[] = [];
    const started = (): ApiProcess => {
      const api = new ApiProcess(env);
      processes.push(api);
      return api;
    };
    const body = JSON.stringify(referral());
    const send = async (url: string, token: string, key: string) => {
      const response = await fetch(`${url}/cases`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
          'idempotency-key': key,
          'x-occurred-at': '2015-09-01T09:00:00.000Z',
        },
        body,
      });
      return { status: response.status, body: (await response.json()) as { caseId?: string; revision?: string } };
    };
    const ids = new KeyedIds(masterKey);
    const caseIdOf = (key: string) => ids.idFor(`case:${uuidFromName(`command:${USER}\n${key}`)}`);

    let serverErrors = 0;
    let lost = 0;
    try {
      const first = started();
      const url = await first.listening();
      const token = await first.token('lead', { userId: USER });
      const keys: string[] = [];
      const acknowledged = new Map<string, string>();
      let stop = false;
      const clients = Array.from({ length: CLIENTS }, async (_, client) => {
        for (let i = 0; !stop; i++) {
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
      while (acknowledged.size < 60) await new Promise((resolve) => setTimeout(resolve, 5));
      first.kill('SIGKILL');
      stop = true;
      await Promise.all(clients);
      expect(await first.exited).toEqual({ code: null, signal: 'SIGKILL' });
      const unacknowledged = keys.filter((key) => !acknowledged.has(key));
      expect(unacknowledged.length).toBeGreaterThan(0);

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
        for (const key of unacknowledged) {
          // Whole (the one event of the referral) or absent.
          expect((await streamOf(caseIdOf(key))).map((event) => event.type)).toEqual(expect.arrayContaining([]));
          expect((await streamOf(caseIdOf(key))).length).toBeLessThanOrEqual(1);
        }

        // Retries after the restart: the same answer for what was acknowledged, one run for the rest.
        const token2 = await second.token('lead', { userId: USER });
        for (const key of keys) {
          const answer = await send(again, token2, key);
          if (answer.status >= 500) serverErrors += 1;
          expect({ key, status: answer.status, caseId: answer.body.caseId }).toEqual({
            key,
            status: 201,
            caseId: caseIdOf(key),
          });
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
