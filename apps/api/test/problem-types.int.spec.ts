import { startApi, type ApiHarness } from './support/api-harness';

const BASE = 'https://nrm.example.gov.uk/harbour/problems/';

/** Problem details' `type` URIs start with HARBOUR_PROBLEM_TYPE_BASE, wherever they are made. */
describe('problem types under HARBOUR_PROBLEM_TYPE_BASE', () => {
  let api: ApiHarness;

  beforeAll(async () => {
    api = await startApi({ env: { HARBOUR_PROBLEM_TYPE_BASE: BASE } });
  });
  afterAll(() => api.close());

  it('names the base in refusals of the token, the request and a rule, and in a kept refusal replayed', async () => {
    const noToken = await api.request('GET', '/cases');
    expect(noToken.body).toMatchObject({ status: 401, type: `${BASE}unauthenticated` });

    const admin = await api.token('admin');
    const badId = await api.request('GET', '/cases/not-a-uuid', { token: await api.token('auditor') });
    expect(badId.body).toMatchObject({ status: 400, type: `${BASE}invalid-request` });

    const panel = { panelId: 'problem-base-panel', name: 'Problem base panel', region: 'london' };
    expect((await api.request('POST', '/panels', { token: admin, body: panel })).status).toBe(201);
    const headers = { 'idempotency-key': 'register-twice' };
    const twice = await api.request('POST', '/panels', { token: admin, body: panel, headers });
    expect(twice.body).toMatchObject({ status: 422, type: `${BASE}rules/panel-already-registered` });
    const replayed = await api.request('POST', '/panels', { token: admin, body: panel, headers });
    expect(replayed.headers.get('idempotent-replayed')).toBe('true');
    expect(replayed.body).toMatchObject({ status: 422, type: `${BASE}rules/panel-already-registered` });
  });

  it('names the base in what the HTTP parser refuses before a route is found', async () => {
    const response = await fetch(`${api.url}/cases`, { headers: { 'x-padding': 'x'.repeat(64 * 1024) } });
    expect(response.status).toBe(431);
    expect(await response.json()).toMatchObject({ type: `${BASE}request-header-fields-too-large` });
  });
});
