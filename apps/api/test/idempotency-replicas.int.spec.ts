import { randomUUID } from 'node:crypto';
import { collect, startEsdbTestServer, type EsdbTestServer } from '@harbour/testing';
import { EVENT_STORE, type EventStore } from '@harbour/event-store';
import {
  DATABASE_URL,
  createTestSchema,
  describeWithPostgres,
  type TestSchema,
} from '../../../libs/read-store/test/support/postgres-test-database';
import { startApi, type ApiHarness } from './support/api-harness';
import { referral } from './support/pilot-path';
import { MASTER_KEY } from './support/settings';

/**
 * Distributed mode behind a load balancer: two API replicas sharing PostgreSQL (read models, data
 * keys, idempotency records) and one event store. A client's retry may reach either replica; it
 * must be answered as the first time, and the command recorded once.
 */
describeWithPostgres('two API replicas sharing PostgreSQL', () => {
  let schema: TestSchema;
  let eventStoreServer: EsdbTestServer;
  let replicas: ApiHarness[];
  let store: EventStore;

  beforeAll(async () => {
    schema = await createTestSchema();
    eventStoreServer = await startEsdbTestServer();
    const env = {
      HARBOUR_EVENT_STORE: 'esdb',
      EVENTSTORE_CONNECTION_STRING: eventStoreServer.connectionString,
      HARBOUR_READ_STORE: 'postgres',
      DATABASE_URL,
      HARBOUR_READ_STORE_SCHEMA: schema.schema,
      HARBOUR_KEY_STORE: 'postgres',
      HARBOUR_KEY_STORE_SCHEMA: schema.schema,
      HARBOUR_MASTER_KEY: MASTER_KEY,
      HARBOUR_PROJECTOR: 'external',
    };
    replicas = [await startApi({ env }), await startApi({ env })];
    for (const replica of replicas) replica.clock.set('2015-09-10T09:00:00.000Z');
    store = replicas[0].app.get(EVENT_STORE);
  });
  afterAll(async () => {
    for (const replica of replicas ?? []) await replica.close();
    await eventStoreServer?.stop();
    await schema?.drop();
  });

  it('answers a retry sent to the other replica as the first time, and appends once', async () => {
    const [a, b] = replicas;
    const lead = await a.token('lead');
    const key = randomUUID();
    const send = (replica: ApiHarness) =>
      replica.request('POST', '/cases', { token: lead, body: referral(), headers: { 'idempotency-key': key } });

    const first = await send(a);
    expect(first.status).toBe(201);
    const retry = await send(b);
    expect([retry.status, retry.headers.get('idempotent-replayed'), retry.body]).toEqual([201, 'true', first.body]);
    expect(await collect(store.readStream(`case-${first.body.caseId}`))).toHaveLength(1);
  });

  it('records one of two retries sent to both replicas at once, and replays a refusal made on the other', async () => {
    const [a, b] = replicas;
    const lead = await a.token('lead');
    const caseManager = await a.token('case-manager');
    const raised = await a.request('POST', '/cases', { token: lead, body: referral() });
    const caseId = String(raised.body.caseId);

    const key = randomUUID();
    const evidence = (replica: ApiHarness) =>
      replica.request('POST', `/cases/${caseId}/evidence`, {
        token: caseManager,
        body: { kind: 'other', description: 'Payslips showing deductions' },
        headers: { 'idempotency-key': key },
      });
    const both = await Promise.all([evidence(a), evidence(b)]);
    // One records it; the other finds the key in flight (409) or already answered.
    expect(both.map((response) => response.status).sort()).toEqual(
      both.some((response) => response.status === 409) ? [200, 409] : [200, 200],
    );
    const settled = await evidence(b);
    expect([settled.status, settled.headers.get('idempotent-replayed')]).toEqual([200, 'true']);
    const events = await collect(store.readStream(`case-${caseId}`));
    expect(events.map((event) => event.type)).toEqual(['ReferralRaised', 'EvidenceAdded']);

    // A rule broken on one replica is the same refusal on the other, without running again.
    const refusalKey = randomUUID();
    // Resuming a case that is not suspended.
    const resume = (replica: ApiHarness) =>
      replica.request('POST', `/cases/${caseId}/resumption`, {
        token: caseManager,
        body: {},
        headers: { 'idempotency-key': refusalKey },
      });
    const refused = await resume(a);
    expect(refused.status).toBe(422);
    const again = await resume(b);
    // The replay keeps the refusal's rule, not its detail (a detail may state facts about the person).
    const { detail: _first, ...firstRefusal } = refused.body as Record<string, unknown>;
    const { detail: _replayed, ...replayedRefusal } = again.body as Record<string, unknown>;
    expect([again.status, again.headers.get('idempotent-replayed'), replayedRefusal]).toEqual([
      422,
      'true',
      firstRefusal,
    ]);
  });
});
