import { SqliteEventStore } from '@harbour/event-store';
import { ProjectionRunner, STATISTICS } from '@harbour/projections';
import { SqliteReadStore } from '@harbour/read-store';
import { auditRelease } from '../src/disclosure/audit-release';
import { buildReport, type Report } from '../src/report-builder';
import { parsePeriod, type ReportPeriod } from '../src/report-period';
import { statisticsFactsAt } from '../src/statistics-facts';
import { SUPPRESSED } from '../src/suppression';
import { seedCases } from './support/seed';

// The done-when: 20,000 seeded cases, four quarters and the annual summary, and the
// linear-programming audit over every table of each release: no suppressed cell determinable.
const CASES = 20_000;
const RELEASES = ['2025-Q1', '2025-Q2', '2025-Q3', '2025-Q4', '2025'];

describe('disclosure control on 20,000 seeded cases, audited by linear programming', () => {
  const store = new SqliteEventStore({ filename: ':memory:' });
  const readStore = new SqliteReadStore({ filename: ':memory:' });
  const reports = new Map<string, Report>();

  beforeAll(async () => {
    await seedCases(store, readStore, {
      cases: CASES,
      seed: 'disclosure-audit',
      from: '2025-01-01T00:00:00Z',
      to: '2025-12-31T22:00:00Z',
    });
    await new ProjectionRunner(store, readStore, STATISTICS).catchUp();
    const position = (await readStore.checkpoint(STATISTICS.name))?.position ?? -1n;
    const { facts } = await statisticsFactsAt(store, readStore, position);
    for (const label of RELEASES) {
      reports.set(label, await buildReport(facts, parsePeriod(label) as ReportPeriod, { position, threshold: 5 }));
    }
  }, 1_200_000);

  afterAll(async () => {
    await readStore.close();
    await store.close();
  });

  it.each(RELEASES)(
    '%s: no suppressed cell can be worked out from the rest of the release',
    async (label) => {
      const report = reports.get(label) as Report;
      const suppressed = report.tables.flatMap((table) => table.rows.flat()).filter((cell) => cell === SUPPRESSED);
      // A release with nothing suppressed would pass trivially: these have plenty.
      expect(suppressed.length).toBeGreaterThan(10);
      // Every table's counts are in the audit, linked where one count is published twice.
      const audited = new Set(
        report.relations.flatMap((relation) => [relation.total, ...relation.parts]).map((ref) => ref.table),
      );
      for (const table of report.tables.filter((t) => t.rows.flat().includes(SUPPRESSED))) {
        expect([table.id, audited.has(table.id)]).toEqual([table.id, true]);
      }
      expect(report.relations.some((relation) => relation.total.table !== relation.parts[0]?.table)).toBe(true);
      expect(await auditRelease(report.tables, report.relations)).toEqual([]);
    },
    120_000,
  );

  it('fills the allocation table: central referrals split between the UKHTC and UKVI by nationality, within the audit', () => {
    const annual = reports.get('2025') as Report;
    const table = annual.tables.find((t) => t.id === 'referrals-by-competent-authority-allocation');
    expect(table).toBeDefined();
    // Rows are [route, allocation, ...counts by age group and total], once per route.
    const countsOf = (label: string) =>
      table!.rows
        .filter((row) => row[1] === label)
        .flatMap((row) => row.slice(2))
        .filter((cell): cell is number => typeof cell === 'number');
    for (const label of ['UK Human Trafficking Centre (EEA nationals)', 'UK Visas and Immigration (other nationals)']) {
      expect(Math.max(0, ...countsOf(label))).toBeGreaterThan(100);
    }
    // Generated after allocation was recorded: no central case lacks one.
    expect(Math.max(0, ...countsOf('Not recorded (central cases raised before allocation)'))).toBe(0);
    const audited = new Set(
      annual.relations.flatMap((relation) => [relation.total, ...relation.parts]).map((ref) => ref.table),
    );
    expect(audited.has(table!.id)).toBe(true);
  });

  it('publishes the annual summary whole where its quarters suppress: a year has more in each cell', () => {
    const count = (label: string) =>
      (reports.get(label) as Report).tables.flatMap((table) => table.rows.flat()).filter((cell) => cell === SUPPRESSED)
        .length;
    const quarters = ['2025-Q1', '2025-Q2', '2025-Q3', '2025-Q4'].map(count);
    expect(count('2025')).toBeLessThan(Math.max(...quarters));
  });
});
