/**
 * Bank holidays in England and Wales, 2015 to 2027 inclusive.
 *
 * Source: the GOV.UK bank holidays list for England and Wales (https://www.gov.uk/bank-holidays),
 * compiled 2026-11-28. This is a dated, literal list rather than a rule: bank holidays are set by
 * proclamation, and one-offs (the 2020 VE Day move, the 2022 Platinum Jubilee and State Funeral, the
 * 2023 Coronation) cannot be derived. When GOV.UK publishes a later year, append it here and raise
 * {@link LAST_COVERED_YEAR}; until then deadlines past 2027 are refused rather than guessed.
 *
 * Scotland and Northern Ireland have different lists and are deliberately not covered here.
 */

/** The first calendar year for which {@link ENGLAND_AND_WALES_BANK_HOLIDAYS} is complete. */
export const FIRST_COVERED_YEAR = 2015;

/** The last calendar year for which {@link ENGLAND_AND_WALES_BANK_HOLIDAYS} is complete. */
export const LAST_COVERED_YEAR = 2027;

/** One bank holiday: its ISO date (`YYYY-MM-DD`) and its title as GOV.UK gives it. */
export interface BankHoliday {
  readonly date: string;
  readonly title: string;
}

/** England and Wales bank holidays, in date order, for {@link FIRST_COVERED_YEAR}..{@link LAST_COVERED_YEAR}. */
export const ENGLAND_AND_WALES_BANK_HOLIDAYS: readonly BankHoliday[] = [
  // 2015
  { date: '2015-01-01', title: "New Year's Day" },
  { date: '2015-04-03', title: 'Good Friday' },
  { date: '2015-04-06', title: 'Easter Monday' },
  { date: '2015-05-04', title: 'Early May bank holiday' },
  { date: '2015-05-25', title: 'Spring bank holiday' },
  { date: '2015-08-31', title: 'Summer bank holiday' },
  { date: '2015-12-25', title: 'Christmas Day' },
  { date: '2015-12-28', title: 'Boxing Day (substitute day)' },
  // 2016
  { date: '2016-01-01', title: "New Year's Day" },
  { date: '2016-03-25', title: 'Good Friday' },
  { date: '2016-03-28', title: 'Easter Monday' },
  { date: '2016-05-02', title: 'Early May bank holiday' },
  { date: '2016-05-30', title: 'Spring bank holiday' },
  { date: '2016-08-29', title: 'Summer bank holiday' },
  { date: '2016-12-26', title: 'Boxing Day' },
  { date: '2016-12-27', title: 'Christmas Day (substitute day)' },
  // 2017
  { date: '2017-01-02', title: "New Year's Day (substitute day)" },
  { date: '2017-04-14', title: 'Good Friday' },
  { date: '2017-04-17', title: 'Easter Monday' },
  { date: '2017-05-01', title: 'Early May bank holiday' },
  { date: '2017-05-29', title: 'Spring bank holiday' },
  { date: '2017-08-28', title: 'Summer bank holiday' },
  { date: '2017-12-25', title: 'Christmas Day' },
  { date: '2017-12-26', title: 'Boxing Day' },
  // 2018
  { date: '2018-01-01', title: "New Year's Day" },
  { date: '2018-03-30', title: 'Good Friday' },
  { date: '2018-04-02', title: 'Easter Monday' },
  { date: '2018-05-07', title: 'Early May bank holiday' },
  { date: '2018-05-28', title: 'Spring bank holiday' },
  { date: '2018-08-27', title: 'Summer bank holiday' },
  { date: '2018-12-25', title: 'Christmas Day' },
  { date: '2018-12-26', title: 'Boxing Day' },
  // 2019
  { date: '2019-01-01', title: "New Year's Day" },
  { date: '2019-04-19', title: 'Good Friday' },
  { date: '2019-04-22', title: 'Easter Monday' },
  { date: '2019-05-06', title: 'Early May bank holiday' },
  { date: '2019-05-27', title: 'Spring bank holiday' },
  { date: '2019-08-26', title: 'Summer bank holiday' },
  { date: '2019-12-25', title: 'Christmas Day' },
  { date: '2019-12-26', title: 'Boxing Day' },
  // 2020
  { date: '2020-01-01', title: "New Year's Day" },
  { date: '2020-04-10', title: 'Good Friday' },
  { date: '2020-04-13', title: 'Easter Monday' },
  { date: '2020-05-08', title: 'Early May bank holiday (VE day)' },
  { date: '2020-05-25', title: 'Spring bank holiday' },
  { date: '2020-08-31', title: 'Summer bank holiday' },
  { date: '2020-12-25', title: 'Christmas Day' },
  { date: '2020-12-28', title: 'Boxing Day (substitute day)' },
  // 2021
  { date: '2021-01-01', title: "New Year's Day" },
  { date: '2021-04-02', title: 'Good Friday' },
  { date: '2021-04-05', title: 'Easter Monday' },
  { date: '2021-05-03', title: 'Early May bank holiday' },
  { date: '2021-05-31', title: 'Spring bank holiday' },
  { date: '2021-08-30', title: 'Summer bank holiday' },
  { date: '2021-12-27', title: 'Christmas Day (substitute day)' },
  { date: '2021-12-28', title: 'Boxing Day (substitute day)' },
  // 2022
  { date: '2022-01-03', title: "New Year's Day (substitute day)" },
  { date: '2022-04-15', title: 'Good Friday' },
  { date: '2022-04-18', title: 'Easter Monday' },
  { date: '2022-05-02', title: 'Early May bank holiday' },
  { date: '2022-06-02', title: 'Spring bank holiday' },
  { date: '2022-06-03', title: 'Platinum Jubilee bank holiday' },
  { date: '2022-08-29', title: 'Summer bank holiday' },
  { date: '2022-09-19', title: 'Bank Holiday for the State Funeral of Queen Elizabeth II' },
  { date: '2022-12-26', title: 'Boxing Day' },
  { date: '2022-12-27', title: 'Christmas Day (substitute day)' },
  // 2023
  { date: '2023-01-02', title: "New Year's Day (substitute day)" },
  { date: '2023-04-07', title: 'Good Friday' },
  { date: '2023-04-10', title: 'Easter Monday' },
  { date: '2023-05-01', title: 'Early May bank holiday' },
  { date: '2023-05-08', title: 'Bank holiday for the coronation of King Charles III' },
  { date: '2023-05-29', title: 'Spring bank holiday' },
  { date: '2023-08-28', title: 'Summer bank holiday' },
  { date: '2023-12-25', title: 'Christmas Day' },
  { date: '2023-12-26', title: 'Boxing Day' },
  // 2024
  { date: '2024-01-01', title: "New Year's Day" },
  { date: '2024-03-29', title: 'Good Friday' },
  { date: '2024-04-01', title: 'Easter Monday' },
  { date: '2024-05-06', title: 'Early May bank holiday' },
  { date: '2024-05-27', title: 'Spring bank holiday' },
  { date: '2024-08-26', title: 'Summer bank holiday' },
  { date: '2024-12-25', title: 'Christmas Day' },
  { date: '2024-12-26', title: 'Boxing Day' },
  // 2025
  { date: '2025-01-01', title: "New Year's Day" },
  { date: '2025-04-18', title: 'Good Friday' },
  { date: '2025-04-21', title: 'Easter Monday' },
  { date: '2025-05-05', title: 'Early May bank holiday' },
  { date: '2025-05-26', title: 'Spring bank holiday' },
  { date: '2025-08-25', title: 'Summer bank holiday' },
  { date: '2025-12-25', title: 'Christmas Day' },
  { date: '2025-12-26', title: 'Boxing Day' },
  // 2026
  { date: '2026-01-01', title: "New Year's Day" },
  { date: '2026-04-03', title: 'Good Friday' },
  { date: '2026-04-06', title: 'Easter Monday' },
  { date: '2026-05-04', title: 'Early May bank holiday' },
  { date: '2026-05-25', title: 'Spring bank holiday' },
  { date: '2026-08-31', title: 'Summer bank holiday' },
  { date: '2026-12-25', title: 'Christmas Day' },
  { date: '2026-12-28', title: 'Boxing Day (substitute day)' },
  // 2027
  { date: '2027-01-01', title: "New Year's Day" },
  { date: '2027-03-26', title: 'Good Friday' },
  { date: '2027-03-29', title: 'Easter Monday' },
  { date: '2027-05-03', title: 'Early May bank holiday' },
  { date: '2027-05-31', title: 'Spring bank holiday' },
  { date: '2027-08-30', title: 'Summer bank holiday' },
  { date: '2027-12-27', title: 'Christmas Day (substitute day)' },
  { date: '2027-12-28', title: 'Boxing Day (substitute day)' },
];
