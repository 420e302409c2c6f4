/**
 * The nationalities of the European Economic Area as it stood in 2015, as ISO 3166-1 alpha-3
 * codes: the 28 EU member states (Croatia joined on 1 July 2013; the United Kingdom was a member
 * until 31 January 2020) and Iceland, Liechtenstein and Norway. Switzerland is not in the EEA and
 * is not listed. Source: Agreement on the European Economic Area; EU member states as at 2015.
 */
export const EEA_NATIONALITIES_2015: readonly string[] = [
  'AUT',
  'BEL',
  'BGR',
  'HRV',
  'CYP',
  'CZE',
  'DNK',
  'EST',
  'FIN',
  'FRA',
  'DEU',
  'GRC',
  'HUN',
  'IRL',
  'ITA',
  'LVA',
  'LTU',
  'LUX',
  'MLT',
  'NLD',
  'POL',
  'PRT',
  'ROU',
  'SVK',
  'SVN',
  'ESP',
  'SWE',
  'GBR',
  'ISL',
  'LIE',
  'NOR',
];
