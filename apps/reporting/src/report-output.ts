import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderChart } from './charts';
import type { Report } from './report-builder';
import type { Cell, ReportTable } from './report-table';
import { REPORT_METHOD, type Revisions } from './revisions';
import { SUPPRESSED } from './suppression';

/** A report's files, by name: CSV and JSON per table, the HTML report and a manifest. */
export type ReportFiles = ReadonlyMap<string, string>;

/**
 * A spreadsheet reads a cell that starts with `=`, `+`, `-` or `@` (or a tab or carriage return
 * before one) as a formula, so an agency named `=HYPERLINK(...)` would run in whoever opens the
 * file. As OWASP advises for CSV output, such text gets a leading `'`, which spreadsheets show as
 * text; numbers (a negative count is a number, not text) are written as they are.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

function csvField(cell: Cell): string {
  const text = typeof cell === 'string' && FORMULA_START.test(cell) ? `'${cell}` : String(cell);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** RFC 4180 CSV with CRLF line ends, a header row first; text that would run as a formula neutralised. */
export function renderCsv(table: ReportTable): string {
  return [table.columns, ...table.rows].map((row) => row.map(csvField).join(',')).join('\r\n') + '\r\n';
}

function renderJson(table: ReportTable, report: Report): string {
  return (
    JSON.stringify(
      {
        id: table.id,
        title: table.title,
        description: table.description,
        period: report.period.label,
        position: report.position,
        suppressionThreshold: report.threshold,
        suppressedAs: SUPPRESSED,
        columns: table.columns,
        rows: table.rows.map((row) => Object.fromEntries(table.columns.map((column, i) => [column, row[i]]))),
        notes: table.notes,
      },
      null,
      2,
    ) + '\n'
  );
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

const STYLE = `
:root { color-scheme: light; }
body { font: 14px/1.45 Helvetica, Arial, sans-serif; color: #0b0c0c; margin: 2rem auto; max-width: 60rem; padding: 0 1rem; }
h1 { font-size: 1.8rem; margin-bottom: .25rem; }
h2 { font-size: 1.3rem; margin-top: 2.5rem; border-top: 2px solid #0b0c0c; padding-top: .5rem; }
.pin { background: #f3f2f1; border-left: 5px solid #1d70b8; padding: .5rem 1rem; }
table { border-collapse: collapse; width: 100%; margin: 1rem 0; font-size: 12px; }
th, td { border-bottom: 1px solid #b1b4b6; padding: .2rem .4rem; text-align: left; vertical-align: top; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
tr.total td { font-weight: bold; }
figure { margin: 1rem 0; }
figure svg { max-width: 100%; height: auto; }
.notes { color: #505a5f; font-size: 12px; }
nav ol { columns: 2; }
@media print {
  @page { size: A4; margin: 15mm; }
  body { margin: 0; max-width: none; font-size: 10pt; }
  nav { display: none; }
  h2 { break-before: page; }
  figure, tr { break-inside: avoid; }
  thead { display: table-header-group; }
  a { color: inherit; text-decoration: none; }
}`;

function renderTableHtml(table: ReportTable): string {
  const head = table.columns
    .map((column, i) => `<th scope="col"${i >= table.labelColumns ? ' class="n"' : ''}>${escapeHtml(column)}</th>`)
    .join('');
  const body = table.rows
    .map((row) => {
      const total = row.slice(0, table.labelColumns).includes('Total') ? ' class="total"' : '';
      const cells = row
        .map((cell, i) =>
          i < table.labelColumns
            ? `<td>${escapeHtml(String(cell))}</td>`
            : `<td class="n">${escapeHtml(String(cell))}</td>`,
        )
        .join('');
      return `<tr${total}>${cells}</tr>`;
    })
    .join('\n');
  return `<table>\n<thead><tr>${head}</tr></thead>\n<tbody>\n${body}\n</tbody>\n</table>`;
}

async function renderHtml(report: Report, revisions: Revisions): Promise<string> {
  const sections: string[] = [];
  for (const table of report.tables) {
    const svg = await renderChart(table);
    sections.push(
      [
        `<section id="${table.id}">`,
        `<h2>${escapeHtml(table.title)}</h2>`,
        `<p>${escapeHtml(table.description)}</p>`,
        svg ? `<figure class="chart" data-table="${table.id}">${svg}</figure>` : '',
        renderTableHtml(table),
        ...table.notes.map((note) => `<p class="notes">${escapeHtml(note)}</p>`),
        `<p class="notes">Also as <a href="${table.id}.csv">CSV</a> and <a href="${table.id}.json">JSON</a>.</p>`,
        `</section>`,
      ]
        .filter((line) => line !== '')
        .join('\n'),
    );
  }
  const title = `Harbour referral statistics: ${report.period.label}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${STYLE}
</style>
</head>
<body>
<header>
<h1>${escapeHtml(title)}</h1>
<p>Referrals, decisions, waiting times, deadlines and panels from ${escapeHtml(report.period.description)} (UK time), the 2015 pilot against the central route.</p>
<p class="pin">Pinned to global position <strong id="position">${report.position}</strong> of the event store (the statistics projection's events up to and including it). Re-running the report at this position gives the same files, byte for byte. Figures from 1 to ${report.threshold - 1} are suppressed and shown as <strong>${SUPPRESSED}</strong>, with further figures suppressed where a total would reveal them; <strong>..</strong> means not applicable.</p>
<nav><ol>
${report.tables.map((table) => `<li><a href="#${table.id}">${escapeHtml(table.title)}</a></li>`).join('\n')}
</ol></nav>
</header>
<main>
${sections.join('\n')}
</main>
<section id="revisions">
<h2>Revisions</h2>
${renderRevisionsHtml(revisions)}
</section>
<footer>
<h2>Footnotes and method</h2>
${FOOTNOTES.map((note, i) => `<p class="notes" id="footnote-${i + 1}">${i + 1}. ${escapeHtml(note)}</p>`).join('\n')}
<p class="notes">Built from the statistics read model: one record per case of categories (route, region, police force area, age group at exploitation, gender, exploitation types, first responder type) and dated milestones, with no personal data. Periods and waiting times use business time (when things happened), not the time they were recorded. Counts are of cases (referrals) or of events (decisions, misses) in the period, as each table says.</p>
</footer>
</body>
</html>
`;
}

/** Footnotes that hold for every table of a release. */
const FOOTNOTES = [
  'Periods are calendar quarters or years in UK local time (Europe/London): a referral at 23:30 UTC on 30 June, 00:30 BST on 1 July, is in the July to September quarter.',
  'Counts of people and of events about them are protected: a count from 1 to the threshold less one is shown as [c], and further counts are suppressed until a linear-programming audit of the whole release (every table, its totals, and any count published in two tables) can narrow no suppressed count down to one value. Meetings and panel members attending are about staff and are not suppressed.',
  'Charts draw the published figures only: a suppressed figure is drawn as a [c] marker, never as a bar, and a zero as a bar of no length.',
  'Figures are counted at the position printed above. A later version of the period may revise them: records made late or back-dated are counted once recorded. The revisions section says what changed since the previous version and why.',
];

function renderRevisionsHtml(revisions: Revisions): string {
  if (revisions.revises === null) return '<p>The first version of this period: nothing revised.</p>';
  const shown = revisions.changes.slice(0, 500);
  return [
    `<p>Revises ${revisions.revises}, ${revisions.changes.length} figure${revisions.changes.length === 1 ? '' : 's'} changed (all in revisions.json and revisions.csv). Why:</p>`,
    `<ul>${revisions.reasons.map((reason) => `<li>${escapeHtml(reason)}</li>`).join('')}</ul>`,
    shown.length === 0
      ? ''
      : `<table>\n<thead><tr><th scope="col">Table</th><th scope="col">Row</th><th scope="col">Column</th><th scope="col" class="n">Was</th><th scope="col" class="n">Now</th></tr></thead>\n<tbody>\n${shown
          .map(
            (change) =>
              `<tr><td>${escapeHtml(change.table)}</td><td>${escapeHtml(change.row.filter((label) => label !== '').join(' / '))}</td><td>${escapeHtml(change.column)}</td><td class="n">${escapeHtml(String(change.was ?? '–'))}</td><td class="n">${escapeHtml(String(change.now ?? '–'))}</td></tr>`,
          )
          .join('\n')}\n</tbody>\n</table>`,
  ].join('\n');
}

function renderRevisionsCsv(revisions: Revisions): string {
  return renderCsv({
    id: 'revisions',
    title: 'Revisions',
    description: '',
    columns: ['Table', 'Row', 'Column', 'Was', 'Now'],
    labelColumns: 3,
    rows: revisions.changes.map((change) => [
      change.table,
      change.row.filter((label) => label !== '').join(' / '),
      change.column,
      change.was ?? '',
      change.now ?? '',
    ]),
    notes: [],
  });
}

/** Every file of the report. */
export async function renderReport(report: Report, revisions: Revisions): Promise<ReportFiles> {
  const files = new Map<string, string>();
  for (const table of report.tables) {
    files.set(`${table.id}.csv`, renderCsv(table));
    files.set(`${table.id}.json`, renderJson(table, report));
  }
  files.set('revisions.json', JSON.stringify(revisions, null, 2) + '\n');
  files.set('revisions.csv', renderRevisionsCsv(revisions));
  files.set('report.html', await renderHtml(report, revisions));
  const manifest = {
    period: report.period.label,
    periodStart: report.period.start,
    periodEnd: report.period.end,
    position: report.position,
    projection: 'statistics',
    method: REPORT_METHOD,
    suppressionThreshold: report.threshold,
    files: [...files.entries()]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([name, content]) => ({ name, sha256: createHash('sha256').update(content).digest('hex') })),
  };
  files.set('manifest.json', JSON.stringify(manifest, null, 2) + '\n');
  return files;
}

/**
 * Writes the files into a new version folder `<out>/<period>/v<n>` (n one more than the highest
 * there) and returns its path. Never overwrites: the folder is created exclusively and each file
 * with `wx`, so an earlier version, or one a concurrent run is writing, is left as it was.
 */
export function writeNewVersion(out: string, period: string, files: ReportFiles): string {
  const periodDir = join(out, period);
  mkdirSync(periodDir, { recursive: true });
  for (let attempt = 0; ; attempt += 1) {
    const versions = readdirSync(periodDir)
      .map((name) => /^v(\d+)$/.exec(name))
      .filter((match): match is RegExpExecArray => match !== null)
      .map((match) => Number(match[1]));
    const dir = join(periodDir, `v${Math.max(0, ...versions) + 1}`);
    try {
      mkdirSync(dir);
    } catch (error) {
      if ((error as { code?: string }).code === 'EEXIST' && attempt < 10) continue;
      throw error;
    }
    for (const [name, content] of files) writeFileSync(join(dir, name), content, { flag: 'wx' });
    return dir;
  }
}
