import { SqliteEventStore } from '@harbour/event-store';
import { verifyStore } from '../chain/chain-verification';
import { InvalidAuditQueryError } from '../audit.errors';
import { AccessLog } from './access-log';

const CASE_A = '5d2c1a8e-3f4b-4c6d-9e7f-0a1b2c3d4e5f';
const CASE_B = '6e3d2b9f-4a5c-4d7e-8f90-1b2c3d4e5f60';
const viewer = (userId: string, role = 'auditor') => ({ userId, role, agency: 'home-office-audit' });

describe('AccessLog', () => {
  let store: SqliteEventStore;
  let now: Date;
  let validated: string[];
  let sut: AccessLog;

  beforeEach(() => {
    store = new SqliteEventStore({ filename: ':memory:' });
    now = new Date('2015-11-01T23:59:59.000Z');
    validated = [];
    sut = new AccessLog({ store, now: () => now, validate: (type) => validated.push(type) });
  });
  afterEach(() => store.close());

  it('chains concurrent views into one stream per UTC day, each validated', async () => {
    await Promise.all(
      Array.from({ length: 25 }, (_, i) =>
        sut.recordView({ caseId: CASE_A, viewer: viewer(`user-${i}`), endpoint: 'GET /cases/:caseId/history' }),
      ),
    );
    now = new Date('2015-11-02T00:00:00.000Z');
    await sut.recordView({ caseId: CASE_B, viewer: viewer('lead-1', 'lead'), endpoint: 'GET /cases/:caseId/file' });

    const verified = await verifyStore(store);
    expect(verified).toMatchObject({ ok: true, streams: 2, events: 26 });
    expect(validated).toHaveLength(26);
    const day = await sut.list({
      from: new Date('2015-11-01T00:00:00Z'),
      to: new Date('2015-11-03T00:00:00Z'),
      limit: 100,
    });
    expect(day.items.map((item) => item.stream)).toEqual([
      ...Array<string>(25).fill('audit-access-2015-11-01'),
      'audit-access-2015-11-02',
    ]);
    expect(new Set(day.items.map((item) => item.viewerId)).size).toBe(26);
  });

  it("splits a burst of views into appends under the store's size limit, and loses none", async () => {
    const small = new SqliteEventStore({ filename: ':memory:', maxAppendBytes: 4096 });
    const appends: number[] = [];
    const append = small.appendToStream.bind(small);
    small.appendToStream = (stream, events, options) => {
      appends.push(events.length);
      return append(stream, events, options);
    };
    const log = new AccessLog({ store: small, now: () => now, validate: () => undefined });
    try {
      await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          log.recordView({ caseId: CASE_A, viewer: viewer(`user-${i}`), endpoint: 'GET /cases/:caseId/history' }),
        ),
      );
      expect(await verifyStore(small)).toMatchObject({ ok: true, streams: 1, events: 40 });
      expect(appends.length).toBeGreaterThan(1);
      expect(appends.reduce((total, count) => total + count, 0)).toBe(40);
    } finally {
      await small.close();
    }
  });

  it('filters by case, viewer and time, bounds the page, and refuses a range over 31 days', async () => {
    await sut.recordView({ caseId: CASE_A, viewer: viewer('auditor-1'), endpoint: 'GET /cases/:caseId/history' });
    await sut.recordView({ caseId: CASE_B, viewer: viewer('auditor-1'), endpoint: 'GET /cases/:caseId/state' });
    await sut.recordView({ caseId: CASE_A, viewer: viewer('lead-1', 'lead'), endpoint: 'GET /cases/:caseId/file' });
    const range = { from: new Date('2015-11-01T00:00:00Z'), to: new Date('2015-11-02T00:00:00Z'), limit: 10 };

    expect((await sut.list({ ...range, caseId: CASE_A })).items.map((item) => item.viewerId)).toEqual([
      'auditor-1',
      'lead-1',
    ]);
    expect((await sut.list({ ...range, viewer: 'auditor-1' })).items.map((item) => item.caseId)).toEqual([
      CASE_A,
      CASE_B,
    ]);
    const first = await sut.list({ ...range, limit: 2 });
    expect(first).toMatchObject({ nextCursor: expect.any(String), items: [{}, {}] });
    expect((await sut.list({ ...range, to: new Date('2015-11-01T23:59:59.000Z') })).items).toEqual([]);
    await expect(
      sut.list({ from: new Date('2015-01-01T00:00:00Z'), to: new Date('2015-02-02T00:00:00Z'), limit: 10 }),
    ).rejects.toThrow(InvalidAuditQueryError);
    await expect(sut.list({ ...range, to: range.from })).rejects.toThrow('to must be after from');
    // 31 whole days are allowed.
    const month = await sut.list({ from: new Date('2015-10-02T00:00:00Z'), to: range.to, limit: 10 });
    expect(month.items).toHaveLength(3);
  });

  it('pages with nextCursor across days, every record once and in order, null after the last', async () => {
    for (const [at, userId] of [
      ['2015-11-01T09:00:00.000Z', 'user-1'],
      ['2015-11-01T10:00:00.000Z', 'user-2'],
      ['2015-11-01T11:00:00.000Z', 'user-3'],
      ['2015-11-02T09:00:00.000Z', 'user-4'],
      ['2015-11-03T09:00:00.000Z', 'user-5'],
    ]) {
      now = new Date(at);
      await sut.recordView({ caseId: CASE_A, viewer: viewer(userId), endpoint: 'GET /cases/:caseId/history' });
    }
    const range = { from: new Date('2015-11-01T00:00:00Z'), to: new Date('2015-11-04T00:00:00Z') };
    for (const limit of [1, 2, 3]) {
      const seen: string[] = [];
      let cursor: string | undefined;
      for (let pages = 0; pages < 10; pages += 1) {
        const page = await sut.list({ ...range, limit, ...(cursor === undefined ? {} : { cursor }) });
        seen.push(...page.items.map((item) => item.viewerId));
        if (page.nextCursor === null) break;
        expect(page.items).toHaveLength(limit);
        cursor = page.nextCursor;
      }
      expect({ limit, seen }).toEqual({ limit, seen: ['user-1', 'user-2', 'user-3', 'user-4', 'user-5'] });
    }
    for (const bad of ['', 'not a cursor', Buffer.from('{"v":2,"d":"2015-11-01","r":"0"}').toString('base64url')]) {
      await expect(sut.list({ ...range, limit: 2, cursor: bad })).rejects.toThrow(InvalidAuditQueryError);
    }
  });

  describe('repeated identical views (issue 15, item 7)', () => {
    const range = { from: new Date('2015-11-01T00:00:00Z'), to: new Date('2015-11-03T00:00:00Z'), limit: 100 };
    const file = (userId = 'lead-1', caseId = CASE_A, endpoint = 'GET /cases/:caseId/file') => ({
      caseId,
      viewer: viewer(userId, 'lead'),
      endpoint,
    });
    const events = async () => (await verifyStore(store)).events;
    beforeEach(() => {
      now = new Date('2015-11-01T10:00:00.000Z');
    });

    it('writes one record for a burst of identical views, then one with their count, losing no distinct view', async () => {
      for (let i = 0; i < 30; i += 1) {
        await sut.recordView(file());
        now = new Date(now.getTime() + 1000);
      }
      await sut.recordView(file('lead-2'));
      await sut.recordView(file('lead-1', CASE_B));
      await sut.recordView(file('lead-1', CASE_A, 'GET /cases/:caseId/history'));
      // 33 reads, 4 distinct: each distinct view is written at once, the 29 repeats are counted.
      expect(await events()).toBe(4);

      await sut.flush();
      const items = (await sut.list(range)).items;
      expect(items).toHaveLength(5);
      expect(items.map(({ viewerId, caseId, endpoint, count }) => ({ viewerId, caseId, endpoint, count }))).toEqual([
        { viewerId: 'lead-1', caseId: CASE_A, endpoint: 'GET /cases/:caseId/file', count: 1 },
        { viewerId: 'lead-2', caseId: CASE_A, endpoint: 'GET /cases/:caseId/file', count: 1 },
        { viewerId: 'lead-1', caseId: CASE_B, endpoint: 'GET /cases/:caseId/file', count: 1 },
        { viewerId: 'lead-1', caseId: CASE_A, endpoint: 'GET /cases/:caseId/history', count: 1 },
        { viewerId: 'lead-1', caseId: CASE_A, endpoint: 'GET /cases/:caseId/file', count: 29 },
      ]);
      expect(items[4]).toMatchObject({
        viewedAt: '2015-11-01T10:00:01.000Z',
        lastViewedAt: '2015-11-01T10:00:29.000Z',
      });
      expect(await verifyStore(store)).toMatchObject({ ok: true });
    });

    it('records the count before the next view once the window has passed', async () => {
      await sut.recordView(file());
      now = new Date('2015-11-01T10:00:30.000Z');
      await sut.recordView(file());
      await sut.recordView(file());
      now = new Date('2015-11-01T10:01:00.000Z');
      await sut.recordView(file());

      const items = (await sut.list(range)).items;
      expect(items.map(({ count, viewedAt }) => ({ count, viewedAt }))).toEqual([
        { count: 1, viewedAt: '2015-11-01T10:00:00.000Z' },
        { count: 2, viewedAt: '2015-11-01T10:00:30.000Z' },
        { count: 1, viewedAt: '2015-11-01T10:01:00.000Z' },
      ]);
    });
  });
});
