import { EVENT_STORE, type EventStore } from '@harbour/event-store';
import { DEFAULT_WORKFLOW_ROUTES, defaultPanels } from '@harbour/domain';
import { startApi, type ApiHarness } from './support/api-harness';
import { assessment, referral, when } from './support/pilot-path';

/** Metrics, correlation ids, logs and the HTTP protections, against a running API. */

const METRICS_TOKEN = 'metrics-token-metrics-token-0123456789';

function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  const wanted = Object.entries(labels).map(([key, value]) => `${key}="${value}"`);
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    const labelText = /\{(.*)\}/.exec(line)?.[1] ?? '';
    if (wanted.every((pair) => labelText.split(',').includes(pair))) return Number(line.split(' ').pop());
  }
  return undefined;
}

describe('metrics after a few commands', () => {
  let api: ApiHarness;
  let lead: string;
  let caseId: string;
  const logLines: string[] = [];

  beforeAll(async () => {
    api = await startApi({
      env: { HARBOUR_METRICS_TOKEN: METRICS_TOKEN, HARBOUR_LOG_LEVEL: 'info' },
      logSink: { write: (line) => logLines.push(line) },
    });
    api.clock.set(when.now);
    lead = await api.token('lead');
    const headers = { 'X-Occurred-At': when.raised, 'X-Correlation-Id': 'trace-raise-1' };
    const raised = await api.request('POST', '/cases', { token: lead, body: referral(), headers });
    expect(raised.status).toBe(201);
    caseId = String(raised.body.caseId);
    // Accepted, then the same assessment again: the workflow refuses it (422).
    for (const expected of [200, 422]) {
      const response = await api.request('POST', `/cases/${caseId}/lead-assessment`, {
        token: lead,
        body: assessment(),
        headers: { 'X-Occurred-At': when.assessed },
      });
      expect(response.status).toBe(expected);
    }
    expect((await api.request('GET', `/cases/${caseId}`, { token: lead })).status).toBe(200);
  });
  afterAll(() => api.close());

  async function scrape(): Promise<string> {
    const response = await api.request<string>('GET', '/metrics', {
      headers: { authorization: `Bearer ${METRICS_TOKEN}` },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    return response.body;
  }

  it('counts commands by type and outcome, with latency histograms', async () => {
    const text = await scrape();
    expect(sample(text, 'harbour_commands_total', { command: 'RaiseReferral', outcome: 'accepted' })).toBe(1);
    expect(sample(text, 'harbour_commands_total', { command: 'RecordLeadAssessment', outcome: 'accepted' })).toBe(1);
    expect(sample(text, 'harbour_commands_total', { command: 'RecordLeadAssessment', outcome: 'rejected' })).toBe(1);
    expect(
      sample(text, 'harbour_command_duration_seconds_count', { command: 'RaiseReferral', outcome: 'accepted' }),
    ).toBe(1);
    expect(text).toMatch(/harbour_command_duration_seconds_bucket\{[^}]*le="0\.1"[^}]*\}/);
  });

  it('times appends and counts the events they wrote', async () => {
    const text = await scrape();
    // The two commands' appends, and one per panel the configuration registers at start-up.
    const panels = defaultPanels(DEFAULT_WORKFLOW_ROUTES).length;
    expect(sample(text, 'harbour_event_store_append_duration_seconds_count', { outcome: 'ok' })).toBe(2 + panels);
    expect(sample(text, 'harbour_events_appended_total', { type: 'ReferralRaised' })).toBe(1);
    expect(text).toContain('# TYPE harbour_deadline_breaches_total counter');
  });

  it('reports projection lag, throughput and parked events', async () => {
    // The in-process projections catch up within moments.
    let text = '';
    for (let i = 0; i < 50; i++) {
      text = await scrape();
      if (sample(text, 'harbour_projection_lag_events', { projection: 'case-read-models' }) === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(sample(text, 'harbour_projection_lag_events', { projection: 'case-read-models' })).toBe(0);
    expect(sample(text, 'harbour_projection_parked_events', { projection: 'case-read-models' })).toBe(0);
    expect(sample(text, 'harbour_projection_events_total', { projection: 'case-read-models' })).toBeGreaterThan(0);
  });

  it('counts HTTP requests by route template, never by the URL as sent', async () => {
    const text = await scrape();
    expect(sample(text, 'harbour_http_requests_total', { method: 'POST', route: '/cases', status: '201' })).toBe(1);
    expect(
      sample(text, 'harbour_http_requests_total', {
        method: 'POST',
        route: '/cases/:caseId/lead-assessment',
        status: '422',
      }),
    ).toBe(1);
    expect(text).not.toContain(caseId);
    // No personal data of the referral reaches a label.
    expect(text).not.toContain('Synthetic Person');
  });

  it('answers /metrics only with the metrics token when one is configured', async () => {
    expect((await api.request('GET', '/metrics')).status).toBe(401);
    const wrong = await api.request('GET', '/metrics', { headers: { authorization: `Bearer ${'x'.repeat(38)}` } });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    // A user's token is not the scraper's.
    expect((await api.request('GET', '/metrics', { token: lead })).status).toBe(401);
  });

  it("carries the caller's X-Correlation-Id into the events' metadata, the response and the log", async () => {
    const store = api.app.get<EventStore>(EVENT_STORE);
    const events = [];
    for await (const event of store.readStream(`case-${caseId}`)) events.push(event);
    expect(events[0].metadata.correlationId).toBe('trace-raise-1');
    // Made up when not sent, and given back so the caller can quote it.
    const assessed = events.find((event) => event.type === 'LeadAssessmentRecorded');
    expect(assessed?.metadata.correlationId).toMatch(/^[0-9a-f-]{36}$/);

    const response = await api.request('GET', `/cases/${caseId}`, {
      token: lead,
      headers: { 'X-Correlation-Id': 'trace-read-2' },
    });
    expect(response.headers.get('x-correlation-id')).toBe('trace-read-2');
    const lines = logLines
      .join('')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.find((line) => line.correlationId === 'trace-raise-1')).toMatchObject({
      level: 'info',
      service: 'api',
      msg: 'request',
      method: 'POST',
      route: '/cases',
      status: 201,
    });
    expect(lines.find((line) => line.correlationId === 'trace-read-2')).toMatchObject({ route: '/cases/:caseId' });
    expect(logLines.join('')).not.toContain('Synthetic Person');
    expect(logLines.join('')).not.toContain('07700 900000');
  });

  it('replaces a malformed X-Correlation-Id rather than logging what the caller sent', async () => {
    const response = await api.request('GET', '/health/live', {
      headers: { 'X-Correlation-Id': 'bad id with spaces' },
    });
    expect(response.headers.get('x-correlation-id')).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('protection at the HTTP edge', () => {
  let api: ApiHarness;

  afterEach(() => api.close());

  it('refuses commands past the rate limit with 429 problem details and Retry-After; reads are not limited', async () => {
    api = await startApi({ env: { HARBOUR_RATE_LIMIT_MAX: '3', HARBOUR_RATE_LIMIT_WINDOW_MS: '60000' } });
    api.clock.set(when.now);
    const lead = await api.token('lead');
    const statuses = [];
    for (let i = 0; i < 4; i++) {
      statuses.push(
        (
          await api.request('POST', '/cases', {
            token: lead,
            body: referral(),
            headers: { 'X-Occurred-At': when.raised },
          })
        ).status,
      );
    }
    expect(statuses).toEqual([201, 201, 201, 429]);
    const limited = await api.request('POST', '/cases', { token: lead, body: referral() });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(limited.body).toMatchObject({ status: 429, title: 'Too many requests', instance: '/cases' });
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    for (let i = 0; i < 5; i++) expect((await api.request('GET', '/health/live')).status).toBe(200);
  });

  it('sends security headers and, without HARBOUR_CORS_ORIGINS, no CORS headers', async () => {
    api = await startApi();
    const response = await api.request('GET', '/health/live', { headers: { origin: 'https://evil.example' } });
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(response.headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
    expect(response.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    const preflight = await api.request('OPTIONS', '/cases', {
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    });
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('answers CORS for the configured origins only', async () => {
    api = await startApi({ env: { HARBOUR_CORS_ORIGINS: 'https://harbour.example' } });
    const allowed = await api.request('OPTIONS', '/cases', {
      headers: { origin: 'https://harbour.example', 'access-control-request-method': 'POST' },
    });
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://harbour.example');
    expect(allowed.headers.get('access-control-allow-headers')).toContain('Idempotency-Key');
    const other = await api.request('GET', '/health/live', { headers: { origin: 'https://evil.example' } });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });
});
