import { buildReport, typologyTypes } from './report-builder';
import { parsePeriod, type ReportPeriod } from './report-period';
import type { CaseFacts } from './statistics-facts';

function referral(exploitationTypes: string[]): CaseFacts {
  const at = Date.parse('2026-07-02T09:00:00Z');
  return {
    route: 'central',
    region: 'london',
    policeForceArea: 'metropolitan',
    ageGroup: 'adult',
    gender: 'male',
    exploitationTypes,
    firstResponderType: 'police',
    referredAt: at,
    statusHistory: [[at, 'referred']],
    milestones: [],
  };
}

describe('the 2015 typology', () => {
  const facts = [
    ...Array.from({ length: 10 }, () => referral(['labour'])),
    ...Array.from({ length: 20 }, () => referral(['criminal'])),
    ...Array.from({ length: 6 }, () => referral(['labour', 'criminal'])),
    ...Array.from({ length: 7 }, () => referral(['sexual', 'criminal'])),
  ];
  const rows = async (typology: 'current' | '2015') => {
    const report = await buildReport(facts, parsePeriod('2026-Q3') as ReportPeriod, {
      position: 1n,
      threshold: 5,
      typology,
    });
    const table = report.tables.find((t) => t.id === 'referrals-by-exploitation-type-and-age')!;
    return Object.fromEntries(
      table.rows.filter((row) => row[0] === 'All routes').map((row) => [row[1], row[table.columns.indexOf('Total')]]),
    );
  };

  it('counts criminal exploitation under labour, as the 2015 definitions did', async () => {
    expect(typologyTypes(['labour', 'criminal'], '2015')).toEqual(['labour']);
    expect(typologyTypes(['sexual', 'criminal'], '2015')).toEqual(['labour', 'sexual']);
    expect(await rows('2015')).toEqual({ 'Labour only': 36, 'Labour and sexual': 7, Total: 43 });
  });

  it('keeps criminal exploitation its own type by default', async () => {
    expect(await rows('current')).toEqual({
      'Labour only': 10,
      'Criminal only': 20,
      'Labour and criminal': 6,
      'Sexual and criminal': 7,
      Total: 43,
    });
  });
});
