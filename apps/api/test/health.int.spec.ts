import { PROJECTIONS } from '@harbour/projections';
import {
  DATABASE_URL,
  createTestSchema,
  describeWithPostgres,
  type TestSchema,
} from '../../../libs/read-store/test/support/postgres-test-database';
import { tempDir } from '@harbour/testing';
import { startApi, type ApiHarness } from './support/api-harness';
import { referral, when } from './support/pilot-path';
import { TcpProxy } from './support/tcp-proxy';

interface Readiness {
  status: string;
  checks: Record<string, { ok: boolean; detail?: string; lag?: Record<string, number> }>;
}

async function eventually<T>(probe: () => Promise<T>, until: (value: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (until(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('health probes (embedded)', () => {
  let api: ApiHarness;
  const dirs: ReturnType<typeof tempDir>[] = [];
  afterEach(() => api.close());
  afterAll(() => dirs.forEach((dir) => dir.remove()));

  it('is live and ready without a token, with no store details in the answer', async () => {
    api = await startApi();
    const live = await api.request('GET', '/health/live');
    expect({ status: live.status, body: live.body }).toEqual({ status: 200, body: { status: 'ok' } });
    expect(live.headers.get('cache-control')).toBe('no-store');
    const ready = await eventually(
      () => api.request<Readiness>('GET', '/health/ready'),
      (r) => r.status === 200,
    );
    expect(ready.status).toBe(200);
    // Exactly these checks: the stores answer only `ok` (no file, host or driver detail goes to an
    // unauthenticated caller), the projections how far each is behind and the bound.
    expect(ready.body).toEqual({
      status: 'ready',
      checks: {
        eventStore: { ok: true },
        readStore: { ok: true },
        projections: {
          ok: true,
          lag: Object.fromEntries(PROJECTIONS.map((projection) => [projection.name, 0])),
          maxLag: 1000,
        },
      },
    });
  });

  it('is not ready while a projection lags past HARBOUR_READY_MAX_LAG', async () => {
    // A first start registers the configured panels and projects them; then external projector
    // mode with none running: nothing projects the appended referral.
    const dir = tempDir('harbour-lag-');
    dirs.push(dir);
    const first = await startApi({ dataDir: dir.path });
    await eventually(
      () => first.request('GET', '/health/ready'),
      (r) => r.status === 200,
    );
    await first.close();
    api = await startApi({ dataDir: dir.path, env: { HARBOUR_PROJECTOR: 'external', HARBOUR_READY_MAX_LAG: '0' } });
    api.clock.set('2015-11-01T09:00:00.000Z');
    expect((await api.request('GET', '/health/ready')).status).toBe(200);
    const lead = await api.token('lead');
    const raised = await api.request('POST', '/cases', {
      token: lead,
      body: referral(),
      headers: { 'X-Occurred-At': when.raised },
    });
    expect(raised.status).toBe(201);
    const ready = await api.request<Readiness>('GET', '/health/ready');
    expect(ready.status).toBe(503);
    expect(ready.body.status).toBe('not-ready');
    expect(ready.body.checks.projections.ok).toBe(false);
    expect(Object.values(ready.body.checks.projections.lag ?? {}).every((lag) => lag > 0)).toBe(true);
    expect((await api.request('GET', '/health/live')).status).toBe(200);
  });
});

describeWithPostgres('readiness with the PostgreSQL read store going down and coming back', () => {
  let schema: TestSchema;
  let proxy: TcpProxy;
  let api: ApiHarness | undefined;

  beforeAll(async () => {
    schema = await createTestSchema();
    const target = new URL(DATABASE_URL);
    proxy = new TcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
    await proxy.start();
  });
  afterAll(async () => {
    await api?.close();
    await proxy.stop();
    await schema.drop();
  });

  it('goes false when the read store is unreachable and true again when it returns', async () => {
    const url = new URL(DATABASE_URL);
    url.hostname = proxy.address.host;
    url.port = String(proxy.address.port);
    api = await startApi({
      env: {
        HARBOUR_READ_STORE: 'postgres',
        DATABASE_URL: url.href,
        HARBOUR_READ_STORE_SCHEMA: schema.schema,
      },
    });
    const ready = () => api!.request<Readiness>('GET', '/health/ready');

    expect((await eventually(ready, (r) => r.status === 200)).status).toBe(200);

    await proxy.stop();
    const down = await eventually(ready, (r) => r.status === 503);
    expect(down.status).toBe(503);
    expect(down.body.checks.readStore).toEqual({ ok: false, detail: expect.any(String) });
    expect(down.body.checks.eventStore).toEqual({ ok: true });
    // Not the connection string, nor any part of it.
    expect(JSON.stringify(down.body)).not.toContain(schema.schema);
    expect(JSON.stringify(down.body)).not.toContain(String(proxy.address.port));
    expect((await api.request('GET', '/health/live')).status).toBe(200);

    await proxy.start();
    const back = await eventually(ready, (r) => r.status === 200);
    expect(back.status).toBe(200);
    expect(back.body.checks.readStore).toEqual({ ok: true });

    // The in-process projections came back with the store: a new referral is projected too.
    api.clock.set(when.now);
    const raised = await api.request('POST', '/cases', {
      token: await api.token('lead'),
      body: referral(),
      headers: { 'X-Occurred-At': when.raised },
    });
    expect(raised.status).toBe(201);
    const caughtUp = await eventually(ready, (r) =>
      Object.values(r.body.checks.projections.lag ?? {}).every((lag) => lag === 0),
    );
    expect(caughtUp.body.checks.projections.lag).toEqual(
      Object.fromEntries(PROJECTIONS.map((projection) => [projection.name, 0])),
    );
  });
});
