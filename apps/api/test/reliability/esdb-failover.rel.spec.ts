import { randomUUID } from 'node:crypto';
import { EsdbEventStore, type RecordedEvent, type Subscription } from '@harbour/event-store';
import { collect, startEsdbTestCluster, type EsdbTestCluster } from '@harbour/testing';
import { startApi, type ApiHarness, type ApiResponse } from '../support/api-harness';
import { referral } from '../support/pilot-path';
import { tallyFailover } from './support/failover-ledger';
import { tally } from './support/ledger';

/**
 * The API on EventStoreDB (a three-node double cluster) through a storm of commands while the
 * leader is stopped and, later, brought back as a follower. Clients behave as the API tells them:
 * a 503 or a 409 is sent again with the same Idempotency-Key. Afterwards: every acknowledged
 * command is in the store exactly once, no event is there twice, the projections (the API's own
 * subscription) and an independent subscription delivered every event once, in order, across the
 * failover.
 */

const CASES = 6;
const COMMANDS = 90;
const CLIENTS = 6;
const ATTEMPTS = 30;
/** A scenario, not a unit: seconds alone, longer on a machine other test files share. */
const SCENARIO_TIMEOUT_MS = 180_000;

describe('EventStoreDB failover under a command storm', () => {
  let cluster: EsdbTestCluster;
  let api: ApiHarness;
  let watcher: EsdbEventStore;
  let subscription: Subscription;
  const delivered: RecordedEvent[] = [];
  let watching: Promise<void>;

  beforeAll(async () => {
    cluster = await startEsdbTestCluster({ nodes: 3, electionDelayMs: 300 });
    api = await startApi({
      env: { HARBOUR_EVENT_STORE: 'esdb', EVENTSTORE_CONNECTION_STRING: cluster.connectionString },
    });
    api.clock.set('2015-09-10T09:00:00.000Z');
    watcher = new EsdbEventStore({
      connectionString: cluster.connectionString,
      resubscribeDelayMs: { first: 20, max: 500 },
    });
    subscription = watcher.subscribeToAll({ filter: { streamPrefixes: ['case-'] } });
    watching = (async () => {
      for await (const event of subscription) delivered.push(event);
    })();
  }, SCENARIO_TIMEOUT_MS);
  afterAll(async () => {
    await subscription.close();
    await watching;
    await api.close();
    await watcher.close();
    await cluster.stop();
  }, SCENARIO_TIMEOUT_MS);

  it(
    'loses no acknowledged command, writes nothing twice, and every subscription resumes where it was',
    async () => {
      const lead = await api.token('lead');
      const caseManager = await api.token('case-manager');
      const caseIds: string[] = [];
      for (let i = 0; i < CASES; i++) {
        const raised = await api.request('POST', '/cases', { token: lead, body: referral() });
        expect(raised.status).toBe(201);
        caseIds.push(String(raised.body.caseId));
      }

      let serverErrors = 0;
      /** Sends one command until it is answered for good, as a client following the API's advice does. */
      const send = async (caseId: string, key: string): Promise<ApiResponse> => {
        for (let attempt = 1; ; attempt += 1) {
          const response = await api.request('POST', `/cases/${caseId}/evidence`, {
            token: caseManager,
            body: { kind: 'other', description: `Storm item ${key}` },
            // The correlation id lands in the event's metadata: how the check below finds it.
            headers: { 'idempotency-key': key, 'x-correlation-id': key },
          });
          if (response.status >= 500 && response.status !== 503) serverErrors += 1;
          if (response.status !== 503 && response.status !== 409) return response;
          if (attempt === ATTEMPTS) return response;
          await new Promise((resolve) => setTimeout(resolve, 50 + Math.random() * 100));
        }
      };

      const acknowledged: { caseId: string; key: string }[] = [];
      const sent: { caseId: string; key: string }[] = [];
      let next = 0;
      let oldLeader: number | undefined;
      const faults = async (done: number) => {
        // A third of the way in the leader goes; two thirds in it comes back, as a follower.
        if (done === Math.floor(COMMANDS / 3) && oldLeader === undefined) {
          oldLeader = cluster.leader();
          await cluster.stopNode(oldLeader!);
        }
        if (done === Math.floor((2 * COMMANDS) / 3) && oldLeader !== undefined) await cluster.startNode(oldLeader);
      };
      await Promise.all(
        Array.from({ length: CLIENTS }, async () => {
          while (next < COMMANDS) {
            const n = next++;
            await faults(n);
            const command = { caseId: caseIds[n % CASES], key: randomUUID() };
            sent.push(command);
            const response = await send(command.caseId, command.key);
            if (response.status === 201 || response.status === 200) acknowledged.push(command);
            else expect([response.status, response.body]).toEqual([201, undefined]);
          }
        }),
      );
      expect(oldLeader).toBeDefined();
      expect(cluster.leader()).not.toBe(oldLeader);
      expect(cluster.nodes[oldLeader!].role).toBe('follower');

      // Every acknowledged command exactly once; no event id twice anywhere.
      const events = (await Promise.all(caseIds.map((id) => collect(watcher.readStream(`case-${id}`))))).flat();
      const byKey = new Map<string, number>();
      for (const event of events) {
        const key = String(event.metadata.correlationId);
        byKey.set(key, (byKey.get(key) ?? 0) + 1);
      }
      const lost = acknowledged.filter(({ key }) => !byKey.has(key)).length;
      const duplicateCommands = sent.filter(({ key }) => (byKey.get(key) ?? 0) > 1).length;
      const duplicateIds = events.length - new Set(events.map((event) => event.id)).size;

      // The independent subscription: every event of the case streams, once, in position order.
      const all = (await collect(watcher.readAll({ filter: { streamPrefixes: ['case-'] } }))).map((e) => e.id);
      const until = Date.now() + 20_000;
      while (delivered.length < all.length && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
      const watcherResumed = JSON.stringify(delivered.map((e) => e.id)) === JSON.stringify(all);

      // The API's projections (its own subscription): each case's read model reaches its stream's head.
      const head = await watcher.headPosition();
      let projectionsResumed = true;
      for (const caseId of caseIds) {
        const revision = (await collect(watcher.readStream(`case-${caseId}`))).length - 1;
        const read = await api.request('GET', `/cases/${caseId}`, {
          token: caseManager,
          headers: { 'x-min-position': String(head) },
        });
        if (read.status !== 200 || String(read.body.revision) !== String(revision)) projectionsResumed = false;
      }

      const result = {
        leadersStopped: 1,
        acknowledged: acknowledged.length,
        lost,
        duplicates: duplicateCommands + duplicateIds,
        subscriptions: 2,
        resumed: Number(watcherResumed) + Number(projectionsResumed),
      };
      tallyFailover(result);
      tally({ suite: 'esdb-failover', scenarios: 1, faults: 2, commands: acknowledged.length, lost, serverErrors });

      expect(acknowledged).toHaveLength(COMMANDS);
      expect({ lost, duplicateCommands, duplicateIds, serverErrors }).toEqual({
        lost: 0,
        duplicateCommands: 0,
        duplicateIds: 0,
        serverErrors: 0,
      });
      expect(watcherResumed).toBe(true);
      expect(projectionsResumed).toBe(true);
    },
    SCENARIO_TIMEOUT_MS,
  );
});
