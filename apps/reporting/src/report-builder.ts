import {
  EXPLOITATION_TYPES,
  organisationName,
  POLICE_FORCE_AREAS,
  REGIONS,
  resolveOrganisationId,
} from '@harbour/domain';
import type { StatisticsRoute } from '@harbour/projections';
import type { ReportPeriod } from './report-period';
import {
  addCount,
  countTable,
  protectRelease,
  ROUTE_LABELS,
  type Category,
  type Cell,
  type CellRef,
  type DraftTable,
  type Relation,
  type ReportTable,
} from './report-table';
import type { CaseFacts } from './statistics-facts';
import { keyResults } from './key-results';

/** What a report is: the period, the position its figures stand at, and its tables. */
export interface Report {
  readonly period: ReportPeriod;
  /** The global position of the event store the figures are pinned to (decimal). */
  readonly position: string;
  readonly threshold: number;
  readonly cases: number;
  readonly tables: readonly ReportTable[];
  /** The relations between the tables' counts a reader knows (sums, one count in two tables). */
  readonly relations: readonly Relation[];
}

export interface ReportOptions {
  readonly position: bigint;
  /** Counts from 1 to threshold - 1 are suppressed (default 5). */
  readonly threshold: number;
  /**
   * The exploitation typology: `current` (criminal exploitation its own type, as since 2019) or
   * `2015`, the 2015 definitions' own, where criminal exploitation was counted under labour.
   */
  readonly typology?: Typology;
}

export type Typology = 'current' | '2015';

/** A case's exploitation types under the typology: in 2015's, criminal exploitation is labour. */
export function typologyTypes(types: readonly string[], typology: Typology): readonly string[] {
  if (typology === 'current') return types;
  const order = (type: string) => EXPLOITATION_TYPES.indexOf(type as (typeof EXPLOITATION_TYPES)[number]);
  return [...new Set(types.map((type) => (type === 'criminal' ? 'labour' : type)))].sort((a, b) => order(a) - order(b));
}

const DAY = 24 * 60 * 60 * 1000;

const AGE_COLUMNS: readonly Category[] = [
  { key: 'adult', labels: ['Adult (18 or over)'] },
  { key: 'child', labels: ['Child (17 or under)'] },
  { key: 'unknown', labels: ['Age not specified or unknown'] },
];
const AGE_SERIES = AGE_COLUMNS.map((column) => column.labels[0]);

const EXPLOITATION_LABELS: Readonly<Record<string, string>> = {
  labour: 'Labour',
  sexual: 'Sexual',
  'domestic-servitude': 'Domestic servitude',
  criminal: 'Criminal',
  'organ-harvesting': 'Organ harvesting',
  'not-specified': 'Not specified or unknown',
};

const FIRST_RESPONDER_LABELS: Readonly<Record<string, string>> = {
  'government-agency': 'Government agency',
  police: 'Police',
  'local-authority': 'Local authority',
  ngo: 'Non-governmental organisation',
};

const GENDER_LABELS: Readonly<Record<string, string>> = {
  female: 'Female',
  male: 'Male',
  other: 'Other',
  'not-known': 'Not known',
};

const EXPLOITATION_LOCATION_LABELS: Readonly<Record<string, string>> = {
  uk: 'UK only',
  overseas: 'Overseas only',
  both: 'UK and overseas',
};

const UK_COUNTRY_LABELS: Readonly<Record<string, string>> = {
  england: 'England',
  wales: 'Wales',
  scotland: 'Scotland',
  'northern-ireland': 'Northern Ireland',
};

/** The UK country of a police region: each region lies in one. */
function countryOfRegion(region: string): string {
  return region === 'wales' || region === 'scotland' || region === 'northern-ireland' ? region : 'england';
}

const DEADLINE_LABELS: Readonly<Record<string, string>> = {
  'lead-assessment': 'Lead assessment within 5 working days (pilot)',
  'reasonable-grounds-decision': 'Reasonable grounds decision within 5 working days (central)',
  'information-request': 'Information request answered within 10 working days',
};

const SMALL_WORDS = new Set(['and', 'of', 'the']);

/** `avon-and-somerset` as `Avon and Somerset`. */
export function humanise(id: string): string {
  return id
    .split('-')
    .map((word, i) => (i > 0 && SMALL_WORDS.has(word) ? word : word.charAt(0).toUpperCase() + word.slice(1)))
    .join(' ');
}

/**
 * An organisation as a report shows it: the name the registry gives it, by id or any spelling it
 * resolves; a name recorded before the registry that it does not know, as typed and marked
 * unverified, never re-capitalised into something that looks official.
 */
export function organisationLabel(recorded: string): string {
  const id = resolveOrganisationId(recorded);
  const name = id === undefined ? undefined : organisationName(id);
  return name ?? `${recorded} (unverified)`;
}

/** The registry id a recorded organisation names, or the recorded text when it names none. */
function organisationKey(recorded: string): string {
  return resolveOrganisationId(recorded) ?? recorded;
}

function exploitationLabel(types: readonly string[]): string {
  const names = types.map((type) => EXPLOITATION_LABELS[type] ?? humanise(type));
  if (names.length === 1) return types[0] === 'not-specified' ? names[0] : `${names[0]} only`;
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1].toLowerCase()}`;
}

function routesOf(facts: readonly CaseFacts[]): StatisticsRoute[] {
  const present = new Set(facts.map((fact) => fact.route));
  return (['pilot', 'central', 'other'] as const).filter((route) => route !== 'other' || present.has(route));
}

function within(time: number, start: number, end: number): boolean {
  return time >= start && time < end;
}

/** Nearest-rank percentile of sorted values (p in (0, 1]). */
export function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)];
}

function oneDecimal(value: number): number {
  return Math.round(value * 10) / 10;
}

/** The status a case was in at `time`: the last change at or before it, in the order recorded. */
function statusAt(fact: CaseFacts, time: number): string | undefined {
  let status: string | undefined;
  for (const [at, next] of fact.statusHistory) if (at <= time) status = next;
  return status;
}

/** The cell of `draft` in the row whose leading labels are `labels`, in `column`. */
function cellOf(draft: DraftTable, labels: readonly string[], column: string): CellRef {
  const row = draft.rows.findIndex((cells) => labels.every((label, i) => cells[i] === label));
  const at = draft.columns.indexOf(column);
  if (row < 0 || at < 0) throw new Error(`report: no cell ${labels.join(' / ')} / ${column} in ${draft.id}`);
  return { table: draft.id, row, column: at };
}

/** Builds every table of the report for `period` from the cases' facts, with disclosure control over them all. */
export async function buildReport(
  facts: readonly CaseFacts[],
  period: ReportPeriod,
  options: ReportOptions,
): Promise<Report> {
  const start = Date.parse(period.start);
  const end = Date.parse(period.end);
  const routes = routesOf(facts);
  const { threshold } = options;
  const typology = options.typology ?? 'current';
  const common = { routes, columnCategories: AGE_COLUMNS };
  const referred = facts.filter((fact) => within(fact.referredAt, start, end));

  // Referrals by exploitation type (single types and combinations) and age group.
  const exploitation = new Map<string, number>();
  const combinations = new Map<string, readonly string[]>();
  for (const fact of referred) {
    const types = typologyTypes(fact.exploitationTypes, typology);
    const key = types.join('+');
    combinations.set(key, types);
    addCount(exploitation, fact.route, key, fact.ageGroup);
  }
  const order = (types: readonly string[]) =>
    types.length * 100 + EXPLOITATION_TYPES.indexOf(types[0] as (typeof EXPLOITATION_TYPES)[number]);
  const combinationRows = [...combinations.entries()]
    .sort(([a, x], [b, y]) => order(x) - order(y) || (a < b ? -1 : 1))
    .map(([key, types]) => ({ key, labels: [exploitationLabel(types)] }));

  // Referrals by region and police force area.
  const forces = new Map<string, number>();
  const forceSeen = new Set<string>();
  for (const fact of referred) {
    const key = `${fact.region}/${fact.policeForceArea}`;
    forceSeen.add(key);
    addCount(forces, fact.route, key, fact.ageGroup);
  }
  const forceRows = REGIONS.flatMap((region) =>
    (POLICE_FORCE_AREAS[region] as readonly string[])
      .filter((force) => forceSeen.has(`${region}/${force}`))
      .map((force) => ({ key: `${region}/${force}`, labels: [humanise(region), humanise(force)] })),
  );

  const byKey = (
    select: (fact: CaseFacts) => string,
    labels: Readonly<Record<string, string>>,
  ): { counts: Map<string, number>; rows: Category[] } => {
    const counts = new Map<string, number>();
    for (const fact of referred) addCount(counts, fact.route, select(fact), fact.ageGroup);
    return { counts, rows: Object.entries(labels).map(([key, label]) => ({ key, labels: [label] })) };
  };
  const firstResponders = byKey((fact) => fact.firstResponderType, FIRST_RESPONDER_LABELS);
  const genders = byKey((fact) => fact.gender, GENDER_LABELS);
  const locations = byKey((fact) => fact.exploitationLocation, EXPLOITATION_LOCATION_LABELS);
  const countries = byKey((fact) => countryOfRegion(fact.region), UK_COUNTRY_LABELS);
  const allocations = byKey(allocationOf, ALLOCATION_LABELS);

  // Decisions made in the period, by stage and outcome.
  const decisions = new Map<string, number>();
  const activity = new Map<string, number>();
  const misses = new Map<string, number>();
  for (const fact of facts) {
    for (const milestone of fact.milestones) {
      if (!within(milestone.time, start, end)) continue;
      switch (milestone.kind) {
        case 'first-gate':
          addCount(decisions, fact.route, `first-gate/${milestone.outcome}`, fact.ageGroup);
          break;
        case 'conclusive-decision':
          addCount(decisions, fact.route, `conclusive/${milestone.outcome}`, fact.ageGroup);
          break;
        case 'second-review':
          addCount(decisions, fact.route, `review/${milestone.outcome}`, fact.ageGroup);
          break;
        case 'reconsideration-requested':
          addCount(decisions, fact.route, `reconsideration/${milestone.of}`, fact.ageGroup);
          break;
        case 'withdrawn':
        case 'suspended':
        case 'resumed':
        case 'closed':
        case 'information-requested':
          addCount(activity, fact.route, milestone.kind, fact.ageGroup);
          break;
        case 'deadline-missed':
          addCount(misses, fact.route, milestone.deadline, fact.ageGroup);
          break;
        case 'listed':
        case 'panel-sitting':
          break;
      }
    }
  }

  // Cases awaiting a decision at the end of the period.
  const awaiting = new Map<string, number>();
  const ages = new Map<string, number[]>();
  const lastMoment = end - 1;
  for (const fact of facts) {
    if (fact.referredAt > lastMoment) continue;
    const stage = awaitingStage(statusAt(fact, lastMoment));
    if (!stage) continue;
    addCount(awaiting, fact.route, stage, fact.ageGroup);
    for (const key of [`all/${stage}`, `${fact.route}/${stage}`]) {
      ages.set(key, [...(ages.get(key) ?? []), (end - fact.referredAt) / DAY]);
    }
  }

  const drafts: DraftTable[] = [
    countTable({
      ...common,
      id: 'referrals-by-exploitation-type-and-age',
      title: 'Referrals by exploitation type and age at exploitation',
      description: `Referrals raised from ${period.description}, by the exploitation type or combination of types reported, and age group at exploitation.`,
      rowHeaders: ['Exploitation type'],
      rowCategories: combinationRows,
      counts: exploitation,
      notes:
        typology === '2015'
          ? [
              'The 2015 typology, as the 2015 definitions had it: criminal exploitation is counted under labour, so "Labour" includes it and no criminal category is shown.',
            ]
          : [],
      chart: {
        kind: 'grouped-bar',
        category: 'Exploitation type',
        series: [...AGE_SERIES, 'Total'],
        route: ROUTE_LABELS.all,
        xTitle: 'Referrals',
      },
    }),
    countTable({
      ...common,
      id: 'referrals-by-region-and-police-force-area',
      title: 'Referrals by region and police force area',
      description: `Referrals raised from ${period.description}, by the police region and force area of the referral. The region decides the route: the pilot regions (South West, West Yorkshire) run the pilot definition.`,
      rowHeaders: ['Region', 'Police force area'],
      rowCategories: forceRows,
      counts: forces,
      chart: {
        kind: 'grouped-bar',
        category: 'Police force area',
        series: ['Total'],
        byRoute: true,
        xTitle: 'Referrals',
      },
    }),
    countTable({
      ...common,
      id: 'referrals-by-first-responder-type',
      title: 'Referrals by first responder type',
      description: `Referrals raised from ${period.description}, by the kind of first responder organisation that referred.`,
      rowHeaders: ['First responder type'],
      rowCategories: firstResponders.rows,
      counts: firstResponders.counts,
      chart: {
        kind: 'grouped-bar',
        category: 'First responder type',
        series: ['Total'],
        byRoute: true,
        xTitle: 'Referrals',
      },
    }),
    countTable({
      ...common,
      id: 'referrals-by-gender',
      title: 'Referrals by gender',
      description: `Referrals raised from ${period.description}, by gender as the potential victim gave it.`,
      rowHeaders: ['Gender'],
      rowCategories: genders.rows,
      counts: genders.counts,
      chart: {
        kind: 'grouped-bar',
        category: 'Gender',
        series: [...AGE_SERIES, 'Total'],
        route: ROUTE_LABELS.all,
        xTitle: 'Referrals',
      },
    }),
    countTable({
      ...common,
      id: 'referrals-by-uk-country',
      title: 'Referrals by UK country',
      description: `Referrals raised from ${period.description}, by the UK country of the police region that referred.`,
      rowHeaders: ['UK country'],
      rowCategories: countries.rows,
      counts: countries.counts,
      chart: { kind: 'grouped-bar', category: 'UK country', series: ['Total'], byRoute: true, xTitle: 'Referrals' },
    }),
    countTable({
      ...common,
      id: 'referrals-by-competent-authority-allocation',
      title: 'Referrals by competent authority allocation',
      description: `Referrals raised from ${period.description}, by the competent authority the central route allocated them to by nationality (2015: the UKHTC for EEA nationals, UKVI for everyone else). On the pilot the regional panel decides and nothing is allocated.`,
      rowHeaders: ['Allocated to'],
      rowCategories: allocations.rows,
      counts: allocations.counts,
      chart: { kind: 'grouped-bar', category: 'Allocated to', series: ['Total'], byRoute: true, xTitle: 'Referrals' },
    }),
    countTable({
      ...common,
      id: 'referrals-by-exploitation-location',
      title: 'Referrals by exploitation location',
      description: `Referrals raised from ${period.description}, by where the exploitation took place: in the UK, overseas, or both.`,
      rowHeaders: ['Exploitation location'],
      rowCategories: locations.rows,
      counts: locations.counts,
      chart: {
        kind: 'grouped-bar',
        category: 'Exploitation location',
        series: ['Total'],
        byRoute: true,
        xTitle: 'Referrals',
      },
    }),
    countTable({
      ...common,
      id: 'decisions-by-stage-and-outcome',
      title: 'Decisions by stage and outcome',
      description: `Decisions made from ${period.description}, whenever the case was referred. The first gate is the lead's assessment on the pilot and the competent authority's reasonable grounds decision on the central route; the conclusive grounds decision is the panel's (pilot) or the competent authority's (central).`,
      rowHeaders: ['Stage', 'Outcome'],
      rowCategories: [
        { key: 'first-gate/positive', labels: ['First gate (lead assessment or reasonable grounds)', 'Positive'] },
        { key: 'first-gate/negative', labels: ['First gate (lead assessment or reasonable grounds)', 'Negative'] },
        { key: 'conclusive/positive', labels: ['Conclusive grounds', 'Positive'] },
        { key: 'conclusive/negative', labels: ['Conclusive grounds', 'Negative'] },
        { key: 'review/upheld', labels: ['Second review of a negative decision', 'Upheld'] },
        { key: 'review/overturned', labels: ['Second review of a negative decision', 'Overturned'] },
        { key: 'reconsideration/first-gate', labels: ['Reconsideration requested', 'Of a first gate decision'] },
        {
          key: 'reconsideration/conclusive-decision',
          labels: ['Reconsideration requested', 'Of a conclusive decision'],
        },
      ],
      counts: decisions,
      rowTotal: false,
      chart: {
        kind: 'grouped-bar',
        category: ['Stage', 'Outcome'],
        series: ['Total'],
        byRoute: true,
        xTitle: 'Decisions',
      },
    }),
    competentAuthorityTable(facts, start, end, period),
    timelinessTable(facts, start, end, routes),
    countTable({
      ...common,
      id: 'awaiting-decision-at-period-end',
      title: 'Cases awaiting a decision at the end of the period',
      description: `Cases referred by ${period.description.split(' to ')[1]} and, at the end of that day, still awaiting a decision, by the decision awaited.`,
      rowHeaders: ['Awaiting'],
      rowCategories: AWAITING_ROWS,
      counts: awaiting,
      chart: { kind: 'grouped-bar', category: 'Awaiting', series: ['Total'], byRoute: true, xTitle: 'Cases' },
    }),
    ageOfCaseTable(ages, routes),
    countTable({
      ...common,
      id: 'deadline-misses',
      title: 'Deadline misses',
      description: `Deadlines that fell due from ${period.description} and were missed (recorded by the deadline scheduler; a deadline met late is still a miss). Deadlines are soft targets, never a block.`,
      rowHeaders: ['Deadline'],
      rowCategories: Object.entries(DEADLINE_LABELS).map(([key, label]) => ({ key, labels: [label] })),
      counts: misses,
      chart: {
        kind: 'grouped-bar',
        category: 'Deadline',
        series: ['Total'],
        byRoute: true,
        xTitle: 'Deadlines missed',
      },
    }),
    countTable({
      ...common,
      id: 'withdrawals-suspensions-and-closures',
      title: 'Withdrawals, suspensions, information requests and closures',
      description: `Other events in the life of cases from ${period.description}.`,
      rowHeaders: ['Event'],
      rowCategories: [
        { key: 'withdrawn', labels: ['Referral withdrawn (adults only)'] },
        { key: 'suspended', labels: ['Case suspended'] },
        { key: 'resumed', labels: ['Case resumed'] },
        { key: 'information-requested', labels: ['Information requested'] },
        { key: 'closed', labels: ['Case closed'] },
      ],
      counts: activity,
      rowTotal: false,
    }),
    ...panelTables(facts, start, end, period),
  ];
  const { tables, relations } = await protectRelease(drafts, linksBetween(drafts, routes), threshold);
  return {
    period,
    position: options.position.toString(),
    threshold,
    cases: facts.length,
    tables: [keyResults(facts, period, tables, threshold), ...tables],
    relations,
  };
}

/**
 * Counts published in more than one table: each pair is a relation a reader can use, so the
 * release is protected (and audited) with them.
 */
function linksBetween(drafts: readonly DraftTable[], routes: readonly StatisticsRoute[]): Relation[] {
  const table = (id: string) => drafts.find((draft) => draft.id === id) as DraftTable;
  const routeLabels = ['all' as const, ...routes].map((route) => ROUTE_LABELS[route]);
  const links: Relation[] = [];
  const same = (total: CellRef, part: CellRef) => links.push({ total, parts: [part] });
  // Every referrals table has the same total row: referrals by route and age.
  const exploitation = table('referrals-by-exploitation-type-and-age');
  for (const id of [
    'referrals-by-region-and-police-force-area',
    'referrals-by-first-responder-type',
    'referrals-by-gender',
    'referrals-by-uk-country',
    'referrals-by-exploitation-location',
  ]) {
    for (const route of routeLabels) {
      for (const column of [...AGE_SERIES, 'Total']) {
        same(cellOf(exploitation, [route, 'Total'], column), cellOf(table(id), [route, 'Total'], column));
      }
    }
  }
  // Cases awaiting a decision, and the count beside their age.
  const awaiting = table('awaiting-decision-at-period-end');
  const age = table('age-of-cases-awaiting-decision');
  for (const route of routeLabels) {
    for (const row of AWAITING_ROWS) {
      same(cellOf(awaiting, [route, row.labels[0]], 'Total'), cellOf(age, [route, row.labels[0]], 'Cases'));
    }
  }
  // Days to conclusive decisions: from the first gate and from referral count the same decisions.
  const timeliness = table('decision-timeliness');
  for (const route of routeLabels) {
    same(
      cellOf(timeliness, [route, 'First gate to conclusive decision'], 'Decisions'),
      cellOf(timeliness, [route, 'Referral to conclusive decision'], 'Decisions'),
    );
  }
  // The competent authorities' decisions are the central route's.
  const decisions = table('decisions-by-stage-and-outcome');
  const authorities = table('decisions-by-competent-authority');
  if (routes.includes('central')) {
    for (const stage of AUTHORITY_STAGES) {
      const decisionStage =
        stage.kind === 'first-gate' ? 'First gate (lead assessment or reasonable grounds)' : 'Conclusive grounds';
      for (const outcome of ['Positive', 'Negative']) {
        same(
          cellOf(decisions, [ROUTE_LABELS.central, decisionStage, outcome], 'Total'),
          cellOf(authorities, [stage.label, ALL_AUTHORITIES], outcome),
        );
      }
    }
  }
  // The pilot's conclusive decisions are its panels'.
  const panels = table('panel-activity');
  if (panels.rows.some((row) => row[1] === 'All panels')) {
    for (const [outcome, column] of [
      ['Positive', 'Decisions: positive'],
      ['Negative', 'Decisions: negative'],
    ]) {
      same(
        cellOf(decisions, [ROUTE_LABELS.pilot, 'Conclusive grounds', outcome], 'Total'),
        cellOf(panels, [ROUTE_LABELS.pilot, 'All panels'], column),
      );
    }
  }
  return links;
}

const AUTHORITIES = ['uk-human-trafficking-centre', 'uk-visas-and-immigration'] as const;
const ALL_AUTHORITIES = 'All competent authorities';
const AUTHORITY_STAGES = [
  { kind: 'first-gate', label: 'Reasonable grounds decision' },
  { kind: 'conclusive-decision', label: 'Conclusive grounds decision' },
] as const;

const ALLOCATION_LABELS: Readonly<Record<string, string>> = {
  'uk-human-trafficking-centre': 'UK Human Trafficking Centre (EEA nationals)',
  'uk-visas-and-immigration': 'UK Visas and Immigration (other nationals)',
  'regional-panel': 'Regional panel (pilot: no allocation)',
  'not-recorded': 'Not recorded (central cases raised before allocation)',
};

/** The competent authority a case was allocated to, or why it has none. */
function allocationOf(fact: CaseFacts): string {
  if (fact.route === 'pilot') return 'regional-panel';
  const allocated = fact.milestones.find((milestone) => milestone.kind === 'allocated');
  return allocated && allocated.authority in ALLOCATION_LABELS ? allocated.authority : 'not-recorded';
}

/**
 * Decisions on the central route by the competent authority that made them (UKHTC, UKVI), as
 * the NRM statistics publish them: each stage's authorities add up to its row of all
 * authorities, which is the central route's figure in the decisions table.
 */
function competentAuthorityTable(
  facts: readonly CaseFacts[],
  start: number,
  end: number,
  period: ReportPeriod,
): DraftTable {
  const id = 'decisions-by-competent-authority';
  const authorities = [...AUTHORITIES.map(organisationLabel), 'Other or not recorded'];
  const counts = new Map<string, number>();
  for (const fact of facts) {
    if (fact.route !== 'central') continue;
    for (const milestone of fact.milestones) {
      if (!within(milestone.time, start, end)) continue;
      if (milestone.kind !== 'first-gate' && milestone.kind !== 'conclusive-decision') continue;
      // Decisions recorded before the registry named the authority as typed (`UKHTC`): by its id.
      const known = AUTHORITIES.indexOf(organisationKey(milestone.authority ?? '') as (typeof AUTHORITIES)[number]);
      const key = `${milestone.kind}/${known < 0 ? authorities.length - 1 : known}/${milestone.outcome}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  }
  const rows: Cell[][] = [];
  const protect: CellRef[] = [];
  const relations: Relation[] = [];
  const per = authorities.length + 1;
  const at = (s: number, a: number, column: number): CellRef => ({ table: id, row: s * per + a, column });
  AUTHORITY_STAGES.forEach((stage, s) => {
    const lines = authorities.map((_, a) =>
      ['positive', 'negative'].map((o) => counts.get(`${stage.kind}/${a}/${o}`) ?? 0),
    );
    const all = [0, 1].map((o) => lines.reduce((sum, line) => sum + line[o], 0));
    [...lines, all].forEach((line, a) => {
      rows.push([stage.label, a < authorities.length ? authorities[a] : ALL_AUTHORITIES, ...line, line[0] + line[1]]);
      for (const column of [2, 3, 4]) protect.push(at(s, a, column));
      relations.push({ total: at(s, a, 4), parts: [at(s, a, 2), at(s, a, 3)] });
    });
    for (const column of [2, 3, 4]) {
      relations.push({ total: at(s, authorities.length, column), parts: authorities.map((_, a) => at(s, a, column)) });
    }
  });
  return {
    id,
    title: 'Decisions by competent authority (central route)',
    description: `Reasonable grounds and conclusive grounds decisions made on the central route from ${period.description}, by the competent authority that made them. On the pilot, leads and regional panels decide instead.`,
    columns: ['Stage', 'Competent authority', 'Positive', 'Negative', 'Total'],
    labelColumns: 2,
    rows,
    protect,
    relations,
    notes: ['The authority is the agency of the caseworker who recorded the decision.'],
  };
}

const AWAITING_ROWS: readonly Category[] = [
  { key: 'first-gate', labels: ['First gate decision (lead assessment or reasonable grounds)'] },
  { key: 'conclusive', labels: ['Conclusive grounds decision, after a positive first gate'] },
  { key: 'review', labels: ['Second review of a negative decision'] },
  { key: 'suspended', labels: ['Suspended'] },
];

function awaitingStage(status: string | undefined): string | undefined {
  switch (status) {
    case 'referred':
      return 'first-gate';
    case 'recovery':
    case 'listed':
    case 'panel-convened':
      return 'conclusive';
    case 'decided-negative':
      return 'review';
    case 'suspended':
      return 'suspended';
    default:
      return undefined;
  }
}

// A table of counts with medians and 90th percentiles: the count is protected like any other
// (with the routes as an additive group), and the median and 90th percentile are hidden with it.
function durationTable(
  id: string,
  title: string,
  description: string,
  measures: readonly { readonly label: string; readonly byRoute: ReadonlyMap<string, number[]> }[],
  routes: readonly StatisticsRoute[],
  countLabel: string,
  notes: readonly string[],
  chartTitle: string,
): DraftTable {
  const keys = ['all', ...routes] as const;
  const rows: Cell[][] = [];
  const protect: CellRef[] = [];
  const hiddenWith: { count: CellRef; figures: CellRef[] }[] = [];
  const relations: Relation[] = [];
  const at = (k: number, m: number, column: number): CellRef => ({ table: id, row: k * measures.length + m, column });
  keys.forEach((key, k) => {
    measures.forEach(({ label, byRoute }, m) => {
      const sample = [...(byRoute.get(key) ?? [])].sort((a, b) => a - b);
      const empty = sample.length === 0;
      rows.push([
        ROUTE_LABELS[key],
        label,
        sample.length,
        empty ? '..' : oneDecimal(percentile(sample, 0.5)),
        empty ? '..' : oneDecimal(percentile(sample, 0.9)),
      ]);
      protect.push(at(k, m, 2));
      hiddenWith.push({ count: at(k, m, 2), figures: empty ? [] : [at(k, m, 3), at(k, m, 4)] });
    });
  });
  measures.forEach((_, m) => relations.push({ total: at(0, m, 2), parts: routes.map((__, k) => at(k + 1, m, 2)) }));
  return {
    id,
    title,
    description,
    columns: ['Route', 'Measure', countLabel, 'Median days', '90th percentile days'],
    labelColumns: 2,
    rows,
    protect,
    hiddenWith,
    relations,
    notes,
    chart: { kind: 'grouped-bar', category: 'Measure', series: ['Median days'], byRoute: true, xTitle: chartTitle },
  };
}

function timelinessTable(
  facts: readonly CaseFacts[],
  start: number,
  end: number,
  routes: readonly StatisticsRoute[],
): DraftTable {
  const toFirstGate = new Map<string, number[]>();
  const toConclusive = new Map<string, number[]>();
  const referralToConclusive = new Map<string, number[]>();
  const add = (map: Map<string, number[]>, route: string, days: number) => {
    for (const key of ['all', route]) map.set(key, [...(map.get(key) ?? []), days]);
  };
  for (const fact of facts) {
    let firstGateSeen = false;
    let lastPositiveGate: number | undefined;
    let conclusiveSeen = false;
    for (const milestone of fact.milestones) {
      if (milestone.kind === 'first-gate') {
        if (!firstGateSeen && within(milestone.time, start, end)) {
          add(toFirstGate, fact.route, (milestone.time - fact.referredAt) / DAY);
        }
        firstGateSeen = true;
        if (milestone.outcome === 'positive') lastPositiveGate = milestone.time;
      }
      if (milestone.kind === 'conclusive-decision') {
        if (!conclusiveSeen && within(milestone.time, start, end) && lastPositiveGate !== undefined) {
          add(toConclusive, fact.route, (milestone.time - lastPositiveGate) / DAY);
          add(referralToConclusive, fact.route, (milestone.time - fact.referredAt) / DAY);
        }
        conclusiveSeen = true;
      }
    }
  }
  return durationTable(
    'decision-timeliness',
    'Days to decisions made in the period',
    'Days from referral to the first gate decision (the first one, for first gate decisions made in the period), and from the positive first gate to the first conclusive grounds decision (for conclusive decisions made in the period), in business time.',
    [
      { label: 'Referral to first gate decision', byRoute: toFirstGate },
      { label: 'First gate to conclusive decision', byRoute: toConclusive },
      { label: 'Referral to conclusive decision', byRoute: referralToConclusive },
    ],
    routes,
    'Decisions',
    [
      'Percentiles are nearest-rank: the median is the value half of the decisions reach, the 90th percentile the value 90% reach. Days are calendar days, to one decimal place.',
      'On the central route the conclusive decision cannot come before the 45-day recovery period has run; on the pilot the panel decides at its first meeting after that.',
    ],
    'Median days',
  );
}

function ageOfCaseTable(ages: ReadonlyMap<string, number[]>, routes: readonly StatisticsRoute[]): DraftTable {
  const measures = AWAITING_ROWS.map((row) => ({
    label: row.labels[0],
    byRoute: new Map(['all', ...routes].map((route) => [route, ages.get(`${route}/${row.key}`) ?? []])),
  }));
  return durationTable(
    'age-of-cases-awaiting-decision',
    'Age of cases awaiting a decision at the end of the period',
    "Days from referral to the end of the period for the cases awaiting a decision then (as the NRM microdata's age_of_case).",
    measures,
    routes,
    'Cases',
    ['Percentiles are nearest-rank, in calendar days to one decimal place.'],
    'Median days since referral',
  );
}

// Panel activity: meetings held, cases considered and decided, and who attended. Counts of cases
// are suppressed; meetings and members' attendance are about the panels and their staff, not about
// potential victims, and are published whole.
function panelTables(facts: readonly CaseFacts[], start: number, end: number, period: ReportPeriod): DraftTable[] {
  interface MeetingActivity {
    panelId: string;
    sittings: number;
    attendance: Map<string, number>;
  }
  const meetings = new Map<string, MeetingActivity>();
  const decided = new Map<string, { positive: number; negative: number }>();
  for (const fact of facts) {
    for (const milestone of fact.milestones) {
      if (!within(milestone.time, start, end)) continue;
      if (milestone.kind === 'panel-sitting') {
        const meeting = meetings.get(milestone.meetingId) ?? {
          panelId: milestone.panelId,
          sittings: 0,
          attendance: new Map<string, number>(),
        };
        meeting.sittings += 1;
        // The members at a meeting: for each agency, the most present for any one case there.
        for (const [recorded, count] of Object.entries(milestone.byAgency)) {
          // One row per organisation, however panels recorded before the registry spelled it.
          const agency = organisationKey(recorded);
          meeting.attendance.set(agency, Math.max(meeting.attendance.get(agency) ?? 0, count));
        }
        meetings.set(milestone.meetingId, meeting);
      }
      if (milestone.kind === 'conclusive-decision' && milestone.by === 'panel' && milestone.meetingId) {
        const panelId = [...fact.milestones]
          .reverse()
          .find((m) => m.kind === 'panel-sitting' && m.meetingId === milestone.meetingId);
        const key = panelId && panelId.kind === 'panel-sitting' ? panelId.panelId : 'unknown';
        const tally = decided.get(key) ?? { positive: 0, negative: 0 };
        tally[milestone.outcome] += 1;
        decided.set(key, tally);
      }
    }
  }
  const panels = [...new Set([...meetings.values()].map((meeting) => meeting.panelId))].sort();
  const perPanel = panels.map((panelId) => {
    const held = [...meetings.values()].filter((meeting) => meeting.panelId === panelId);
    const members = held.reduce((sum, meeting) => sum + [...meeting.attendance.values()].reduce((a, b) => a + b, 0), 0);
    return {
      panelId,
      meetings: held.length,
      cases: held.reduce((sum, meeting) => sum + meeting.sittings, 0),
      positive: decided.get(panelId)?.positive ?? 0,
      negative: decided.get(panelId)?.negative ?? 0,
      members,
    };
  });
  const total = perPanel.reduce(
    (sum, panel) => ({
      panelId: 'All panels',
      meetings: sum.meetings + panel.meetings,
      cases: sum.cases + panel.cases,
      positive: sum.positive + panel.positive,
      negative: sum.negative + panel.negative,
      members: sum.members + panel.members,
    }),
    { panelId: 'All panels', meetings: 0, cases: 0, positive: 0, negative: 0, members: 0 },
  );
  const lines = [...perPanel, total];
  // Case counts: each column is the panels and their total.
  const n = lines.length;
  const at = (i: number, column: number): CellRef => ({ table: 'panel-activity', row: i, column });
  const caseColumns = [3, 4, 5];
  const activity: DraftTable = {
    id: 'panel-activity',
    title: 'Panel activity',
    description: `Regional panel meetings held from ${period.description}: meetings, cases considered and decided, and members attending.`,
    columns: [
      'Route',
      'Panel',
      'Meetings held',
      'Cases considered',
      'Decisions: positive',
      'Decisions: negative',
      'Members attending (per meeting)',
    ],
    labelColumns: 2,
    rows: [
      ...lines.map((line): Cell[] => [
        ROUTE_LABELS.pilot,
        line.panelId === 'All panels' ? line.panelId : humanise(line.panelId),
        line.meetings,
        line.cases,
        line.positive,
        line.negative,
        line.meetings === 0 ? '..' : oneDecimal(line.members / line.meetings),
      ]),
      [ROUTE_LABELS.central, 'No panels: the competent authority decides', '..', '..', '..', '..', '..'],
    ],
    protect: lines.flatMap((_, i) => caseColumns.map((column) => at(i, column))),
    relations: caseColumns.map((column) => ({
      total: at(n - 1, column),
      parts: lines.slice(0, -1).map((_, i) => at(i, column)),
    })),
    notes: [
      'Members attending: the members present and taking part (not the chair, not a member who declared a conflict), counted once per meeting.',
      'Meetings and attendance are about the panels and their staff, not about potential victims, and are not suppressed.',
    ],
  };
  const agencies = [...new Set([...meetings.values()].flatMap((meeting) => [...meeting.attendance.keys()]))].sort();
  const attendance: DraftTable = {
    id: 'panel-attendance-by-agency',
    title: 'Panel attendance by agency',
    description: `Member attendances at regional panel meetings from ${period.description}, by the member's agency: each member counts once per meeting attended.`,
    columns: ['Route', 'Agency', ...panels.map(humanise), 'All panels'],
    labelColumns: 2,
    rows: agencies.map((agency): Cell[] => {
      const byPanel = panels.map((panelId) =>
        [...meetings.values()]
          .filter((meeting) => meeting.panelId === panelId)
          .reduce((sum, meeting) => sum + (meeting.attendance.get(agency) ?? 0), 0),
      );
      return [ROUTE_LABELS.pilot, organisationLabel(agency), ...byPanel, byPanel.reduce((a, b) => a + b, 0)];
    }),
    notes: ['The central route has no panels.'],
    protect: [],
    relations: [],
    chart: { kind: 'grouped-bar', category: 'Agency', series: panels.map(humanise), xTitle: 'Member attendances' },
  };
  return [activity, attendance];
}
