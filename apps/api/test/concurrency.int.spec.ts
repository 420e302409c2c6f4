import { collect } from '@harbour/testing';
import { EVENT_STORE, type EventStore } from '@harbour/event-store';
import { startApi, type ApiHarness } from './support/api-harness';
import { assessment, referral, when } from './support/pilot-path';

/** Many commands racing on one case: optimistic concurrency end to end, through real HTTP. */
describe('concurrent conflicting commands on one case', () => {
  let api: ApiHarness;
  let lead: string;
  let caseManager: string;
  let caseId: string;

  beforeAll(async () => {
    api = await startApi();
    api.clock.set(when.now);
    lead = await api.token('lead');
    caseManager = await api.token('case-manager');
  });
  afterAll(() => api.close());

  beforeEach(async () => {
    const raised = await api.request('POST', '/cases', {
      token: lead,
      body: referral(),
      headers: { 'x-occurred-at': when.raised },
    });
    caseId = String(raised.body.caseId);
    const assessed = await api.request('POST', `/cases/${caseId}/lead-assessment`, {
      token: lead,
      body: assessment(),
      headers: { 'x-occurred-at': when.assessed },
    });
    expect(assessed.headers.get('etag')).toBe('"1"');
  });

  const addEvidence = (i: number, headers: Record<string, string>) =>
    api.request('POST', `/cases/${caseId}/evidence`, {
      token: caseManager,
      body: { kind: 'other', description: `Evidence item ${i}` },
      headers: { 'x-occurred-at': when.listed, ...headers },
    });

  async function streamRevisions(): Promise<bigint[]> {
    const store = api.app.get<EventStore>(EVENT_STORE);
    return (await collect(store.readStream(`case-${caseId}`))).map((e) => e.revision);
  }

  it('with If-Match on the same revision: exactly one of 50 succeeds, the rest get 409 or 412', async () => {
    const responses = await Promise.all(Array.from({ length: 50 }, (_, i) => addEvidence(i, { 'if-match': '"1"' })));
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    for (const response of responses.filter((r) => r.status !== 200)) {
      expect([409, 412]).toContain(response.status);
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(response.body).toMatchObject({ status: response.status, currentRevision: '2' });
    }
    expect(await streamRevisions()).toEqual([0n, 1n, 2n]);
  });

  it('without If-Match: every success is appended once, every loser gets 409, and the stream has no gap', async () => {
    const responses = await Promise.all(Array.from({ length: 50 }, (_, i) => addEvidence(i, {})));
    const won = responses.filter((r) => r.status === 200);
    const lost = responses.filter((r) => r.status !== 200);
    expect(won.length).toBeGreaterThanOrEqual(1);
    for (const response of lost) {
      expect(response.status).toBe(409);
      expect(response.body).toMatchObject({
        type: expect.stringMatching(/conflict$/),
        currentRevision: expect.stringMatching(/^\d+$/),
      });
    }
    // Each success names a distinct revision, and the stream is exactly the two first events plus them.
    const revisions = won.map((r) => BigInt(String(r.body.revision))).sort((a, b) => (a < b ? -1 : 1));
    expect(new Set(revisions).size).toBe(won.length);
    expect(await streamRevisions()).toEqual(Array.from({ length: 2 + won.length }, (_, i) => BigInt(i)));
  });
});
