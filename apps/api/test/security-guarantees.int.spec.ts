import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { retentionReport } from '@harbour/application';
import { uuidFromName } from '@harbour/shared';
import { EVENT_STORE, type EventStore } from '@harbour/event-store';
import { retentionPolicyFrom } from '@harbour/privacy';
import { collect, tempDir } from '@harbour/testing';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { HarbourMetrics } from '@harbour/observability';
import { apiConfigFrom, type ApiConfig } from '../src/api.config';
import { MetricsController } from '../src/ops/metrics.controller';
import { ACCESS_LOG } from '../src/audit/access-log.provider';
import type { AccessLog } from '@harbour/audit';
import { startApi, type ApiHarness, type ApiResponse } from './support/api-harness';
import { assessment, listing, referral, when } from './support/pilot-path';

/**
 * Guarantees that hold under attack (issue 15), over real HTTP: what a careless client or an
 * attacker with a valid token tried, and what they get now. Each block names the item it holds.
 */

const LONDON = { region: 'london', policeForceArea: 'metropolitan', referringAgency: 'Metropolitan Police' };
const support = { kinds: ['accommodation'], provider: 'The Salvation Army' };

describe('guarantees under attack, over HTTP', () => {
  let api: ApiHarness;
  let lead: string;
  let londonLead: string;
  let caseId: string;
  let londonCaseId: string;
  let position: string;

  beforeAll(async () => {
    api = await startApi({ env: { HARBOUR_MIN_POSITION_WAIT_MS: '1000' } });
    api.clock.set(when.now);
    lead = await api.token('lead', { userId: 'lead-1' });
    londonLead = await api.token('lead', { userId: 'lead-7', region: 'london' });
    caseId = await raise(referral(), lead);
    londonCaseId = await raise(referral(LONDON), londonLead);
  });
  afterAll(() => api.close());

  async function raise(body: Record<string, unknown>, token: string, key?: string): Promise<string> {
    const response = await api.request('POST', '/cases', {
      token,
      body,
      headers: { 'x-occurred-at': when.raised, ...(key ? { 'idempotency-key': key } : {}) },
    });
    expect({ status: response.status, body: response.body }).toMatchObject({ status: 201 });
    position = String(response.body.position);
    return String(response.body.caseId);
  }

  function expectProblem(response: ApiResponse, status: number, extra: Record<string, unknown> = {}) {
    expect({ status: response.status, body: response.body }).toMatchObject({ status, body: { status, ...extra } });
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  }

  const fieldsOf = (response: ApiResponse) =>
    ((response.body.errors ?? []) as { field: string; messages: string[] }[]).map((error) => error.field);

  describe('item 2: business time has a lower bound, and late entries say so', () => {
    it('refuses an entry dated before the referral or before the last entry', async () => {
      const id = await raise(referral(), lead);
      const assess = (at: string) =>
        api.request('POST', `/cases/${id}/lead-assessment`, {
          token: lead,
          body: assessment(),
          headers: { 'x-occurred-at': at },
        });
      expectProblem(await assess('2005-09-02T09:00:00Z'), 422, { rule: 'business-time-before-referral' });
      const support = await api.request('POST', `/cases/${id}/immediate-support`, {
        token: lead,
        body: { kinds: ['medical'], provider: 'NHS Dorset' },
        headers: { 'x-occurred-at': '2015-09-05T09:00:00Z' },
      });
      expect(support.status).toBe(200);
      expectProblem(await assess('2015-09-02T09:00:00Z'), 422, { rule: 'business-time-before-last-entry' });
      expect((await assess('2015-09-05T09:00:00Z')).status).toBe(200);
    });

    it('marks an entry made more than a day after its business time as back-dated, in metadata and history', async () => {
      const id = await raise(referral(), lead);
      const now = await api.request('POST', `/cases/${id}/immediate-support`, {
        token: lead,
        body: { kinds: ['medical'], provider: 'NHS Dorset' },
        headers: { 'x-occurred-at': new Date(Date.parse(when.now) - 3600_000).toISOString() },
      });
      expect(now.status).toBe(200);
      const events = await collect(api.app.get<EventStore>(EVENT_STORE).readStream(`case-${id}`));
      expect(events.map((event) => event.metadata.backdated ?? false)).toEqual([true, false]);

      const history = await api.request<{ items: { type: string; backdated: boolean }[] }>(
        'GET',
        `/cases/${id}/history`,
        { token: lead },
      );
      expect(history.body.items.map(({ type, backdated }) => ({ type, backdated }))).toEqual([
        { type: 'ReferralRaised', backdated: true },
        { type: 'ImmediateSupportArranged', backdated: false },
      ]);
    });

    it('counts retention from the recorded time when a closure is back-dated', async () => {
      const caseManager = await api.token('case-manager', { userId: 'cm-1' });
      const id = await raise(referral(), lead);
      const post = (path: string, token: string, body: unknown, at: string) =>
        api.request('POST', `/cases/${id}/${path}`, { token, body, headers: { 'x-occurred-at': at } });
      expect((await post('lead-assessment', lead, assessment('negative'), when.assessed)).status).toBe(200);
      expect((await post('closure', caseManager, { notes: 'Closed.' }, when.closed)).status).toBe(200);

      // Closed "in 2015" but recorded now: six years from now, not due since 2021.
      const report = await retentionReport(
        api.app.get<EventStore>(EVENT_STORE),
        retentionPolicyFrom(undefined),
        new Date(),
      );
      const subjects = [...report.due, ...report.held].flatMap((entry) => entry.caseIds);
      expect(subjects).not.toContain(id);
      expect(report.notYetDue).toBeGreaterThan(0);
    });
  });

  describe('item 3: a panel claim of "null" is on no panel', () => {
    it('reads neither the summary nor the decisions of a case listed to no panel', async () => {
      const nullPanel = await api.token('panel-member', { userId: 'member-x', panels: ['null'] });
      const headers = { 'x-min-position': position };

      expectProblem(await api.request('GET', `/cases/${londonCaseId}`, { token: nullPanel, headers }), 404);
      expectProblem(await api.request('GET', `/cases/${londonCaseId}/decisions`, { token: nullPanel, headers }), 404);
      const listed = await api.request<{ items: unknown[] }>('GET', '/cases', { token: nullPanel, headers });
      expect(listed.body.items).toEqual([]);
    });
  });

  describe('item 4: one request cannot stall the API', () => {
    it('refuses an object of 150,000 keys at the parser, before validation, naming the bound', async () => {
      const body = Object.fromEntries(Array.from({ length: 150_000 }, (_, i) => [`k${i}`, 1]));
      const response = await api.request('POST', `/cases/${caseId}/immediate-support`, { token: lead, body });

      expectProblem(response, 400, { type: 'https://harbour.example/problems/invalid-request' });
      expect(response.body.errors).toEqual([{ field: '(body)', messages: ['the body has more than 64 properties'] }]);
    });

    it('refuses an array of 100,000 elements the same way', async () => {
      const response = await api.request('POST', `/cases/${caseId}/immediate-support`, {
        token: lead,
        body: { ...support, kinds: Array.from({ length: 100_000 }, () => 'accommodation') },
      });

      expectProblem(response, 400);
      expect(response.body.errors).toEqual([{ field: 'kinds', messages: ['kinds has more than 200 elements'] }]);
    });
  });

  describe('item 8: ill-formed text is refused at the body parser, naming the field', () => {
    const post = (body: string | Uint8Array) =>
      fetch(`${api.url}/cases/${caseId}/immediate-support`, {
        method: 'POST',
        headers: { authorization: `Bearer ${lead}`, 'content-type': 'application/json' },
        body,
      }).then(async (response) => ({
        status: response.status,
        headers: response.headers,
        body: (await response.json()) as Record<string, unknown>,
      }));

    it.each([
      [
        'a lone surrogate in a field that is not personal data',
        '{"kinds":["medical"],"provider":"Pro\\ud800vider"}',
        'provider',
      ],
      ['a lone surrogate in personal data', '{"kinds":["medical"],"provider":"P","notes":"\\udc00 alone"}', 'notes'],
      ['a NUL', '{"kinds":["medical"],"provider":"Pro\\u0000vider"}', 'provider'],
      ['an escape character', '{"kinds":["medical"],"provider":"Pro\\u001bvider"}', 'provider'],
      ['a C1 control character', '{"kinds":["medical"],"provider":"Pro\\u0085vider"}', 'provider'],
    ])('refuses %s (400)', async (_case, text, field) => {
      const response = await post(text);

      expectProblem(response, 400);
      expect(fieldsOf(response)).toEqual([field]);
    });

    it('refuses invalid UTF-8 instead of storing U+FFFD', async () => {
      const bytes = Buffer.concat([
        Buffer.from('{"kinds":["medical"],"provider":"Pro'),
        Buffer.from([0xff, 0xfe]),
        Buffer.from('vider"}'),
      ]);
      const response = await post(bytes);

      expectProblem(response, 400, { detail: 'The body is not valid UTF-8' });
    });

    it('takes tabs and line feeds in long text, and refuses them in a one-line field', async () => {
      const multiline = { ...support, notes: 'First line.\n\tSecond, indented.' };
      expect(
        (await api.request('POST', `/cases/${caseId}/immediate-support`, { token: lead, body: multiline })).status,
      ).toBe(200);
      const tabbed = await api.request('POST', `/cases/${caseId}/immediate-support`, {
        token: lead,
        body: { ...support, provider: 'The Salvation\tArmy' },
      });
      expectProblem(tabbed, 400);
      expect(fieldsOf(tabbed)).toEqual(['provider']);
    });
  });

  describe('item 11: a case is listed only to a registered panel of its region', () => {
    let admin: string;
    let caseManager: string;
    beforeAll(async () => {
      admin = await api.token('admin', { userId: 'admin-1' });
      caseManager = await api.token('case-manager', { userId: 'cm-1' });
    });

    const assessed = async () => {
      const id = await raise(referral(), lead);
      const response = await api.request('POST', `/cases/${id}/lead-assessment`, {
        token: lead,
        body: assessment(),
        headers: { 'x-occurred-at': when.assessed },
      });
      expect(response.status).toBe(200);
      return id;
    };
    const list = (id: string, panelId: string) =>
      api.request('POST', `/cases/${id}/panel-listing`, {
        token: caseManager,
        body: listing({ panelId }),
        headers: { 'x-occurred-at': when.listed },
      });

    it('refuses a South West case for the London panel, whose members would then read it', async () => {
      const registered = await api.request('POST', '/panels', {
        token: admin,
        body: { panelId: 'london-panel', name: 'London regional panel', region: 'london' },
      });
      expect({ status: registered.status, body: registered.body }).toEqual({
        status: 201,
        body: { panelId: 'london-panel', name: 'London regional panel', region: 'london' },
      });
      const id = await assessed();

      expectProblem(await list(id, 'london-panel'), 422, { rule: 'panel-serves-another-region' });
      expectProblem(await list(id, 'null'), 422, { rule: 'unknown-panel' });
      expectProblem(await list(id, 'atlantis-panel'), 422, { rule: 'unknown-panel' });
      expect((await list(id, 'south-west-panel')).status).toBe(200);
    });

    it('knows the panels the configuration registers, as events', async () => {
      const panel = await api.request('GET', '/panels/south-west-panel', { token: caseManager });
      expect(panel.body).toEqual({
        panelId: 'south-west-panel',
        name: 'South West regional panel',
        region: 'south-west',
      });
      expectProblem(await api.request('GET', '/panels/atlantis-panel', { token: caseManager }), 404);
      const again = await api.request('POST', '/panels', {
        token: admin,
        body: { panelId: 'south-west-panel', name: 'Another', region: 'london' },
      });
      expectProblem(again, 422, { rule: 'panel-already-registered' });
    });

    it('registers panels for administrators only', async () => {
      const response = await api.request('POST', '/panels', {
        token: caseManager,
        body: { panelId: 'wales-panel', name: 'Wales regional panel', region: 'wales' },
      });
      expectProblem(response, 403);
    });
  });

  describe('item 12: a 503 for X-Min-Position says when to retry', () => {
    it('carries Retry-After', async () => {
      const response = await api.request('GET', `/cases/${caseId}`, {
        token: lead,
        headers: { 'x-min-position': '999999999' },
      });

      expectProblem(response, 503, { type: 'https://harbour.example/problems/projection-behind' });
      expect(response.headers.get('retry-after')).toMatch(/^\d+$/);
    });
  });

  describe('item 13: markup is refused whether or not the tag is closed', () => {
    it.each(['<img src=x onerror=alert(1)', '<svg onload=alert(1)//', '</script', '<!-- x'])(
      'refuses %j',
      async (provider) => {
        const response = await api.request('POST', `/cases/${caseId}/immediate-support`, {
          token: lead,
          body: { ...support, provider },
        });

        expectProblem(response, 400);
        expect(fieldsOf(response)).toEqual(['provider']);
      },
    );

    it('still takes text with a less-than sign', async () => {
      const response = await api.request('POST', `/cases/${caseId}/immediate-support`, {
        token: lead,
        body: { ...support, notes: 'Seen twice in < 3 days; "<3" written on the note.' },
      });
      expect(response.status).toBe(200);
    });
  });

  describe('item 14: case ids cannot be guessed, and out-of-scope cases look unknown', () => {
    it('derives the case id with a server secret, and a retry still names the same case', async () => {
      const key = 'referral-of-2015-09-01';
      const first = await raise(referral(), lead, key);
      const retry = await raise(referral(), lead, key);
      // What anyone could compute from the user id and the Idempotency-Key alone.
      const guessable = uuidFromName(`case:${uuidFromName(`command:lead-1\n${key}`)}`);

      expect(retry).toBe(first);
      expect(first).not.toBe(guessable);
    });

    it.each([
      ['/cases/:id', ''],
      ['/cases/:id/file', '/file'],
      ['/cases/:id/actions', '/actions'],
      ['/cases/:id/decisions', '/decisions'],
      ['/cases/:id/history', '/history'],
      ['/cases/:id/state', '/state?revision=0'],
      ['/cases/:id/verify', '/verify'],
    ])('answers %s outside the reader region exactly as for an unknown case', async (_route, suffix) => {
      const unknown = '0b5e1f3a-7c2d-4e8f-9a1b-2c3d4e5f6a7b';
      const headers = { 'x-min-position': position };
      const outside = await api.request('GET', `/cases/${caseId}${suffix}`, { token: londonLead, headers });
      const missing = await api.request('GET', `/cases/${unknown}${suffix}`, { token: londonLead, headers });

      expectProblem(outside, 404);
      expect(outside.status).toBe(missing.status);
      expect(JSON.stringify(outside.body).replaceAll(caseId, '<id>')).toBe(
        JSON.stringify(missing.body).replaceAll(unknown, '<id>'),
      );
    });
  });

  describe('item 17: the edges answer in problem details and keep nothing personal', () => {
    it('answers oversized headers with 431 problem details', async () => {
      const response = await fetch(`${api.url}/health/live`, { headers: { 'x-padding': 'x'.repeat(40_000) } });

      expect(response.status).toBe(431);
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(await response.json()).toMatchObject({
        type: 'https://harbour.example/problems/request-header-fields-too-large',
        status: 431,
      });
    });

    it('keeps a refusal for replay without the facts its detail stated about the person', async () => {
      const key = 'too-young-for-an-adult-referral';
      const sixteen = referral({ subject: { ...(referral().subject as object), dateOfBirth: '1999-06-01' } });
      const send = () =>
        api.request('POST', '/cases', {
          token: lead,
          body: sixteen,
          headers: { 'x-occurred-at': when.raised, 'idempotency-key': key },
        });
      const first = await send();
      expectProblem(first, 422, { rule: 'age-group-contradicts-date-of-birth' });
      expect(first.body.detail).toContain('makes the person 16');

      const replay = await send();
      expectProblem(replay, 422, { rule: 'age-group-contradicts-date-of-birth' });
      expect(replay.headers.get('idempotent-replayed')).toBe('true');
      expect(JSON.stringify(replay.body)).not.toContain('16');
      const db = new Database(join(api.config.dataDir, 'idempotency.db'), { readonly: true });
      try {
        const stored = JSON.stringify(db.prepare('select * from idempotency_keys').all());
        expect(stored).toContain('age-group-contradicts-date-of-birth');
        expect(stored).not.toContain('makes the person');
      } finally {
        db.close();
      }
    });

    it.each(['toString', 'hasOwnProperty', 'valueOf', 'constructor'])(
      'refuses the query parameter %s like any unknown one',
      async (name) => {
        const response = await api.request('GET', `/cases?${name}=x`, { token: lead });

        expectProblem(response, 400);
        expect(fieldsOf(response)).toEqual([name]);
      },
    );
  });
});

describe('item 7: reads are limited per user, and repeated views are written once with a count', () => {
  let api: ApiHarness;
  beforeAll(async () => {
    api = await startApi({ env: { HARBOUR_READ_RATE_LIMIT_MAX: '5' } });
    api.clock.set(when.now);
  });
  afterAll(() => api.close());

  it('refuses a sixth read in the window with 429 and Retry-After, and leaves other users alone', async () => {
    const lead = await api.token('lead', { userId: 'lead-1' });
    const other = await api.token('lead', { userId: 'lead-2' });
    const raised = await api.request('POST', '/cases', {
      token: lead,
      body: referral(),
      headers: { 'x-occurred-at': when.raised },
    });
    const path = `/cases/${String(raised.body.caseId)}/file`;
    const statuses = [];
    for (let i = 0; i < 6; i += 1) statuses.push((await api.request('GET', path, { token: lead })).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    const refused = await api.request('GET', path, { token: lead });
    expect(refused.body).toMatchObject({ type: 'https://harbour.example/problems/too-many-requests', status: 429 });
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await api.request('GET', path, { token: other })).status).toBe(200);
    expect((await api.request('GET', '/health/live')).status).toBe(200);

    // Five identical reads by lead-1 and one by lead-2: two records now, lead-1's repeats counted.
    const views = async () =>
      (
        await collect(api.app.get<EventStore>(EVENT_STORE).readAll({ filter: { eventTypes: ['CaseRecordViewed'] } }))
      ).map((event) => [event.data.viewerId, event.data.count ?? 1]);
    expect(await views()).toEqual([
      ['lead-1', 1],
      ['lead-2', 1],
    ]);
    await api.app.get<AccessLog>(ACCESS_LOG).flush();
    expect(await views()).toEqual([
      ['lead-1', 1],
      ['lead-2', 1],
      ['lead-1', 4],
    ]);
  });
});

describe('item 16: a container refuses development secrets unless told it is a trial', () => {
  const SECRET = 'container-secret-container-secret-0123';
  const MASTER_KEY = Buffer.alloc(32, 7).toString('base64');
  let dir: ReturnType<typeof tempDir>;
  beforeEach(() => (dir = tempDir('harbour-container-')));
  afterEach(() => dir.remove());

  it.each([
    ['the development token secret', {}, 'HARBOUR_JWT_SECRET'],
    ['the development master key', { HARBOUR_JWT_SECRET: SECRET }, 'HARBOUR_MASTER_KEY'],
    [
      'the development ledger signing key',
      { HARBOUR_JWT_SECRET: SECRET, HARBOUR_MASTER_KEY: MASTER_KEY },
      'HARBOUR_LEDGER_SIGNING_KEY',
    ],
  ])('refuses %s, naming the setting to give', (_case, env, setting) => {
    const read = () => apiConfigFrom({ HARBOUR_DATA_DIR: dir.path, HARBOUR_IN_CONTAINER: 'true', ...env });
    expect(read).toThrow(expect.objectContaining({ name: 'ConfigurationError', setting }) as Error);
    expect(read).toThrow(/HARBOUR_ALLOW_DEVELOPMENT_SECRETS=true/);
  });

  it('starts with the operator’s secrets, or with development ones when explicitly allowed', () => {
    const ledgerKey = generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    const given = { HARBOUR_JWT_SECRET: SECRET, HARBOUR_MASTER_KEY: MASTER_KEY, HARBOUR_LEDGER_SIGNING_KEY: ledgerKey };
    expect(() => apiConfigFrom({ HARBOUR_DATA_DIR: dir.path, HARBOUR_IN_CONTAINER: 'true', ...given })).not.toThrow();
    const trial = { HARBOUR_IN_CONTAINER: 'true', HARBOUR_ALLOW_DEVELOPMENT_SECRETS: 'true' };
    expect(() => apiConfigFrom({ HARBOUR_DATA_DIR: dir.path, ...trial })).not.toThrow();
  });

  it('is what the image says it is', () => {
    const dockerfile = readFileSync(join(__dirname, '..', '..', '..', 'docker', 'Dockerfile'), 'utf8');
    expect(dockerfile.slice(dockerfile.indexOf('AS runtime'))).toMatch(/HARBOUR_IN_CONTAINER=true/);
  });
});

describe('item 16: /metrics without a token answers this machine only', () => {
  const sut = new MetricsController(new HarbourMetrics({ service: 'api' }), {
    operations: {},
  } as unknown as ApiConfig);
  const reply = () => {
    const sent: { status?: number; body?: unknown } = {};
    const chain = {
      status: (status: number) => ((sent.status = status), chain),
      header: () => chain,
      send: (body: unknown) => ((sent.body = body), chain),
    };
    return { sent, reply: chain as unknown as FastifyReply };
  };
  const from = (remoteAddress: string) => ({ headers: {}, socket: { remoteAddress } }) as unknown as FastifyRequest;

  it.each(['127.0.0.1', '::1', '::ffff:127.0.0.1'])('answers a scrape from %s', async (address) => {
    const { sent, reply: answer } = reply();
    await sut.scrape(from(address), answer);
    expect(sent.status).toBe(200);
  });

  it.each(['172.17.0.1', '10.0.0.5', '::ffff:192.168.1.20'])('refuses a scrape from %s', async (address) => {
    await expect(sut.scrape(from(address), reply().reply)).rejects.toMatchObject({ status: 403 });
  });
});
