/** The written forms of a benchmark run: a Markdown report and hand-drawn SVG bar charts. */
import { formatValue, goalMet, goalText, ratioOf, type BenchSection, type Measurement } from './bench-support';

export interface RunMeta {
  readonly date: string;
  readonly host: string;
  readonly node: string;
  readonly platform: string;
  readonly cpus: number;
  readonly smoke: boolean;
  readonly durationSeconds: number;
}

function verdict(m: Measurement): string {
  const met = goalMet(m);
  return met === undefined ? '' : met ? 'met' : '**missed**';
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|');
}

export function markdownReport(meta: RunMeta, sections: readonly BenchSection[], charts: readonly string[]): string {
  const lines: string[] = [
    `# Harbour benchmarks, ${meta.date.slice(0, 10)} on ${meta.host}`,
    '',
    `Node ${meta.node}, ${meta.platform}, ${meta.cpus} CPUs; the run took ${Math.round(meta.durationSeconds / 60)} min` +
      `${meta.smoke ? ' (smoke run: figures mean nothing)' : ''}. Every ratio is to a baseline measured in the same run;` +
      ' absolute figures on a shared machine are noise.',
    '',
    '## Goals',
    '',
    '| benchmark | measurement | ratio | goal | |',
    '|---|---|---:|---|---|',
  ];
  for (const section of sections) {
    for (const m of section.measurements.filter((m) => goalMet(m) !== undefined)) {
      lines.push(
        `| ${section.id} | ${cell(m.name)} vs ${cell(m.baseline!.name)} | ${ratioOf(m)!.toFixed(2)} | ${goalText(m)} | ${verdict(m)} |`,
      );
    }
  }
  for (const section of sections) {
    lines.push(
      '',
      `## ${section.title}`,
      '',
      '| measurement | value | unit | against | ratio | goal | |',
      '|---|---:|---|---|---:|---|---|',
    );
    for (const m of section.measurements) {
      const ratio = ratioOf(m);
      lines.push(
        `| ${cell(m.name)} | ${formatValue(m.value, m.unit)} | ${m.unit} | ${m.baseline ? cell(m.baseline.name) : ''} | ${ratio === undefined ? '' : ratio.toFixed(2)} | ${goalText(m)} | ${verdict(m)} |`,
      );
    }
    lines.push('', ...section.notes.map((note) => `- ${note}`));
    const own = charts.filter((name) => name.includes(`-${section.id}`));
    if (own.length > 0) lines.push('', ...own.map((name) => `![${section.id}](${name})`));
  }
  return `${lines.join('\n')}\n`;
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function unitSlug(unit: string): string {
  return unit
    .toLowerCase()
    .replace('/s', '-per-s')
    .replace(/[^a-z0-9-]+/g, '-');
}

const COLOURS = { baseline: '#9aa5b1', compared: '#1971c2', met: '#2f9e44', missed: '#e03131' };

/** One horizontal bar chart per unit in the section: `[unit slug or '', svg]`. */
export function chartSvg(section: BenchSection): [string, string][] {
  const units = [...new Set(section.measurements.map((m) => m.unit))];
  return units.map((unit) => {
    const rows = section.measurements.filter((m) => m.unit === unit);
    const max = Math.max(...rows.map((m) => m.value), 1e-9);
    const label = 380;
    const bar = 320;
    const width = label + bar + 200;
    const rowHeight = 26;
    const top = 44;
    const height = top + rows.length * rowHeight + 34;
    const body = rows.map((m, i) => {
      const y = top + i * rowHeight;
      const met = goalMet(m);
      const colour =
        met === undefined ? (m.baseline ? COLOURS.compared : COLOURS.baseline) : met ? COLOURS.met : COLOURS.missed;
      const length = Math.max((m.value / max) * bar, 1);
      const ratio = ratioOf(m);
      const tail =
        `${formatValue(m.value, unit)}` +
        (ratio === undefined ? '' : `  (${ratio.toFixed(2)}x${m.goal === undefined ? '' : `, goal ${goalText(m)}`})`);
      return [
        `<text x="${label - 8}" y="${y + 17}" text-anchor="end">${escapeXml(m.name)}</text>`,
        `<rect x="${label}" y="${y + 4}" width="${length.toFixed(1)}" height="${rowHeight - 8}" fill="${colour}"/>`,
        `<text x="${(label + length + 6).toFixed(1)}" y="${y + 17}">${escapeXml(tail)}</text>`,
      ].join('');
    });
    const legend = [
      ['baseline', COLOURS.baseline],
      ['compared, no goal', COLOURS.compared],
      ['goal met', COLOURS.met],
      ['goal missed', COLOURS.missed],
    ]
      .map(
        ([name, colour], i) =>
          `<rect x="${label + i * 130}" y="${height - 22}" width="12" height="12" fill="${colour}"/>` +
          `<text x="${label + i * 130 + 16}" y="${height - 12}">${name}</text>`,
      )
      .join('');
    const svg = [
      `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
      `<rect width="100%" height="100%" fill="#ffffff"/>`,
      `<text x="12" y="24" font-size="15" font-weight="bold">${escapeXml(`${section.title} (${unit}, ${rows[0].better} is better)`)}</text>`,
      ...body,
      legend,
      '</svg>',
      '',
    ].join('\n');
    return [units.length > 1 ? unitSlug(unit) : '', svg];
  });
}
