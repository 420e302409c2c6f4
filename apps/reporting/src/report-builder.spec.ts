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
    exploitationLocation: 'uk',
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

describe('referrals by UK country and by exploitation location', () => {
  const at = (region: string, exploitationLocation: string): CaseFacts => ({
    ...referral(['labour']),
    region,
    policeForceArea: region === 'wales' ? 'south-wales' : region === 'scotland' ? 'police-scotland' : 'metropolitan',
    exploitationLocation,
  });

  it('counts each referral once in each, with every category shown, and the same total as every referrals table', async () => {
    const facts = [
      ...Array.from({ length: 12 }, () => at('london', 'uk')),
      ...Array.from({ length: 7 }, () => at('wales', 'overseas')),
      ...Array.from({ length: 6 }, () => at('scotland', 'both')),
    ];
    const report = await buildReport(facts, parsePeriod('2026-Q3') as ReportPeriod, { position: 1n, threshold: 5 });
    const totals = (id: string) => {
      const table = report.tables.find((t) => t.id === id)!;
      return Object.fromEntries(
        table.rows.filter((row) => row[0] === 'All routes').map((row) => [row[1], row[table.columns.indexOf('Total')]]),
      );
    };
    expect(totals('referrals-by-uk-country')).toEqual({
      England: 12,
      Wales: 7,
      Scotland: 6,
      'Northern Ireland': 0,
      Total: 25,
    });
    expect(totals('referrals-by-exploitation-location')).toEqual({
      'UK only': 12,
      'Overseas only': 7,
      'UK and overseas': 6,
      Total: 25,
    });
    expect(totals('referrals-by-gender').Total).toBe(25);
  });
});

describe('decisions by competent authority', () => {
  const decided = (authority: string | undefined, outcome: 'positive' | 'negative'): CaseFacts => {
    const time = Date.parse('2026-07-20T09:00:00Z');
    return {
      ...referral(['labour']),
      milestones: [
        {
          kind: 'first-gate',
          at: new Date(time).toISOString(),
          gate: 'reasonable-grounds',
          outcome,
          ...(authority ? { authority } : {}),
          time,
        },
      ],
    };
  };

  it('counts central first gate decisions by the authority that made them, adding up to the decisions table', async () => {
    const facts = [
      ...Array.from({ length: 9 }, () => decided('uk-human-trafficking-centre', 'positive')),
      ...Array.from({ length: 6 }, () => decided('uk-human-trafficking-centre', 'negative')),
      ...Array.from({ length: 8 }, () => decided('uk-visas-and-immigration', 'positive')),
      ...Array.from({ length: 7 }, () => decided('uk-visas-and-immigration', 'negative')),
    ];
    const report = await buildReport(facts, parsePeriod('2026-Q3') as ReportPeriod, { position: 1n, threshold: 5 });
    const table = report.tables.find((t) => t.id === 'decisions-by-competent-authority')!;
    expect(table.rows.filter((row) => row[0] === 'Reasonable grounds decision')).toEqual([
      ['Reasonable grounds decision', 'UK Human Trafficking Centre', 9, 6, 15],
      ['Reasonable grounds decision', 'UK Visas and Immigration', 8, 7, 15],
      ['Reasonable grounds decision', 'Other or not recorded', 0, 0, 0],
      ['Reasonable grounds decision', 'All competent authorities', 17, 13, 30],
    ]);
  });
});
