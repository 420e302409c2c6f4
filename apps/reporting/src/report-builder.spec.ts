import { buildReport, organisationLabel, typologyTypes } from './report-builder';
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

  it('counts a decision recorded before the registry under the authority its typed name resolves to', async () => {
    const facts = [
      ...Array.from({ length: 3 }, () => decided('UKHTC', 'positive')),
      ...Array.from({ length: 2 }, () => decided('UK Visas and Immigration', 'negative')),
      decided('Home Office Unit', 'positive'),
    ];
    const report = await buildReport(facts, parsePeriod('2026-Q3') as ReportPeriod, { position: 1n, threshold: 1 });
    const table = report.tables.find((t) => t.id === 'decisions-by-competent-authority')!;
    expect(table.rows.filter((row) => row[0] === 'Reasonable grounds decision').map((row) => row.slice(1))).toEqual([
      ['UK Human Trafficking Centre', 3, 0, 3],
      ['UK Visas and Immigration', 0, 2, 2],
      ['Other or not recorded', 1, 0, 1],
      ['All competent authorities', 4, 2, 6],
    ]);
  });
});

describe('organisations in reports: registry names, never re-capitalised text', () => {
  const sitting = (meetingId: string, byAgency: Record<string, number>): CaseFacts => {
    const time = Date.parse('2026-07-20T09:00:00Z');
    return {
      ...referral(['labour']),
      route: 'pilot',
      region: 'south-west',
      policeForceArea: 'dorset',
      milestones: [
        {
          kind: 'panel-sitting',
          at: new Date(time).toISOString(),
          panelId: 'south-west-panel',
          meetingId,
          byAgency,
          byDiscipline: {},
          conflicts: 0,
          time,
        },
      ],
    };
  };

  it('counts panel attendance by registry organisation, however it was recorded, and marks unknown names unverified', async () => {
    const facts = [
      // Recorded before the registry: names as typed.
      sitting('0b6f3c1e-8a2d-4e5f-9a6b-7c8d9e0f1a21', { 'Dorset Police': 1, 'NHS Dorset': 1, GLAA: 1 }),
      // Recorded since: ids.
      sitting('0b6f3c1e-8a2d-4e5f-9a6b-7c8d9e0f1a22', { 'dorset-police': 1, glaa: 1, 'uk-visas-and-immigration': 1 }),
    ];
    const report = await buildReport(facts, parsePeriod('2026-Q3') as ReportPeriod, { position: 1n, threshold: 5 });
    const table = report.tables.find((t) => t.id === 'panel-attendance-by-agency')!;
    expect(table.rows.map((row) => [row[1], row[row.length - 1]])).toEqual(
      expect.arrayContaining([
        ['Dorset Police', 2],
        ['GLAA', 2],
        ['UK Visas and Immigration', 1],
        ['NHS Dorset (unverified)', 1],
      ]),
    );
    expect(table.rows).toHaveLength(4);
  });

  it.each([
    ['glaa', 'GLAA'],
    ['Gangmasters Licensing Authority', 'GLAA'],
    ['uk-visas-and-immigration', 'UK Visas and Immigration'],
    ['nhs-south-west', 'NHS South West'],
    ['E06000059', 'Dorset Council'],
    ['uk visas', 'uk visas (unverified)'],
    ['=HYPERLINK("x")', '=HYPERLINK("x") (unverified)'],
  ])('labels %p as %p', (recorded, label) => {
    expect(organisationLabel(recorded)).toBe(label);
  });
});
