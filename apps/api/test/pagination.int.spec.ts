import { FakeClock } from '@harbour/application';
import { startApi, type ApiHarness } from './support/api-harness';
import { assessment, listing, referral, when } from './support/pilot-path';

type Page = { items: Record<string, unknown>[]; nextCursor: string | null };

/**
 * Every list has one shape, `{ items, nextCursor }`, paged with `limit` and `cursor`: following
 * `nextCursor` gives every item once, in the list's order, and `null` says there is no more.
 */
describe('one pagination shape for every list', () => {
  let api: ApiHarness;
  let tokens: { lead: string; caseManager: string; auditor: string };
  const caseIds: string[] = [];
  // Three meetings, listed out of order: the schedule pages by meeting time.
  const meetings = ['2015-10-27T10:00:00.000Z', '2015-10-20T10:00:00.000Z', '2015-10-23T10:00:00.000Z'];

  beforeAll(async () => {
    api = await startApi({ clock: new FakeClock(new Date(when.now)) });
    tokens = {
      lead: await api.token('lead', { userId: 'lead-1' }),
      caseManager: await api.token('case-manager', { userId: 'cm-1' }),
      auditor: await api.token('auditor', { userId: 'auditor-1' }),
    };
    for (const meetingAt of meetings) {
      const post = async (token: string, path: string, body: unknown, at: string) => {
        const response = await api.request('POST', path, { token, body, headers: { 'x-occurred-at': at } });
        if (response.status >= 300) throw new Error(`${path}: ${JSON.stringify(response.body)}`);
        return response.body;
      };
      const raised = await post(tokens.lead, '/cases', referral(), when.raised);
      const caseId = String(raised.caseId);
      caseIds.push(caseId);
      await post(tokens.lead, `/cases/${caseId}/lead-assessment`, assessment(), when.assessed);
      await post(
        tokens.caseManager,
        `/cases/${caseId}/panel-listing`,
        listing({ meetingId: crypto.randomUUID(), meetingAt }),
        when.listed,
      );
    }
  });
  afterAll(() => api.close());

  /** Follows nextCursor from the first page of `path` with `limit`, returning every item. */
  async function everyPage(path: string, token: string, limit: number): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    let cursor: string | null = null;
    for (let pages = 0; pages < 20; pages += 1) {
      const separator = path.includes('?') ? '&' : '?';
      const url: string = `${path}${separator}limit=${limit}${cursor === null ? '' : `&cursor=${cursor}`}`;
      const page: { status: number; body: Page } = await api.request<Page>('GET', url, { token });
      expect({ url, status: page.status }).toEqual({ url, status: 200 });
      expect(Object.keys(page.body)).toEqual(expect.arrayContaining(['items', 'nextCursor']));
      expect(page.body.items.length).toBeLessThanOrEqual(limit);
      items.push(...page.body.items);
      if (page.body.nextCursor === null) return items;
      cursor = page.body.nextCursor;
    }
    throw new Error(`${path} did not end within 20 pages`);
  }

  it('GET /panels pages the schedule by meeting time, every listing once', async () => {
    for (const limit of [1, 2, 3]) {
      const items = await everyPage('/panels', tokens.caseManager, limit);
      expect({ limit, meetings: items.map((item) => item.meetingAt) }).toEqual({
        limit,
        meetings: [...meetings].sort(),
      });
      expect(new Set(items.map((item) => item.caseId))).toEqual(new Set(caseIds));
    }
  });

  it('GET /cases, GET /cases/:id/history and GET /audit/access page the same way', async () => {
    expect((await everyPage('/cases?sort=raised_at&direction=asc', tokens.caseManager, 2)).length).toBe(3);
    const history = await everyPage(`/cases/${caseIds[0]}/history`, tokens.auditor, 1);
    expect(history.map((event) => event.revision)).toEqual(['0', '1', '2']);
    // The history reads above were logged: three pages, one record each or coalesced.
    const reads = await everyPage(`/audit/access?caseId=${caseIds[0]}`, tokens.auditor, 1);
    expect(reads.length).toBeGreaterThanOrEqual(1);
    const workflows = await api.request<Page>('GET', '/workflows', { token: tokens.auditor });
    expect(workflows.body).toEqual({ items: expect.any(Array), nextCursor: null });
  });

  it('refuses a cursor it did not give, naming the field', async () => {
    for (const path of ['/panels', '/cases', '/audit/access', `/cases/${caseIds[0]}/history`]) {
      const response = await api.request('GET', `${path}?cursor=bm90LWEtY3Vyc29y`, { token: tokens.auditor });
      expect({ path, status: response.status, errors: response.body.errors }).toEqual({
        path,
        status: 400,
        errors: [expect.objectContaining({ field: 'cursor' })],
      });
    }
  });
});
