import { join } from 'node:path';
import { SqliteEventStore } from '@harbour/event-store';
import { mintDevelopmentToken, securityConfigFrom } from '@harbour/security';
import { tempDir } from '@harbour/testing';
import { spawnApi } from './support/api-process';
import { referral, when } from './support/pilot-path';

const SECRET = 'harbour-test-secret-harbour-test-secret-0123456789';

describe('SIGTERM during a stream of commands', () => {
  it('answers or refuses each command, stores every acknowledged one, closes the stores, and exits 0', async () => {
    const dir = tempDir('harbour-sigterm-');
    // The scheduler polls only at start-up: these 2015 referrals are long overdue, and a breach it
    // recorded would move a stream past the revision its referral was acknowledged at.
    const env = {
      HARBOUR_DATA_DIR: dir.path,
      HARBOUR_PORT: '0',
      HARBOUR_JWT_SECRET: SECRET,
      HARBOUR_SCHEDULER_INTERVAL_MS: '3600000',
    };
    const api = spawnApi(env);
    try {
      const url = await api.listening();
      const token = await mintDevelopmentToken(
        { role: 'lead', region: 'south-west', agency: 'home-office', userId: 'lead-sigterm', ttl: '1h' },
        securityConfigFrom(env),
      );
      const acknowledged: Array<{ caseId: string; revision: string }> = [];
      const refused: string[] = [];
      let sent = 0;
      let terminated = false;
      let answeredAfterSigterm = 0;
      // Eight clients, each sending referrals one after another until the API stops answering.
      const client = async () => {
        for (;;) {
          sent += 1;
          try {
            const response = await fetch(`${url}/cases`, {
              method: 'POST',
              headers: {
                authorization: `Bearer ${token}`,
                'content-type': 'application/json',
                'x-occurred-at': when.raised,
              },
              body: JSON.stringify(referral()),
            });
            const body = (await response.json()) as { caseId?: string; revision?: string };
            if (response.status >= 200 && response.status < 300) {
              acknowledged.push({ caseId: String(body.caseId), revision: String(body.revision) });
              if (terminated) answeredAfterSigterm += 1;
            } else {
              refused.push(String(response.status));
            }
          } catch (error) {
            // Connection refused or reset once the API stops accepting: never acknowledged.
            refused.push((error as Error).message);
            if (terminated) return;
          }
          if (terminated && refused.length > 0 && acknowledged.length + refused.length >= sent) return;
        }
      };
      const clients = Array.from({ length: 8 }, client);
      while (acknowledged.length < 40) await new Promise((resolve) => setTimeout(resolve, 10));
      api.child.kill('SIGTERM');
      terminated = true;
      const exit = await api.exited;
      await Promise.all(clients);

      expect(exit).toEqual({ code: 0, signal: null });
      expect(api.stdout()).toContain('"msg":"stopped"');
      expect(refused.length).toBeGreaterThan(0);

      // Every 2xx the clients received is in the store, at the revision it was acknowledged with.
      const store = new SqliteEventStore({ filename: join(dir.path, 'events.db') });
      try {
        const missing: string[] = [];
        for (const { caseId, revision } of acknowledged) {
          const events = [];
          for await (const event of store.readStream(`case-${caseId}`)) events.push(event);
          // At the acknowledged revision, not necessarily the last: the in-process deadline
          // scheduler may have recorded the (2015, long overdue) lead assessment's breach since.
          const acknowledgedEvent = events.find((event) => String(event.revision) === revision);
          if (events[0]?.type !== 'ReferralRaised' || acknowledgedEvent?.type !== 'ReferralRaised') {
            missing.push(caseId);
          }
        }
        expect(missing).toEqual([]);
      } finally {
        await store.close();
      }
      expect(acknowledged.length).toBeGreaterThanOrEqual(40);
      // Eight clients always have commands in flight when the signal lands: those were finished.
      expect(answeredAfterSigterm).toBeGreaterThan(0);
    } finally {
      if (api.child.exitCode === null) api.child.kill('SIGKILL');
      dir.remove();
    }
  }, 60_000);
});
