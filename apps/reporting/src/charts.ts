import type { ChartRequest, ReportTable } from './report-table';
import { ROUTE_LABELS } from './report-table';
import { SUPPRESSED } from './suppression';

type VegaModule = typeof import('vega');
type VegaLiteModule = typeof import('vega-lite');

// A real dynamic import: swc compiles `import()` to `require()`, which cannot load vega's ES
// modules on Node 20 (vega-canvas awaits at top level). Under Jest, `require` works: Jest
// transforms them to CommonJS (ESM_PACKAGES in jest.config.js) and maps vega-canvas to its
// browser build, which draws the same SVG without the optional canvas package.
const nativeImport = new Function('specifier', 'return import(specifier)') as (specifier: string) => Promise<unknown>;

async function load<T>(name: string): Promise<T> {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- see nativeImport above
    return require(name) as T;
  } catch (error) {
    if ((error as { code?: string }).code !== 'ERR_REQUIRE_ASYNC_MODULE') throw error;
    return (await nativeImport(name)) as T;
  }
}

let charting: Promise<{ vega: VegaModule; vegaLite: VegaLiteModule }> | undefined;
function loadCharting() {
  charting ??= Promise.all([load<VegaModule>('vega'), load<VegaLiteModule>('vega-lite')]).then(([vega, vegaLite]) => ({
    vega,
    vegaLite,
  }));
  return charting;
}

/** One bar of a chart: a published figure, or a suppressed one drawn as a `[c]` marker, not a bar. */
export interface Datum {
  readonly category: string;
  readonly series: string;
  /** The figure, or null where it is suppressed. */
  readonly value: number | null;
  /** What a screen reader (and the chart test) reads: category, series and the figure as published. */
  readonly label: string;
}

/**
 * The figures a chart draws: exactly the table's published cells. Every category and series is
 * there (a zero is a bar of no length, a suppressed figure a `[c]` marker, never a bar), "Total"
 * rows are not drawn beside their parts, and `..` (not applicable) is not a figure.
 */
export function chartData(table: ReportTable, request: ChartRequest): Datum[] {
  const categoryColumns = (typeof request.category === 'string' ? [request.category] : request.category).map((column) =>
    table.columns.indexOf(column),
  );
  const data: Datum[] = [];
  for (const row of table.rows) {
    if (row.slice(0, table.labelColumns).includes('Total')) continue;
    const route = String(row[0]);
    if (request.route !== undefined && route !== request.route) continue;
    if (request.byRoute && route === ROUTE_LABELS.all) continue;
    const category = categoryColumns.map((column) => String(row[column])).join(': ');
    for (const column of request.series) {
      const cell = row[table.columns.indexOf(column)];
      if (typeof cell !== 'number' && cell !== SUPPRESSED) continue;
      const series = request.byRoute ? route : column;
      const value = typeof cell === 'number' ? cell : null;
      data.push({ category, series, value, label: `${category} | ${series} | ${String(cell)}` });
    }
  }
  return data;
}

/**
 * One colour per series across every chart of every report: the age groups, the routes, and
 * the rest in a fixed order (colour-blind-safe, after Okabe and Ito); a series not listed takes
 * the next colour by its name's place among the unlisted, sorted.
 */
const SERIES_COLOURS: readonly (readonly [string, string])[] = [
  ['Adult (18 or over)', '#0072B2'],
  ['Child (17 or under)', '#E69F00'],
  ['Age not specified or unknown', '#999999'],
  [ROUTE_LABELS.pilot, '#009E73'],
  [ROUTE_LABELS.central, '#CC79A7'],
  [ROUTE_LABELS.other, '#56B4E9'],
  ['Total', '#0B0C0C'],
  ['Median days', '#D55E00'],
];
const SPARE_COLOURS = ['#F0E442', '#882255', '#44AA99', '#117733', '#332288', '#AA4499', '#88CCEE', '#DDCC77'];

export function seriesColours(series: readonly string[]): { domain: string[]; range: string[] } {
  const known = new Map(SERIES_COLOURS);
  const spare = [...new Set(series.filter((name) => !known.has(name)))].sort();
  return {
    domain: [...series],
    range: series.map((name) => known.get(name) ?? SPARE_COLOURS[spare.indexOf(name) % SPARE_COLOURS.length]),
  };
}

const FONT = 'Helvetica, Arial, sans-serif';

/**
 * A table's chart as SVG, drawn on the server by vega-lite and vega (no browser, no network):
 * the same figures give the same bytes. Ids inside the SVG are prefixed with the table's id, so
 * the charts of one page never share a clip path.
 */
export async function renderChart(table: ReportTable): Promise<string | undefined> {
  const request = table.chart;
  if (!request) return undefined;
  const { vega, vegaLite } = await loadCharting();
  const data = chartData(table, request);
  const categories = [...new Set(data.map((datum) => datum.category))];
  const seriesOrder = [...new Set(data.map((datum) => datum.series))];
  const y = {
    field: 'category',
    type: 'nominal' as const,
    sort: categories,
    scale: { domain: categories },
    title: null,
    axis: { labelLimit: 260 },
  };
  const yOffset = { field: 'series', type: 'nominal' as const, sort: seriesOrder, scale: { domain: seriesOrder } };
  const color = {
    field: 'series',
    type: 'nominal' as const,
    sort: seriesOrder,
    scale: seriesColours(seriesOrder),
    title: null,
    legend: { orient: 'bottom' as const, columns: 2, labelLimit: 300 },
  };
  const spec =
    data.length === 0
      ? {
          width: 520,
          height: 40,
          data: { values: [{ text: 'No figures to draw: none in the period.' }] },
          mark: { type: 'text' as const, align: 'left' as const, font: FONT, fontSize: 12 },
          encoding: { text: { field: 'text', type: 'nominal' as const } },
        }
      : {
          width: 520,
          height: { step: Math.max(12, 8 * seriesOrder.length) },
          data: { values: data },
          encoding: { y, yOffset },
          layer: [
            {
              transform: [{ filter: 'datum.value !== null' }],
              mark: { type: 'bar' as const },
              encoding: {
                x: { field: 'value', type: 'quantitative' as const, title: request.xTitle },
                color,
                description: { field: 'label', type: 'nominal' as const },
              },
            },
            {
              // A suppressed figure: its marker at the axis, in its series' colour, never a bar.
              transform: [{ filter: 'datum.value === null' }],
              mark: { type: 'text' as const, align: 'left' as const, dx: 2, fontSize: 9, font: FONT },
              encoding: {
                x: { datum: 0, type: 'quantitative' as const },
                text: { value: SUPPRESSED },
                color,
                description: { field: 'label', type: 'nominal' as const },
              },
            },
          ],
        };
  const compiled = vegaLite.compile({
    ...spec,
    config: { font: FONT, view: { stroke: null }, axis: { labelFont: FONT, titleFont: FONT } },
  } as Parameters<VegaLiteModule['compile']>[0]).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  try {
    const svg = await view.toSVG();
    // vega numbers clip paths and gradients with a process-wide counter: renumbered here in order
    // of appearance, so a second report in the same process has the same bytes as the first.
    const ids = new Map<string, string>();
    for (const [, id] of svg.matchAll(/ id="([^"]+)"/g)) ids.set(id, `${table.id}-def${ids.size + 1}`);
    return svg
      .replace(/ id="([^"]+)"/g, (_, id: string) => ` id="${ids.get(id) ?? id}"`)
      .replace(/url\(#([^)]+)\)/g, (_, id: string) => `url(#${ids.get(id) ?? id})`)
      .replace(/ class="marks"/, ` class="marks" role="img" aria-label="${escapeAttribute(table.title)}"`);
  } finally {
    view.finalize();
  }
}

function escapeAttribute(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}
