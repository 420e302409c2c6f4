import { POLICE_FORCE_AREAS, REGIONS, type PoliceForceArea, type Region } from './police-regions.model';

/**
 * Organisations as data: the police forces, local authorities and agencies that refer, sit on
 * panels or decide, with their names as their owners write them. One plain module, no logic
 * beyond look-ups, so it can become a registry of its own (issue 26) without touching its users.
 */

/**
 * Usual resident population of each police force area, in thousands: Census 2021 (ONS, England
 * and Wales, 21 March 2021; Police Scotland: NRS mid-2021 estimate; PSNI: NISRA Census 2021),
 * rounded. Used as weights for where synthetic referrals come from within a region, so the
 * Metropolitan Police gets about a thousand times the referrals of the City of London Police
 * (whose resident population is about 8,600; its weight is 9). The figures are rounded to the
 * nearest ten thousand and were typed in without the source files at hand (no network where this
 * was written): good for weighting synthetic data, where only their ratios matter; check them
 * against the ONS tables before using them for anything else.
 */
export const POLICE_FORCE_POPULATION_THOUSANDS: Readonly<Record<PoliceForceArea, number>> = {
  'avon-and-somerset': 1_760,
  'devon-and-cornwall': 1_800,
  dorset: 780,
  wiltshire: 730,
  gloucestershire: 650,
  'west-yorkshire': 2_350,
  metropolitan: 8_790,
  'city-of-london': 9,
  cumbria: 500,
  lancashire: 1_530,
  merseyside: 1_420,
  'greater-manchester': 2_870,
  cheshire: 1_090,
  'west-midlands': 2_920,
  staffordshire: 1_130,
  warwickshire: 600,
  'west-mercia': 1_310,
  bedfordshire: 690,
  cambridgeshire: 900,
  essex: 1_880,
  hertfordshire: 1_200,
  norfolk: 920,
  suffolk: 760,
  northumbria: 1_470,
  durham: 630,
  cleveland: 570,
  'thames-valley': 2_480,
  hampshire: 2_010,
  surrey: 1_210,
  sussex: 1_710,
  kent: 1_860,
  derbyshire: 1_050,
  nottinghamshire: 1_150,
  lincolnshire: 770,
  leicestershire: 1_100,
  northamptonshire: 790,
  'dyfed-powys': 520,
  gwent: 600,
  'north-wales': 690,
  'south-wales': 1_320,
  'north-yorkshire': 820,
  'south-yorkshire': 1_380,
  humberside: 940,
  'police-scotland': 5_480,
  'police-service-of-northern-ireland': 1_900,
};

/** Each force as it names itself. */
export const POLICE_FORCE_NAMES: Readonly<Record<PoliceForceArea, string>> = {
  'avon-and-somerset': 'Avon and Somerset Police',
  'devon-and-cornwall': 'Devon and Cornwall Police',
  dorset: 'Dorset Police',
  wiltshire: 'Wiltshire Police',
  gloucestershire: 'Gloucestershire Constabulary',
  'west-yorkshire': 'West Yorkshire Police',
  metropolitan: 'Metropolitan Police Service',
  'city-of-london': 'City of London Police',
  cumbria: 'Cumbria Constabulary',
  lancashire: 'Lancashire Constabulary',
  merseyside: 'Merseyside Police',
  'greater-manchester': 'Greater Manchester Police',
  cheshire: 'Cheshire Constabulary',
  'west-midlands': 'West Midlands Police',
  staffordshire: 'Staffordshire Police',
  warwickshire: 'Warwickshire Police',
  'west-mercia': 'West Mercia Police',
  bedfordshire: 'Bedfordshire Police',
  cambridgeshire: 'Cambridgeshire Constabulary',
  essex: 'Essex Police',
  hertfordshire: 'Hertfordshire Constabulary',
  norfolk: 'Norfolk Constabulary',
  suffolk: 'Suffolk Constabulary',
  northumbria: 'Northumbria Police',
  durham: 'Durham Constabulary',
  cleveland: 'Cleveland Police',
  'thames-valley': 'Thames Valley Police',
  hampshire: 'Hampshire and Isle of Wight Constabulary',
  surrey: 'Surrey Police',
  sussex: 'Sussex Police',
  kent: 'Kent Police',
  derbyshire: 'Derbyshire Constabulary',
  nottinghamshire: 'Nottinghamshire Police',
  lincolnshire: 'Lincolnshire Police',
  leicestershire: 'Leicestershire Police',
  northamptonshire: 'Northamptonshire Police',
  'dyfed-powys': 'Dyfed-Powys Police',
  gwent: 'Gwent Police',
  'north-wales': 'North Wales Police',
  'south-wales': 'South Wales Police',
  'north-yorkshire': 'North Yorkshire Police',
  'south-yorkshire': 'South Yorkshire Police',
  humberside: 'Humberside Police',
  'police-scotland': 'Police Scotland',
  'police-service-of-northern-ireland': 'Police Service of Northern Ireland',
};

const LONDON_BOROUGHS = [
  'Barking and Dagenham',
  'Barnet',
  'Bexley',
  'Brent',
  'Bromley',
  'Camden',
  'Croydon',
  'Ealing',
  'Enfield',
  'Hackney',
  'Hammersmith and Fulham',
  'Haringey',
  'Harrow',
  'Havering',
  'Hillingdon',
  'Hounslow',
  'Islington',
  'Lambeth',
  'Lewisham',
  'Merton',
  'Newham',
  'Redbridge',
  'Richmond upon Thames',
  'Southwark',
  'Sutton',
  'Tower Hamlets',
  'Waltham Forest',
  'Wandsworth',
].map((borough) => `London Borough of ${borough}`);

/**
 * The local authorities with children's and adult social care (county and unitary councils,
 * London boroughs, metropolitan districts; Welsh principal councils) in each police force area,
 * as at 1 April 2023 (after Cumbria, North Yorkshire and Somerset became unitary): ONS Open
 * Geography Portal, "Counties and Unitary Authorities (April 2023)" and the "Local Authority
 * District to Community Safety Partnership to Police Force Area (April 2023)" lookup. Scotland's
 * councils and Northern Ireland's health and social care trusts, which hold social care there,
 * are listed for the two single-force areas.
 */
export const LOCAL_AUTHORITIES: Readonly<Record<PoliceForceArea, readonly string[]>> = {
  'avon-and-somerset': [
    'Bristol City Council',
    'Bath and North East Somerset Council',
    'North Somerset Council',
    'South Gloucestershire Council',
    'Somerset Council',
  ],
  'devon-and-cornwall': [
    'Devon County Council',
    'Cornwall Council',
    'Plymouth City Council',
    'Torbay Council',
    'Council of the Isles of Scilly',
  ],
  dorset: ['Dorset Council', 'Bournemouth, Christchurch and Poole Council'],
  wiltshire: ['Wiltshire Council', 'Swindon Borough Council'],
  gloucestershire: ['Gloucestershire County Council'],
  'west-yorkshire': [
    'Leeds City Council',
    'City of Bradford Metropolitan District Council',
    'Kirklees Council',
    'Calderdale Council',
    'Wakefield Council',
  ],
  metropolitan: [
    ...LONDON_BOROUGHS,
    'Royal Borough of Greenwich',
    'Royal Borough of Kensington and Chelsea',
    'Royal Borough of Kingston upon Thames',
    'Westminster City Council',
  ],
  'city-of-london': ['City of London Corporation'],
  cumbria: ['Cumberland Council', 'Westmorland and Furness Council'],
  lancashire: ['Lancashire County Council', 'Blackburn with Darwen Borough Council', 'Blackpool Council'],
  merseyside: ['Liverpool City Council', 'Knowsley Council', 'Sefton Council', 'St Helens Council', 'Wirral Council'],
  'greater-manchester': [
    'Manchester City Council',
    'Salford City Council',
    'Bolton Council',
    'Bury Council',
    'Oldham Council',
    'Rochdale Borough Council',
    'Stockport Council',
    'Tameside Council',
    'Trafford Council',
    'Wigan Council',
  ],
  cheshire: [
    'Cheshire East Council',
    'Cheshire West and Chester Council',
    'Halton Borough Council',
    'Warrington Borough Council',
  ],
  'west-midlands': [
    'Birmingham City Council',
    'Coventry City Council',
    'Dudley Council',
    'Sandwell Council',
    'Solihull Council',
    'Walsall Council',
    'City of Wolverhampton Council',
  ],
  staffordshire: ['Staffordshire County Council', 'Stoke-on-Trent City Council'],
  warwickshire: ['Warwickshire County Council'],
  'west-mercia': [
    'Worcestershire County Council',
    'Herefordshire Council',
    'Shropshire Council',
    'Telford and Wrekin Council',
  ],
  bedfordshire: ['Bedford Borough Council', 'Central Bedfordshire Council', 'Luton Borough Council'],
  cambridgeshire: ['Cambridgeshire County Council', 'Peterborough City Council'],
  essex: ['Essex County Council', 'Southend-on-Sea City Council', 'Thurrock Council'],
  hertfordshire: ['Hertfordshire County Council'],
  norfolk: ['Norfolk County Council'],
  suffolk: ['Suffolk County Council'],
  northumbria: [
    'Newcastle City Council',
    'Gateshead Council',
    'North Tyneside Council',
    'South Tyneside Council',
    'Sunderland City Council',
    'Northumberland County Council',
  ],
  durham: ['Durham County Council', 'Darlington Borough Council'],
  cleveland: [
    'Middlesbrough Council',
    'Hartlepool Borough Council',
    'Redcar and Cleveland Borough Council',
    'Stockton-on-Tees Borough Council',
  ],
  'thames-valley': [
    'Oxfordshire County Council',
    'Buckinghamshire Council',
    'Milton Keynes City Council',
    'Reading Borough Council',
    'West Berkshire Council',
    'Wokingham Borough Council',
    'Bracknell Forest Council',
    'Slough Borough Council',
    'Royal Borough of Windsor and Maidenhead',
  ],
  hampshire: [
    'Hampshire County Council',
    'Southampton City Council',
    'Portsmouth City Council',
    'Isle of Wight Council',
  ],
  surrey: ['Surrey County Council'],
  sussex: ['West Sussex County Council', 'East Sussex County Council', 'Brighton and Hove City Council'],
  kent: ['Kent County Council', 'Medway Council'],
  derbyshire: ['Derbyshire County Council', 'Derby City Council'],
  nottinghamshire: ['Nottinghamshire County Council', 'Nottingham City Council'],
  lincolnshire: ['Lincolnshire County Council'],
  leicestershire: ['Leicestershire County Council', 'Leicester City Council', 'Rutland County Council'],
  northamptonshire: ['North Northamptonshire Council', 'West Northamptonshire Council'],
  'dyfed-powys': [
    'Carmarthenshire County Council',
    'Ceredigion County Council',
    'Pembrokeshire County Council',
    'Powys County Council',
  ],
  gwent: [
    'Blaenau Gwent County Borough Council',
    'Caerphilly County Borough Council',
    'Monmouthshire County Council',
    'Newport City Council',
    'Torfaen County Borough Council',
  ],
  'north-wales': [
    'Isle of Anglesey County Council',
    'Gwynedd Council',
    'Conwy County Borough Council',
    'Denbighshire County Council',
    'Flintshire County Council',
    'Wrexham County Borough Council',
  ],
  'south-wales': [
    'Cardiff Council',
    'Swansea Council',
    'Vale of Glamorgan Council',
    'Bridgend County Borough Council',
    'Neath Port Talbot Council',
    'Rhondda Cynon Taf County Borough Council',
    'Merthyr Tydfil County Borough Council',
  ],
  'north-yorkshire': ['North Yorkshire Council', 'City of York Council'],
  'south-yorkshire': ['Sheffield City Council', 'Barnsley Council', 'Doncaster Council', 'Rotherham Council'],
  humberside: [
    'Hull City Council',
    'East Riding of Yorkshire Council',
    'North Lincolnshire Council',
    'North East Lincolnshire Council',
  ],
  'police-scotland': [
    'Glasgow City Council',
    'The City of Edinburgh Council',
    'Aberdeen City Council',
    'Dundee City Council',
    'Fife Council',
    'North Lanarkshire Council',
    'South Lanarkshire Council',
    'The Highland Council',
  ],
  'police-service-of-northern-ireland': [
    'Belfast Health and Social Care Trust',
    'Northern Health and Social Care Trust',
    'South Eastern Health and Social Care Trust',
    'Southern Health and Social Care Trust',
    'Western Health and Social Care Trust',
  ],
};

/**
 * The official code of each council with social care (ONS/GSS: `E06` unitary authorities, `E08`
 * metropolitan districts, `E09` London boroughs and the City, `E10` counties, `W06` Welsh principal
 * areas, `S12` Scottish council areas), as at 1 April 2023. Sources: ONS Register of Geographic Codes
 * and Open Geography Portal, "Counties and Unitary Authorities (April 2023)"; the 2019–2023 changes
 * checked against ONS's successor codes: Dorset E06000059 and Bournemouth, Christchurch and Poole
 * E06000058 (2019), Buckinghamshire E06000060 (2020), North and West Northamptonshire E06000061/62
 * (2021), Cumberland E06000063, Westmorland and Furness E06000064, North Yorkshire E06000065 and
 * Somerset E06000066 (2023); Barnsley E08000038 and Sheffield E08000039 replaced E08000016 and
 * E08000019 after boundary changes, Gateshead E08000037 replaced E08000020. Northern Ireland's health
 * and social care trusts have no GSS council code and carry none.
 */
export const LOCAL_AUTHORITY_CODES: Readonly<Record<string, string>> = {
  'Bristol City Council': 'E06000023',
  'Bath and North East Somerset Council': 'E06000022',
  'North Somerset Council': 'E06000024',
  'South Gloucestershire Council': 'E06000025',
  'Somerset Council': 'E06000066',
  'Devon County Council': 'E10000008',
  'Cornwall Council': 'E06000052',
  'Plymouth City Council': 'E06000026',
  'Torbay Council': 'E06000027',
  'Council of the Isles of Scilly': 'E06000053',
  'Dorset Council': 'E06000059',
  'Bournemouth, Christchurch and Poole Council': 'E06000058',
  'Wiltshire Council': 'E06000054',
  'Swindon Borough Council': 'E06000030',
  'Gloucestershire County Council': 'E10000013',
  'Leeds City Council': 'E08000035',
  'City of Bradford Metropolitan District Council': 'E08000032',
  'Kirklees Council': 'E08000034',
  'Calderdale Council': 'E08000033',
  'Wakefield Council': 'E08000036',
  'London Borough of Barking and Dagenham': 'E09000002',
  'London Borough of Barnet': 'E09000003',
  'London Borough of Bexley': 'E09000004',
  'London Borough of Brent': 'E09000005',
  'London Borough of Bromley': 'E09000006',
  'London Borough of Camden': 'E09000007',
  'London Borough of Croydon': 'E09000008',
  'London Borough of Ealing': 'E09000009',
  'London Borough of Enfield': 'E09000010',
  'Royal Borough of Greenwich': 'E09000011',
  'London Borough of Hackney': 'E09000012',
  'London Borough of Hammersmith and Fulham': 'E09000013',
  'London Borough of Haringey': 'E09000014',
  'London Borough of Harrow': 'E09000015',
  'London Borough of Havering': 'E09000016',
  'London Borough of Hillingdon': 'E09000017',
  'London Borough of Hounslow': 'E09000018',
  'London Borough of Islington': 'E09000019',
  'Royal Borough of Kensington and Chelsea': 'E09000020',
  'Royal Borough of Kingston upon Thames': 'E09000021',
  'London Borough of Lambeth': 'E09000022',
  'London Borough of Lewisham': 'E09000023',
  'London Borough of Merton': 'E09000024',
  'London Borough of Newham': 'E09000025',
  'London Borough of Redbridge': 'E09000026',
  'London Borough of Richmond upon Thames': 'E09000027',
  'London Borough of Southwark': 'E09000028',
  'London Borough of Sutton': 'E09000029',
  'London Borough of Tower Hamlets': 'E09000030',
  'London Borough of Waltham Forest': 'E09000031',
  'London Borough of Wandsworth': 'E09000032',
  'Westminster City Council': 'E09000033',
  'City of London Corporation': 'E09000001',
  'Cumberland Council': 'E06000063',
  'Westmorland and Furness Council': 'E06000064',
  'Lancashire County Council': 'E10000017',
  'Blackburn with Darwen Borough Council': 'E06000008',
  'Blackpool Council': 'E06000009',
  'Liverpool City Council': 'E08000012',
  'Knowsley Council': 'E08000011',
  'Sefton Council': 'E08000014',
  'St Helens Council': 'E08000013',
  'Wirral Council': 'E08000015',
  'Manchester City Council': 'E08000003',
  'Salford City Council': 'E08000006',
  'Bolton Council': 'E08000001',
  'Bury Council': 'E08000002',
  'Oldham Council': 'E08000004',
  'Rochdale Borough Council': 'E08000005',
  'Stockport Council': 'E08000007',
  'Tameside Council': 'E08000008',
  'Trafford Council': 'E08000009',
  'Wigan Council': 'E08000010',
  'Cheshire East Council': 'E06000049',
  'Cheshire West and Chester Council': 'E06000050',
  'Halton Borough Council': 'E06000006',
  'Warrington Borough Council': 'E06000007',
  'Birmingham City Council': 'E08000025',
  'Coventry City Council': 'E08000026',
  'Dudley Council': 'E08000027',
  'Sandwell Council': 'E08000028',
  'Solihull Council': 'E08000029',
  'Walsall Council': 'E08000030',
  'City of Wolverhampton Council': 'E08000031',
  'Staffordshire County Council': 'E10000028',
  'Stoke-on-Trent City Council': 'E06000021',
  'Warwickshire County Council': 'E10000031',
  'Worcestershire County Council': 'E10000034',
  'Herefordshire Council': 'E06000019',
  'Shropshire Council': 'E06000051',
  'Telford and Wrekin Council': 'E06000020',
  'Bedford Borough Council': 'E06000055',
  'Central Bedfordshire Council': 'E06000056',
  'Luton Borough Council': 'E06000032',
  'Cambridgeshire County Council': 'E10000003',
  'Peterborough City Council': 'E06000031',
  'Essex County Council': 'E10000012',
  'Southend-on-Sea City Council': 'E06000033',
  'Thurrock Council': 'E06000034',
  'Hertfordshire County Council': 'E10000015',
  'Norfolk County Council': 'E10000020',
  'Suffolk County Council': 'E10000029',
  'Newcastle City Council': 'E08000021',
  'Gateshead Council': 'E08000037',
  'North Tyneside Council': 'E08000022',
  'South Tyneside Council': 'E08000023',
  'Sunderland City Council': 'E08000024',
  'Northumberland County Council': 'E06000057',
  'Durham County Council': 'E06000047',
  'Darlington Borough Council': 'E06000005',
  'Middlesbrough Council': 'E06000002',
  'Hartlepool Borough Council': 'E06000001',
  'Redcar and Cleveland Borough Council': 'E06000003',
  'Stockton-on-Tees Borough Council': 'E06000004',
  'Oxfordshire County Council': 'E10000025',
  'Buckinghamshire Council': 'E06000060',
  'Milton Keynes City Council': 'E06000042',
  'Reading Borough Council': 'E06000038',
  'West Berkshire Council': 'E06000037',
  'Wokingham Borough Council': 'E06000041',
  'Bracknell Forest Council': 'E06000036',
  'Slough Borough Council': 'E06000039',
  'Royal Borough of Windsor and Maidenhead': 'E06000040',
  'Hampshire County Council': 'E10000014',
  'Southampton City Council': 'E06000045',
  'Portsmouth City Council': 'E06000044',
  'Isle of Wight Council': 'E06000046',
  'Surrey County Council': 'E10000030',
  'West Sussex County Council': 'E10000032',
  'East Sussex County Council': 'E10000011',
  'Brighton and Hove City Council': 'E06000043',
  'Kent County Council': 'E10000016',
  'Medway Council': 'E06000035',
  'Derbyshire County Council': 'E10000007',
  'Derby City Council': 'E06000015',
  'Nottinghamshire County Council': 'E10000024',
  'Nottingham City Council': 'E06000018',
  'Lincolnshire County Council': 'E10000019',
  'Leicestershire County Council': 'E10000018',
  'Leicester City Council': 'E06000016',
  'Rutland County Council': 'E06000017',
  'North Northamptonshire Council': 'E06000061',
  'West Northamptonshire Council': 'E06000062',
  'Carmarthenshire County Council': 'W06000010',
  'Ceredigion County Council': 'W06000008',
  'Pembrokeshire County Council': 'W06000009',
  'Powys County Council': 'W06000023',
  'Blaenau Gwent County Borough Council': 'W06000019',
  'Caerphilly County Borough Council': 'W06000018',
  'Monmouthshire County Council': 'W06000021',
  'Newport City Council': 'W06000022',
  'Torfaen County Borough Council': 'W06000020',
  'Isle of Anglesey County Council': 'W06000001',
  'Gwynedd Council': 'W06000002',
  'Conwy County Borough Council': 'W06000003',
  'Denbighshire County Council': 'W06000004',
  'Flintshire County Council': 'W06000005',
  'Wrexham County Borough Council': 'W06000006',
  'Cardiff Council': 'W06000015',
  'Swansea Council': 'W06000011',
  'Vale of Glamorgan Council': 'W06000014',
  'Bridgend County Borough Council': 'W06000013',
  'Neath Port Talbot Council': 'W06000012',
  'Rhondda Cynon Taf County Borough Council': 'W06000016',
  'Merthyr Tydfil County Borough Council': 'W06000024',
  'North Yorkshire Council': 'E06000065',
  'City of York Council': 'E06000014',
  'Sheffield City Council': 'E08000039',
  'Barnsley Council': 'E08000038',
  'Doncaster Council': 'E08000017',
  'Rotherham Council': 'E08000018',
  'Hull City Council': 'E06000010',
  'East Riding of Yorkshire Council': 'E06000011',
  'North Lincolnshire Council': 'E06000013',
  'North East Lincolnshire Council': 'E06000012',
  'Glasgow City Council': 'S12000049',
  'The City of Edinburgh Council': 'S12000036',
  'Aberdeen City Council': 'S12000033',
  'Dundee City Council': 'S12000042',
  'Fife Council': 'S12000047',
  'North Lanarkshire Council': 'S12000050',
  'South Lanarkshire Council': 'S12000029',
  'The Highland Council': 'S12000017',
};

/**
 * Councils of 2015 that have since been replaced, with their ONS codes and the council that took
 * over their social care: referrals and panels of the 2015 pilot named them (ONS Register of
 * Geographic Codes: the 2019 Dorset, 2020 Buckinghamshire, 2021 Northamptonshire and 2023
 * Cumbria, North Yorkshire and Somerset reorganisations).
 */
export const FORMER_LOCAL_AUTHORITIES: readonly {
  readonly name: string;
  readonly code: string;
  readonly force: PoliceForceArea;
  readonly succeededBy: string;
}[] = [
  { name: 'Dorset County Council', code: 'E10000009', force: 'dorset', succeededBy: 'dorset-council' },
  {
    name: 'Bournemouth Borough Council',
    code: 'E06000028',
    force: 'dorset',
    succeededBy: 'bournemouth-christchurch-and-poole-council',
  },
  {
    name: 'Borough of Poole',
    code: 'E06000029',
    force: 'dorset',
    succeededBy: 'bournemouth-christchurch-and-poole-council',
  },
  { name: 'Somerset County Council', code: 'E10000027', force: 'avon-and-somerset', succeededBy: 'somerset-council' },
  {
    name: 'North Yorkshire County Council',
    code: 'E10000023',
    force: 'north-yorkshire',
    succeededBy: 'north-yorkshire-council',
  },
  { name: 'Cumbria County Council', code: 'E10000006', force: 'cumbria', succeededBy: 'cumberland-council' },
  {
    name: 'Northamptonshire County Council',
    code: 'E10000021',
    force: 'northamptonshire',
    succeededBy: 'west-northamptonshire-council',
  },
  {
    name: 'Buckinghamshire County Council',
    code: 'E10000002',
    force: 'thames-valley',
    succeededBy: 'buckinghamshire-council',
  },
];

/**
 * National agencies, NGOs and health bodies, by id, named as they name themselves.
 *
 * The NGOs are those that acted as first responders or support providers in 2015: the NGO first
 * responders the domain brief names (College of Policing APP, "National referral mechanism"; Hansard,
 * 14 January 2010): the Salvation Army, Migrant Help, Barnardo's, Kalayaan, the Poppy Project (run by
 * Eaves until 2015), TARA (Glasgow), and Unseen, the Medaille Trust, the NSPCC, the Refugee Council,
 * BAWSO and New Pathways named with them in the 2015 competent-authority guidance; and the
 * subcontractors of the Salvation Army's adult victim care contract for England and Wales (Hestia,
 * City Hearts, Black Country Women's Aid, Ashiana Sheffield, the Palm Cove Society, and again
 * Migrant Help, the Medaille Trust, BAWSO and Unseen). ECPAT UK is the children's charity that
 * advocated for them. The lists were typed from those sources' names without the documents at hand
 * (no network where this was written): check a body's role before a rule depends on it.
 */
export const AGENCY_NAMES: Readonly<Record<string, string>> = {
  glaa: 'GLAA',
  'national-crime-agency': 'National Crime Agency',
  'border-force': 'Border Force',
  'immigration-enforcement': 'Immigration Enforcement',
  'uk-visas-and-immigration': 'UK Visas and Immigration',
  'uk-human-trafficking-centre': 'UK Human Trafficking Centre',
  'home-office-cmu': 'Home Office case management unit',
  'british-transport-police': 'British Transport Police',
  'independent-chair': 'Independent chair',
  'salvation-army': 'The Salvation Army',
  barnardos: "Barnardo's",
  'migrant-help': 'Migrant Help',
  'unseen-uk': 'Unseen UK',
  'home-office': 'Home Office',
  kalayaan: 'Kalayaan',
  'medaille-trust': 'Medaille Trust',
  'eaves-poppy-project': 'Eaves (the Poppy Project)',
  nspcc: 'NSPCC',
  'refugee-council': 'Refugee Council',
  'tara-project': 'TARA (Trafficking Awareness Raising Alliance)',
  bawso: 'BAWSO',
  'new-pathways': 'New Pathways',
  hestia: 'Hestia',
  'city-hearts': 'City Hearts',
  'black-country-womens-aid': "Black Country Women's Aid",
  'ashiana-sheffield': 'Ashiana Sheffield',
  'palm-cove-society': 'Palm Cove Society',
  'ecpat-uk': 'ECPAT UK',
  'nhs-south-west': 'NHS South West',
  'nhs-south-west-mental-health': 'NHS South West (mental health)',
  'nhs-west-yorkshire': 'NHS West Yorkshire',
  'nhs-west-yorkshire-mental-health': 'NHS West Yorkshire (mental health)',
};

/** What kind of body an organisation is, as the rules and the statistics need to tell them apart. */
export const ORGANISATION_TYPES = [
  'police',
  'local-authority',
  'government-agency',
  'health',
  'ngo',
  'independent',
] as const;

/** What kind of body an organisation is (see {@link ORGANISATION_TYPES}). */
export type OrganisationType = (typeof ORGANISATION_TYPES)[number];

/** One organisation of the registry: a stable id, its name as it writes it, its type, its region. */
export interface Organisation {
  /** Stable, kebab case; what tokens, commands and events carry. Never renamed once recorded. */
  readonly id: string;
  /** The name as the organisation writes it; what reports and the API show. */
  readonly name: string;
  readonly type: OrganisationType;
  /** The police region it serves, where it serves one (a force, a council, a regional NHS body). */
  readonly region?: Region;
  /** A council's official ONS/GSS code (`E06000059` is Dorset Council); see {@link LOCAL_AUTHORITY_CODES}. */
  readonly code?: string;
  /** A council since replaced: the id of the one that took over (Somerset County Council's is somerset-council). */
  readonly succeededBy?: string;
}

/** An organisation's id: its name in kebab case (`Bristol City Council` is `bristol-city-council`). */
export function organisationId(name: string): string {
  return name
    .toLowerCase()
    .replace(/'/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

const AGENCY_TYPES: Readonly<Record<string, { type: OrganisationType; region?: Region }>> = {
  glaa: { type: 'government-agency' },
  'national-crime-agency': { type: 'government-agency' },
  'border-force': { type: 'government-agency' },
  'immigration-enforcement': { type: 'government-agency' },
  'uk-visas-and-immigration': { type: 'government-agency' },
  'uk-human-trafficking-centre': { type: 'government-agency' },
  'home-office-cmu': { type: 'government-agency' },
  'british-transport-police': { type: 'police' },
  'independent-chair': { type: 'independent' },
  'salvation-army': { type: 'ngo' },
  barnardos: { type: 'ngo' },
  'migrant-help': { type: 'ngo' },
  'unseen-uk': { type: 'ngo' },
  'home-office': { type: 'government-agency' },
  kalayaan: { type: 'ngo' },
  'medaille-trust': { type: 'ngo' },
  'eaves-poppy-project': { type: 'ngo' },
  nspcc: { type: 'ngo' },
  'refugee-council': { type: 'ngo' },
  'tara-project': { type: 'ngo', region: 'scotland' },
  bawso: { type: 'ngo', region: 'wales' },
  'new-pathways': { type: 'ngo', region: 'wales' },
  hestia: { type: 'ngo', region: 'london' },
  'city-hearts': { type: 'ngo' },
  'black-country-womens-aid': { type: 'ngo', region: 'west-midlands' },
  'ashiana-sheffield': { type: 'ngo', region: 'yorkshire-and-the-humber' },
  'palm-cove-society': { type: 'ngo', region: 'yorkshire-and-the-humber' },
  'ecpat-uk': { type: 'ngo' },
  'nhs-south-west': { type: 'health', region: 'south-west' },
  'nhs-south-west-mental-health': { type: 'health', region: 'south-west' },
  'nhs-west-yorkshire': { type: 'health', region: 'west-yorkshire' },
  'nhs-west-yorkshire-mental-health': { type: 'health', region: 'west-yorkshire' },
};

function regionOfForce(force: PoliceForceArea): Region {
  const region = REGIONS.find((candidate) => (POLICE_FORCE_AREAS[candidate] as readonly string[]).includes(force));
  if (!region) throw new Error(`${force} belongs to no region`);
  return region;
}

/** The registry: every organisation Harbour knows, forces first, then councils, then the rest. */
export const ORGANISATIONS: readonly Organisation[] = [
  ...(Object.entries(POLICE_FORCE_NAMES) as [PoliceForceArea, string][]).map(([force, name]): Organisation => ({
    id: `${force}-police`,
    name,
    type: 'police',
    region: regionOfForce(force),
  })),
  ...(Object.entries(LOCAL_AUTHORITIES) as [PoliceForceArea, readonly string[]][]).flatMap(([force, names]) =>
    names.map((name): Organisation => ({
      id: organisationId(name),
      name,
      type: 'local-authority',
      region: regionOfForce(force),
      ...(LOCAL_AUTHORITY_CODES[name] === undefined ? {} : { code: LOCAL_AUTHORITY_CODES[name] }),
    })),
  ),
  ...FORMER_LOCAL_AUTHORITIES.map(({ name, code, force, succeededBy }): Organisation => ({
    id: organisationId(name),
    name,
    type: 'local-authority',
    region: regionOfForce(force),
    code,
    succeededBy,
  })),
  ...Object.entries(AGENCY_NAMES).map(([id, name]): Organisation => ({ id, name, ...AGENCY_TYPES[id] })),
];

const BY_ID: ReadonlyMap<string, Organisation> = new Map(ORGANISATIONS.map((org) => [org.id, org]));

/**
 * Spellings people and older tools wrote for an organisation, in kebab case, to its id: its own
 * name (`Gloucestershire Constabulary`), and the short names in common use.
 */
const ALIASES: ReadonlyMap<string, string> = new Map([
  ...ORGANISATIONS.map((org) => [organisationId(org.name), org.id] as const),
  ['gangmasters-and-labour-abuse-authority', 'glaa'],
  // Its name until 2017, and the one 2015 records use.
  ['gangmasters-licensing-authority', 'glaa'],
  ['gla', 'glaa'],
  ['nca', 'national-crime-agency'],
  ['ukhtc', 'uk-human-trafficking-centre'],
  ['ukvi', 'uk-visas-and-immigration'],
  ['btp', 'british-transport-police'],
  ['met-police', 'metropolitan-police'],
  ['poppy-project', 'eaves-poppy-project'],
  ['eaves', 'eaves-poppy-project'],
  ['the-poppy-project', 'eaves-poppy-project'],
  ['tara', 'tara-project'],
  ['unseen', 'unseen-uk'],
  ['the-medaille-trust', 'medaille-trust'],
  ['migrant-helpline', 'migrant-help'],
  // A council's official code names it too (`E06000059`, any case).
  ...ORGANISATIONS.flatMap((org) => (org.code === undefined ? [] : [[org.code.toLowerCase(), org.id] as const])),
]);

/** The organisation of the registry with this id; undefined for an id it does not list. */
export function organisationById(id: string): Organisation | undefined {
  return BY_ID.get(id);
}

/** The name an organisation writes for itself, by its id; undefined for one not listed. */
export function organisationName(id: string): string | undefined {
  return BY_ID.get(id)?.name;
}

/**
 * The id of the organisation a piece of text names: its id, its name under any capitalisation,
 * spacing or punctuation (`dorset-police`, `Dorset Police`, ` DORSET  POLICE`), or a known short
 * name (`UKVI`). Undefined when the text names no organisation of the registry.
 */
export function resolveOrganisationId(text: string): string | undefined {
  const key = organisationId(text);
  if (BY_ID.has(key)) return key;
  return ALIASES.get(key);
}

/**
 * True when both texts name the same organisation: the same registry id when both resolve, else
 * the same name once case and punctuation are set aside (an unverified name from before the registry).
 */
export function sameOrganisation(a: string, b: string): boolean {
  const idA = resolveOrganisationId(a) ?? organisationId(a);
  const idB = resolveOrganisationId(b) ?? organisationId(b);
  return idA !== '' && idA === idB;
}
