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
    expect(await sut.list({ ...range, limit: 2 })).toMatchObject({ truncated: true, items: [{}, {}] });
    expect((await sut.list({ ...range, to: new Date('2015-11-01T23:59:59.000Z') })).items).toEqual([]);
    await expect(
      sut.list({ from: new Date('2015-01-01T00:00:00Z'), to: new Date('2015-02-02T00:00:00Z'), limit: 10 }),
    ).rejects.toThrow(InvalidAuditQueryError);
    await expect(sut.list({ ...range, to: range.from })).rejects.toThrow('to must be after from');
    // 31 whole days are allowed.
    const month = await sut.list({ from: new Date('2015-10-02T00:00:00Z'), to: range.to, limit: 10 });
    expect(month.items).toHaveLength(3);
  });
});
