import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { SYNTHETIC_REFERRALS_CONFIG } from '@harbour/synthetic';
import { InvalidPositionError, SqliteEventStore } from '@harbour/event-store';
import { ProjectionRunner, STATISTICS } from '@harbour/projections';
import { SqliteReadStore } from '@harbour/read-store';
import { parsePeriod, type ReportPeriod } from '../src/report-period';
import type { Report } from '../src/report-builder';
import { ROUTE_LABELS, type ReportTable } from '../src/report-table';
import { runReportJob } from '../src/report.job';
import type { Revisions } from '../src/revisions';
import { SUPPRESSED } from '../src/suppression';
import { CHROMIUM_PATH, itWithChromium } from './support/chromium';
import { seedCases } from './support/seed';

const CASES = 3000;
const QUARTERS = ['2025-Q3', '2025-Q4', '2026-Q1', '2026-Q2', '2026-Q3'];
const config = SYNTHETIC_REFERRALS_CONFIG;

const period = (label: string) => parsePeriod(label) as ReportPeriod;

// RFC 4180: fields quoted where they hold a comma, a quote or a line break.
function csv(dir: string, table: string): string[][] {
  const text = readFileSync(join(dir, `${table}.csv`), 'utf8');
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  for (let i = 0; i < text.length; i += 1) {
    const char = text[i];
    if (char === '"') {
      for (i += 1; i < text.length; i += 1) {
        if (text[i] === '"' && text[i + 1] === '"') {
          field += '"';
          i += 1;
        } else if (text[i] === '"') break;
        else field += text[i];
      }
    } else if (char === ',') {
      row.push(field);
      field = '';
    } else if (char === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i += 1;
    } else field += char;
  }
  return rows;
}

function share(weights: Readonly<Record<string, number>>, key: string): number {
  const total = Object.values(weights).reduce((a, b) => a + b, 0);
  return weights[key] / total;
}

describe('reporting on seeded synthetic referrals', () => {
  const root = mkdtempSync(join(tmpdir(), 'harbour-reporting-'));
  const out = join(root, 'reports');
  const store = new SqliteEventStore({ filename: ':memory:' });
  const readStore = new SqliteReadStore({ filename: ':memory:' });
  const stores = { eventStore: store, readStore };
  const quarterDirs = new Map<string, string>();
  const quarterReports = new Map<string, Report>();

  beforeAll(async () => {
    await seedCases(store, readStore, {
      cases: CASES,
      seed: 'reporting-spec',
      from: '2025-07-01T00:00:00Z',
      to: '2026-09-30T23:59:59Z',
    });
    for (const label of QUARTERS) {
      const job = await runReportJob(stores, { period: period(label), out, threshold: 5 });
      quarterDirs.set(label, job.dir);
      quarterReports.set(label, job.report);
    }
  }, 300_000);

  afterAll(async () => {
    await readStore.close();
    await store.close();
    rmSync(root, { recursive: true, force: true });
  });

  // Referrals summed over the five quarters the seed covers: every referral is in one of them.
  function totals(table: string): Map<string, number> {
    const sums = new Map<string, number>();
    for (const dir of quarterDirs.values()) {
      const [header, ...rows] = csv(dir, table);
      const total = header.indexOf('Total');
      for (const row of rows.filter((line) => line[0] === 'All routes')) {
        // A suppressed total (a rare category) makes its sum NaN, which fails any share compared.
        const value = row[total] === SUPPRESSED ? Number.NaN : Number(row[total]);
        sums.set(row[1], (sums.get(row[1]) ?? 0) + value);
      }
    }
    return sums;
  }

  // Tolerance: about 3.5 standard errors of a share of 3,000 (±0.03), more for fewer decisions.
  const TOLERANCE = 0.03;

  it('publishes shares that match the generator configuration within ±0.03', () => {
    const ageRows = (() => {
      const sums = new Map<string, number>();
      for (const dir of quarterDirs.values()) {
        const [header, ...rows] = csv(dir, 'referrals-by-gender');
        const total = rows.find((row) => row[0] === 'All routes' && row[1] === 'Total') as string[];
        header.slice(2).forEach((column, i) => sums.set(column, (sums.get(column) ?? 0) + Number(total[i + 2])));
      }
      return sums;
    })();
    const referrals = ageRows.get('Total') ?? 0;
    expect(referrals).toBe(CASES);
    expect(
      Math.abs((ageRows.get('Child (17 or under)') ?? 0) / referrals - share(config.ageAtExploitation, 'child')),
    ).toBeLessThan(TOLERANCE);
    expect(
      Math.abs((ageRows.get('Adult (18 or over)') ?? 0) / referrals - share(config.ageAtExploitation, 'adult')),
    ).toBeLessThan(TOLERANCE);

    const genders = totals('referrals-by-gender');
    expect(Math.abs((genders.get('Female') ?? 0) / referrals - share(config.gender, 'female'))).toBeLessThan(TOLERANCE);
    expect(Math.abs((genders.get('Male') ?? 0) / referrals - share(config.gender, 'male'))).toBeLessThan(TOLERANCE);

    const responders = totals('referrals-by-first-responder-type');
    for (const [key, label] of [
      ['government-agency', 'Government agency'],
      ['police', 'Police'],
      ['local-authority', 'Local authority'],
      ['ngo', 'Non-governmental organisation'],
    ] as const) {
      expect([
        label,
        Math.abs((responders.get(label) ?? 0) / referrals - share(config.firstResponderType, key)) < TOLERANCE,
      ]).toEqual([label, true]);
    }

    // Criminal exploitation only: the children's largest category, and a share of adults'.
    const exploitation = totals('referrals-by-exploitation-type-and-age');
    const ageShares = config.ageAtExploitation;
    const criminalOnly =
      share(ageShares, 'child') * share(config.exploitation.child, 'criminal') +
      (1 - share(ageShares, 'child')) * share(config.exploitation.adult, 'criminal');
    expect(Math.abs((exploitation.get('Criminal only') ?? 0) / referrals - criminalOnly)).toBeLessThan(TOLERANCE);
    const labourOnly =
      share(ageShares, 'child') * share(config.exploitation.child, 'labour') +
      (1 - share(ageShares, 'child')) * share(config.exploitation.adult, 'labour');
    expect(Math.abs((exploitation.get('Labour only') ?? 0) / referrals - labourOnly)).toBeLessThan(TOLERANCE);

    // Pilot against central: the pilot regions' share of referrals.
    let pilot = 0;
    for (const dir of quarterDirs.values()) {
      const [header, ...rows] = csv(dir, 'referrals-by-gender');
      const row = rows.find((line) => line[0].startsWith('Pilot') && line[1] === 'Total') as string[];
      pilot += Number(row[header.indexOf('Total')]);
    }
    const pilotShare = share(config.region, 'south-west') + share(config.region, 'west-yorkshire');
    expect(Math.abs(pilot / referrals - pilotShare)).toBeLessThan(TOLERANCE);

    // Outcomes: positive shares of first gate and conclusive decisions (fewer decisions: ±0.05).
    const decisions = new Map<string, number>();
    for (const dir of quarterDirs.values()) {
      const [header, ...rows] = csv(dir, 'decisions-by-stage-and-outcome');
      const total = (stage: string, outcome: string) =>
        rows.find((line) => line[0] === 'All routes' && line[1] === stage && line[2] === outcome)?.[
          header.indexOf('Total')
        ];
      for (const stage of ['First gate (lead assessment or reasonable grounds)', 'Conclusive grounds']) {
        const pair = [total(stage, 'Positive'), total(stage, 'Negative')];
        // A quarter with few decisions (the first) may suppress them: it is left out whole.
        if (pair.includes(SUPPRESSED)) continue;
        decisions.set(`${stage}/Positive`, (decisions.get(`${stage}/Positive`) ?? 0) + Number(pair[0]));
        decisions.set(`${stage}/Negative`, (decisions.get(`${stage}/Negative`) ?? 0) + Number(pair[1]));
      }
    }
    const positiveShare = (stage: string) => {
      const positive = decisions.get(`${stage}/Positive`) ?? 0;
      return positive / (positive + (decisions.get(`${stage}/Negative`) ?? 0));
    };
    expect(
      Math.abs(positiveShare('First gate (lead assessment or reasonable grounds)') - config.firstGatePositive),
    ).toBeLessThan(0.05);
    expect(Math.abs(positiveShare('Conclusive grounds') - config.conclusivePositive)).toBeLessThan(0.05);
  });

  it('counts panel meetings and the cases deferred and adjourned, per quarter and pilot region', () => {
    let meetings = 0;
    let deferred = 0;
    let adjourned = 0;
    for (const [label, dir] of quarterDirs) {
      const [header, ...rows] = csv(dir, 'panel-meetings-and-deferrals');
      expect(header).toEqual(['Route', 'Panel', 'Meetings held', 'Cases deferred', 'Cases adjourned']);
      // One row per pilot region's panel, and their total.
      expect([label, rows.map((row) => row[1])]).toEqual([label, ['South West', 'West Yorkshire', 'All panels']]);
      const total = rows[2];
      // The panels meet fortnightly: six or seven meetings a quarter each, once cases reach them.
      if (label !== '2025-Q3') {
        for (const row of rows.slice(0, 2)) expect([label, Number(row[2]) >= 5]).toEqual([label, true]);
      }
      expect(Number(total[2])).toBe(Number(rows[0][2]) + Number(rows[1][2]));
      meetings += Number(total[2]);
      // Counts of cases: 0, at least the threshold, or suppressed.
      for (const row of rows) {
        for (const cell of row.slice(3)) {
          expect([label, cell === SUPPRESSED || Number(cell) === 0 || Number(cell) >= 5]).toEqual([label, true]);
        }
      }
      if (total[3] !== SUPPRESSED) deferred += Number(total[3]);
      if (total[4] !== SUPPRESSED) adjourned += Number(total[4]);
    }
    expect(meetings).toBeGreaterThan(40);
    expect(deferred).toBeGreaterThan(0);
    // Adjournments are rarer than deferrals (4% of hearings against 10%).
    expect(adjourned).toBeLessThan(deferred);
  });

  it('suppresses small counts and publishes no personal data', () => {
    const dir = quarterDirs.get('2026-Q3') as string;
    let suppressed = 0;
    for (const name of readdirSync(dir).filter((file) => file.endsWith('.csv'))) {
      const [header, ...rows] = csv(dir, name.replace(/\.csv$/, ''));
      const figures = header.map((column) => !['Route', 'Measure', 'Panel', 'Agency'].includes(column));
      for (const row of rows) {
        row.forEach((cell, i) => {
          if (cell === SUPPRESSED) suppressed += 1;
          // Every count of cases shown is 0 or at least the threshold (medians are days, not counts).
          if (
            figures[i] &&
            /^\d+$/.test(cell) &&
            !/days|Meetings|Members|panel/i.test(header[i]) &&
            !name.startsWith('panel-attendance')
          ) {
            expect([name, header[i], Number(cell) === 0 || Number(cell) >= 5]).toEqual([name, header[i], true]);
          }
        });
      }
    }
    expect(suppressed).toBeGreaterThan(0);
    for (const name of readdirSync(dir)) {
      const content = readFileSync(join(dir, name), 'utf8');
      expect([name, /Synthetic Person|Synthetic Social Worker|Synthetic referral \d/.test(content)]).toEqual([
        name,
        false,
      ]);
    }
  });

  it('gives byte-identical files when re-run at its pinned position, from the read model or a replay, in a new version folder', async () => {
    const first = await runReportJob(stores, { period: period('2026-Q2'), out, threshold: 5 });
    expect(first.source).toBe('read-model');
    // More referrals arrive and the statistics projection moves on past the pinned position.
    await seedCases(store, readStore, {
      cases: 40,
      seed: 'later',
      from: '2026-04-01T00:00:00Z',
      to: '2026-06-30T00:00:00Z',
    });
    await new ProjectionRunner(store, readStore, STATISTICS).catchUp();
    const again = await runReportJob(stores, {
      period: period('2026-Q2'),
      out,
      threshold: 5,
      position: BigInt(first.report.position),
    });
    expect(again.source).toBe('replay');
    expect(again.dir).not.toBe(first.dir);
    const files = readdirSync(first.dir).sort();
    expect(readdirSync(again.dir).sort()).toEqual(files);
    for (const name of files) {
      expect([name, readFileSync(join(again.dir, name)).equals(readFileSync(join(first.dir, name)))]).toEqual([
        name,
        true,
      ]);
    }
    expect(readFileSync(join(first.dir, 'report.html'), 'utf8')).toContain(`>${first.report.position}<`);
    // The report at the new head differs: the later referrals are in it.
    const latest = await runReportJob(stores, { period: period('2026-Q2'), out, threshold: 5 });
    expect(readFileSync(join(latest.dir, 'manifest.json'), 'utf8')).not.toEqual(
      readFileSync(join(first.dir, 'manifest.json'), 'utf8'),
    );
    expect(readdirSync(join(out, '2026-Q2')).sort()).toEqual(['v1', 'v2', 'v3', 'v4']);
  }, 240_000);

  it('says in a later version of a period what changed since the previous version and why', () => {
    // v1-v3 of 2026-Q2 stand at one position (v2 and v3 re-runs of it), v4 at the head after 40 more
    // referrals in the quarter.
    const revisions = (version: string) =>
      JSON.parse(readFileSync(join(out, '2026-Q2', version, 'revisions.json'), 'utf8')) as Revisions;
    expect(revisions('v1')).toEqual({ revises: null, previousPosition: null, reasons: [], changes: [] });
    // A re-run at the same position revises nothing, so it stays byte for byte the same as v1.
    expect(revisions('v3')).toEqual(revisions('v1'));
    const latest = revisions('v4');
    const v3 = JSON.parse(readFileSync(join(out, '2026-Q2', 'v3', 'manifest.json'), 'utf8')) as { position: string };
    expect(latest.revises).toBe('v3');
    expect(latest.previousPosition).toBe(v3.position);
    expect(latest.reasons).toHaveLength(1);
    expect(latest.reasons[0]).toContain(`v3 stood at ${v3.position}`);
    const referrals = latest.changes.find(
      (change) =>
        change.table === 'referrals-by-exploitation-type-and-age' &&
        change.row.join('/') === 'All routes/Total' &&
        change.column === 'Total',
    );
    expect(referrals).toBeDefined();
    expect(Number(referrals?.now) - Number(referrals?.was)).toBe(40);
    // Every change listed is a real difference between the two versions' published cells.
    const before = csv(join(out, '2026-Q2', 'v3'), 'referrals-by-gender');
    const after = csv(join(out, '2026-Q2', 'v4'), 'referrals-by-gender');
    const differing = after.flatMap((row, r) =>
      row.slice(2).flatMap((cell, c) => (cell === before[r][c + 2] ? [] : [`${row[0]}/${row[1]}/${after[0][c + 2]}`])),
    );
    expect(
      latest.changes
        .filter((change) => change.table === 'referrals-by-gender')
        .map((change) => `${change.row.join('/')}/${change.column}`)
        .sort(),
    ).toEqual(differing.sort());
    expect(readFileSync(join(out, '2026-Q2', 'v4', 'report.html'), 'utf8')).toContain('Revises v3');
  });

  it("refuses a --position that is no event's (typed by hand, or from another store), writing nothing", async () => {
    const head = await store.headPosition();
    await expect(
      runReportJob(stores, { period: period('2026-Q2'), out: join(out, 'refused'), threshold: 5, position: head + 1n }),
    ).rejects.toBeInstanceOf(InvalidPositionError);
    expect(existsSync(join(out, 'refused'))).toBe(false);
  });

  itWithChromium(
    'renders in headless Chromium: every chart drew marks, nothing is fetched, the first page is saved',
    async () => {
      const dir = quarterDirs.get('2026-Q3') as string;
      const userDataDir = mkdtempSync(join(tmpdir(), 'harbour-chromium-'));
      const context = await chromium.launchPersistentContext(userDataDir, {
        executablePath: CHROMIUM_PATH,
        headless: true,
        viewport: { width: 1200, height: 1600 },
        args: [
          '--headless',
          '--no-sandbox',
          '--disable-gpu',
          '--disable-quic',
          '--no-first-run',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
        ],
      });
      try {
        const page = await context.newPage();
        const fetched: string[] = [];
        page.on('request', (request) => {
          if (!request.url().startsWith('file:')) fetched.push(request.url());
        });
        await page.goto(pathToFileURL(join(dir, 'report.html')).href);
        const charts = await page.$$eval('figure.chart', (figures) =>
          figures.map((figure) => ({
            table: figure.getAttribute('data-table'),
            marks: figure.querySelectorAll('svg g[class*="role-mark"] > path, svg g[class*="role-mark"] > text').length,
            width: figure.querySelector('svg')?.getBoundingClientRect().width ?? 0,
          })),
        );
        expect(charts.length).toBeGreaterThanOrEqual(9);
        for (const chart of charts)
          expect([chart.table, chart.marks > 0, chart.width > 100]).toEqual([chart.table, true, true]);
        expect(fetched).toEqual([]);
        mkdirSync('artifacts', { recursive: true });
        await page.screenshot({ path: join('artifacts', 'report-first-page.png') });
        await page.emulateMedia({ media: 'print' });
        expect(await page.evaluate('getComputedStyle(document.querySelector("nav")).display')).toBe('none');
      } finally {
        await context.close();
        rmSync(userDataDir, { recursive: true, force: true });
      }
    },
    60_000,
  );

  // What each chart must draw, read from the published table (the CSV's cells) by the chart's
  // request: every figure of every category and series, except "Total" rows and all-routes rows
  // of a chart by route; `..` is not a figure.
  function expectedMarks(table: ReportTable, dir: string): { bars: Map<string, number>; suppressed: Set<string> } {
    const request = table.chart!;
    const [header, ...rows] = csv(dir, table.id);
    const categoryColumns = (typeof request.category === 'string' ? [request.category] : request.category).map((c) =>
      header.indexOf(c),
    );
    const bars = new Map<string, number>();
    const suppressed = new Set<string>();
    for (const row of rows) {
      if (row.slice(0, table.labelColumns).includes('Total')) continue;
      if (request.route !== undefined && row[0] !== request.route) continue;
      if (request.byRoute && row[0] === ROUTE_LABELS.all) continue;
      const category = categoryColumns.map((c) => row[c]).join(': ');
      for (const column of request.series) {
        const cell = row[header.indexOf(column)];
        const key = `${category} | ${request.byRoute ? row[0] : column}`;
        if (cell === SUPPRESSED) suppressed.add(key);
        else if (cell !== '..') bars.set(key, Number(cell));
      }
    }
    return { bars, suppressed };
  }

  itWithChromium(
    'draws in every chart exactly the published cells: each figure a bar of its length, each [c] a marker, none dropped, one colour per series',
    async () => {
      const label = '2025-Q4';
      const dir = quarterDirs.get(label) as string;
      const report = quarterReports.get(label) as Report;
      const userDataDir = mkdtempSync(join(tmpdir(), 'harbour-chromium-'));
      const context = await chromium.launchPersistentContext(userDataDir, {
        executablePath: CHROMIUM_PATH,
        headless: true,
        args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
      });
      try {
        const page = await context.newPage();
        await page.goto(pathToFileURL(join(dir, 'report.html')).href);
        const drawn = await page.$$eval('figure.chart', (figures) =>
          figures.map((figure) => ({
            table: figure.getAttribute('data-table') as string,
            bars: [...figure.querySelectorAll('g.mark-rect.role-mark path')].map((path) => ({
              label: path.getAttribute('aria-label') ?? '',
              width: path.getBoundingClientRect().width,
              fill: path.getAttribute('fill') ?? '',
            })),
            markers: [...figure.querySelectorAll('g.mark-text.role-mark text')].map((text) => ({
              label: text.getAttribute('aria-label') ?? '',
              text: text.textContent,
              fill: text.getAttribute('fill') ?? '',
            })),
          })),
        );
        const charted = report.tables.filter((table) => table.chart);
        expect(drawn.map((chart) => chart.table)).toEqual(charted.map((table) => table.id));
        const colours = new Map<string, Set<string>>();
        let suppressedDrawn = 0;
        for (const table of charted) {
          const chart = drawn.find((c) => c.table === table.id)!;
          const { bars, suppressed } = expectedMarks(table, dir);
          // Labels are "category | series | figure as published".
          const drawnBars = new Map(chart.bars.map((bar) => [bar.label.split(' | ').slice(0, 2).join(' | '), bar]));
          expect([table.id, chart.bars.length]).toEqual([table.id, bars.size]);
          expect([table.id, [...drawnBars.keys()].sort()]).toEqual([table.id, [...bars.keys()].sort()]);
          for (const bar of chart.bars)
            expect(bar.label.split(' | ')[2]).toBe(String(bars.get(bar.label.split(' | ').slice(0, 2).join(' | '))));
          expect([table.id, chart.markers.map((m) => m.label.replace(/ \| \[c\]$/, '')).sort()]).toEqual([
            table.id,
            [...suppressed].sort(),
          ]);
          for (const marker of chart.markers) expect(marker.text).toBe(SUPPRESSED);
          suppressedDrawn += chart.markers.length;
          // Lengths: one scale per chart, every bar as long as its figure (to half a pixel).
          const scaled = [...bars].filter(([, value]) => value > 0);
          const [firstKey, firstValue] = scaled[0] ?? ['', 0];
          const perUnit = firstValue > 0 ? drawnBars.get(firstKey)!.width / firstValue : 0;
          for (const [key, value] of bars) {
            expect([table.id, key, Math.abs(drawnBars.get(key)!.width - value * perUnit) < 0.5]).toEqual([
              table.id,
              key,
              true,
            ]);
          }
          for (const bar of [...chart.bars, ...chart.markers]) {
            const series = bar.label.split(' | ')[1];
            colours.set(series, (colours.get(series) ?? new Set()).add(bar.fill));
          }
        }
        expect(suppressedDrawn).toBeGreaterThan(0);
        for (const [series, fills] of colours) expect([series, [...fills].length]).toEqual([series, 1]);
        // The decisions chart keeps first gate and conclusive decisions apart.
        const decisions = drawn.find((chart) => chart.table === 'decisions-by-stage-and-outcome')!;
        const categories = new Set([...decisions.bars, ...decisions.markers].map((bar) => bar.label.split(' | ')[0]));
        expect(categories).toContain('First gate (lead assessment or reasonable grounds): Positive');
        expect(categories).toContain('Conclusive grounds: Positive');
      } finally {
        await context.close();
        rmSync(userDataDir, { recursive: true, force: true });
      }
    },
    120_000,
  );
});
