import type { ChartRequest, ReportTable } from './report-table';
import { ROUTE_LABELS } from './report-table';

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

interface Datum {
  readonly category: string;
  readonly series: string;
  readonly value: number;
}

/** The figures a chart draws: the table's published ones, so a suppressed figure is never drawn. */
export function chartData(table: ReportTable, request: ChartRequest): Datum[] {
  const categoryColumn = table.columns.indexOf(request.category);
  const data: Datum[] = [];
  for (const row of table.rows) {
    if (row.slice(0, table.labelColumns).includes('Total')) continue;
    const route = String(row[0]);
    if (request.route !== undefined && route !== request.route) continue;
    if (request.byRoute && route === ROUTE_LABELS.all) continue;
    for (const series of request.series) {
      const value = row[table.columns.indexOf(series)];
      if (typeof value !== 'number' || value === 0) continue;
      data.push({ category: String(row[categoryColumn]), series: request.byRoute ? route : series, value });
    }
  }
  return data;
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
  const spec =
    data.length === 0
      ? {
          width: 520,
          height: 40,
          data: { values: [{ text: 'No figures to draw: none in the period, or all suppressed.' }] },
          mark: { type: 'text' as const, align: 'left' as const, font: FONT, fontSize: 12 },
          encoding: { text: { field: 'text', type: 'nominal' as const } },
        }
      : {
          width: 520,
          height: { step: request.byRoute ? 12 : 16 },
          data: { values: data },
          mark: { type: 'bar' as const },
          encoding: {
            y: {
              field: 'category',
              type: 'nominal' as const,
              sort: categories,
              title: null,
              axis: { labelLimit: 260 },
            },
            x: { field: 'value', type: 'quantitative' as const, title: request.xTitle },
            color: {
              field: 'series',
              type: 'nominal' as const,
              sort: seriesOrder,
              title: null,
              legend: { orient: 'bottom' as const, columns: 2, labelLimit: 300 },
            },
            ...(request.byRoute || request.kind === 'grouped-bar'
              ? { yOffset: { field: 'series', type: 'nominal' as const, sort: seriesOrder } }
              : {}),
          },
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
