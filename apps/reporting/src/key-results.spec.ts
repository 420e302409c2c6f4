import { buildReport } from './report-builder';
import { parsePeriod, type ReportPeriod } from './report-period';
import type { CaseFacts } from './statistics-facts';

type Milestone = CaseFacts['milestones'][number];

function referral(at: string, ageGroup: string, milestones: Milestone[] = []): CaseFacts {
  return {
    route: 'central',
    region: 'london',
    policeForceArea: 'metropolitan',
    ageGroup,
    gender: 'male',
    exploitationTypes: ['labour'],
    exploitationLocation: 'uk',
    firstResponderType: 'police',
    referredAt: Date.parse(at),
    statusHistory: [[Date.parse(at), 'referred']],
    milestones,
  };
}

const firstGate = (at: string, outcome: 'positive' | 'negative'): Milestone => ({
  kind: 'first-gate',
  at,
  gate: 'reasonable-grounds',
  outcome,
  time: Date.parse(at),
});
const conclusive = (at: string, outcome: 'positive' | 'negative'): Milestone => ({
  kind: 'conclusive-decision',
  at,
  outcome,
  by: 'competent-authority',
  meetingId: null,
  time: Date.parse(at),
});

const times = (n: number, make: (i: number) => CaseFacts) => Array.from({ length: n }, (_, i) => make(i));

describe('key results', () => {
  // 2026-Q3: 60 referrals (15 children), 2026-Q2: 48, 2025-Q3: 80. Decisions in 2026-Q3:
  // first gate 45 positive, 15 negative; conclusive 20 positive, 5 negative.
  const facts: CaseFacts[] = [
    ...times(45, (i) =>
      referral('2026-07-02T09:00:00Z', i < 15 ? 'child' : 'adult', [firstGate('2026-07-10T09:00:00Z', 'positive')]),
    ),
    ...times(15, () => referral('2026-08-01T09:00:00Z', 'adult', [firstGate('2026-08-05T09:00:00Z', 'negative')])),
    ...times(20, () => referral('2026-05-01T09:00:00Z', 'adult', [conclusive('2026-08-20T09:00:00Z', 'positive')])),
    ...times(5, () => referral('2026-05-02T09:00:00Z', 'adult', [conclusive('2026-08-21T09:00:00Z', 'negative')])),
    ...times(23, () => referral('2026-06-01T09:00:00Z', 'adult')),
    ...times(80, () => referral('2025-08-01T09:00:00Z', 'adult')),
    // 2026-Q1: 13 referrals, 3 positive first gate decisions (suppressed) and 10 negative.
    ...times(3, () => referral('2026-01-05T09:00:00Z', 'adult', [firstGate('2026-01-09T09:00:00Z', 'positive')])),
    ...times(10, () => referral('2026-01-05T09:00:00Z', 'adult', [firstGate('2026-01-09T09:00:00Z', 'negative')])),
  ];

  const figures = async (label: string) => {
    const report = await buildReport(facts, parsePeriod(label) as ReportPeriod, { position: 1n, threshold: 5 });
    expect(report.tables[0].id).toBe('key-results');
    return Object.fromEntries(report.tables[0].rows.map(([measure, figure]) => [measure, figure]));
  };

  it('gives referrals, the change on the previous quarter and a year earlier, positive rates and the children’s share', async () => {
    expect(await figures('2026-Q3')).toEqual({
      Referrals: 60,
      'Change on the previous quarter (2026-Q2)': '+25.0% (from 48)',
      'Change on the same quarter a year earlier (2025-Q3)': '-25.0% (from 80)',
      'Positive first gate decisions (lead assessment or reasonable grounds)': '75.0%',
      'Positive conclusive grounds decisions': '80.0%',
      "Children's share of referrals (age at exploitation 17 or under)": '25.0%',
    });
  });

  it('never gives a rate whose counts are suppressed, and says ".." where there is nothing to compare', async () => {
    const q1 = await figures('2026-Q1');
    expect(q1.Referrals).toBe(13);
    expect(q1['Positive first gate decisions (lead assessment or reasonable grounds)']).toBe('[c]');
    expect(q1['Change on the previous quarter (2025-Q4)']).toBe('..');
    const q2 = await figures('2026-Q2');
    expect(q2['Positive first gate decisions (lead assessment or reasonable grounds)']).toBe('..');
    // The annual summary compares years.
    const year = await figures('2026');
    expect(year.Referrals).toBe(121);
    expect(year['Change on the previous year (2025)']).toBe('+51.3% (from 80)');
  });
});
