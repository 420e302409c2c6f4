import {
  ENGLAND_AND_WALES_BANK_HOLIDAYS,
  FIRST_COVERED_YEAR,
  LAST_COVERED_YEAR,
} from './england-and-wales-bank-holidays.data';

const datesIn = (year: number): string[] =>
  ENGLAND_AND_WALES_BANK_HOLIDAYS.map((holiday) => holiday.date).filter((date) => date.startsWith(`${year}-`));

const weekday = (date: string): number => new Date(`${date}T00:00:00Z`).getUTCDay();

// Eight a year, plus the one-offs: 2022 moved the spring holiday to 2 June and added the Platinum
// Jubilee (3 June) and the State Funeral (19 September); 2023 added the Coronation (8 May).
const EXPECTED_COUNTS: [number, number][] = [
  [2015, 8],
  [2016, 8],
  [2017, 8],
  [2018, 8],
  [2019, 8],
  [2020, 8],
  [2021, 8],
  [2022, 10],
  [2023, 9],
  [2024, 8],
  [2025, 8],
  [2026, 8],
  [2027, 8],
];

// Good Friday and Easter Monday, from the GOV.UK list.
const EASTER: Record<number, [string, string]> = {
  2015: ['2015-04-03', '2015-04-06'],
  2016: ['2016-03-25', '2016-03-28'],
  2017: ['2017-04-14', '2017-04-17'],
  2018: ['2018-03-30', '2018-04-02'],
  2019: ['2019-04-19', '2019-04-22'],
  2020: ['2020-04-10', '2020-04-13'],
  2021: ['2021-04-02', '2021-04-05'],
  2022: ['2022-04-15', '2022-04-18'],
  2023: ['2023-04-07', '2023-04-10'],
  2024: ['2024-03-29', '2024-04-01'],
  2025: ['2025-04-18', '2025-04-21'],
  2026: ['2026-04-03', '2026-04-06'],
  2027: ['2027-03-26', '2027-03-29'],
};

describe('England and Wales bank holidays', () => {
  it('covers 2015 to 2027', () => {
    expect([FIRST_COVERED_YEAR, LAST_COVERED_YEAR]).toEqual([2015, 2027]);
    expect(EXPECTED_COUNTS.map(([year]) => year)).toEqual(
      Array.from({ length: LAST_COVERED_YEAR - FIRST_COVERED_YEAR + 1 }, (_, i) => FIRST_COVERED_YEAR + i),
    );
  });

  it.each(EXPECTED_COUNTS)('lists %i with %i bank holidays, Easter included and none at a weekend', (year, count) => {
    const dates = datesIn(year);
    expect(dates).toHaveLength(count);
    expect(dates).toEqual(expect.arrayContaining(EASTER[year]));
    expect(dates.filter((date) => weekday(date) === 0 || weekday(date) === 6)).toEqual([]);
  });

  it('holds real, unique dates in order', () => {
    const dates = ENGLAND_AND_WALES_BANK_HOLIDAYS.map((holiday) => holiday.date);
    for (const date of dates) expect(new Date(`${date}T00:00:00Z`).toISOString().slice(0, 10)).toBe(date);
    expect(new Set(dates).size).toBe(dates.length);
    expect([...dates].sort()).toEqual(dates);
  });

  it.each([
    ['2015-12-28', 'Boxing Day on a Saturday'],
    ['2016-12-27', 'Christmas Day on a Sunday'],
    ['2017-01-02', "New Year's Day on a Sunday"],
    ['2020-12-28', 'Boxing Day on a Saturday'],
    ['2021-12-27', 'Christmas Day on a Saturday'],
    ['2021-12-28', 'Boxing Day on a Sunday'],
    ['2022-01-03', "New Year's Day on a Saturday"],
    ['2022-12-27', 'Christmas Day on a Sunday'],
    ['2023-01-02', "New Year's Day on a Sunday"],
    ['2026-12-28', 'Boxing Day on a Saturday'],
    ['2027-12-27', 'Christmas Day on a Saturday'],
    ['2027-12-28', 'Boxing Day on a Sunday'],
  ])('has the substitute day %s for %s', (date) => {
    expect(ENGLAND_AND_WALES_BANK_HOLIDAYS.map((holiday) => holiday.date)).toContain(date);
  });

  it('moved the 2020 early May holiday to Friday 8 May for VE Day', () => {
    expect(datesIn(2020)).toContain('2020-05-08');
    expect(datesIn(2020)).not.toContain('2020-05-04');
  });

  it('has the 2022 and 2023 one-offs and the moved 2022 spring holiday', () => {
    expect(datesIn(2022)).toEqual(expect.arrayContaining(['2022-06-02', '2022-06-03', '2022-09-19']));
    expect(datesIn(2022)).not.toContain('2022-05-30');
    expect(datesIn(2023)).toEqual(expect.arrayContaining(['2023-05-01', '2023-05-08', '2023-05-29']));
  });
});
