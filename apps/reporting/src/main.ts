import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { InvalidPositionError, createEventStore, eventStoreConfigFrom } from '@harbour/event-store';
import { withSecretFiles } from '@harbour/shared';
import { createReadStore, readStoreConfigFrom } from '@harbour/read-store';
import { lastCompletePeriod, parsePeriod } from './report-period';
import { runReportJob } from './report.job';

const HELP = `report: Harbour's statistics in the style of the NRM quarterly statistics

Usage:
  npm run report -- --period 2026-Q3|2026|last [--out reports/] [--position <n>] [--threshold 5]
                    [--typology current|2015]

--period is a quarter (2026-Q3), a calendar year for the annual summary (2026), or last: the
last quarter completed, for scheduled runs. Periods are in UK local time (Europe/London).
--typology 2015 counts exploitation types as the 2015 definitions did: criminal exploitation
under labour (default current: criminal exploitation its own type).
Writes CSV and JSON per table, report.html (charts as SVG, readable offline and in print),
revisions.json and .csv (what changed since the previous version, and why) and manifest.json
into a new folder <out>/<period>/v<n>; earlier versions are never overwritten.
Without --position the statistics projection is caught up and the report pinned to its
checkpoint; the position is printed, and re-running with it gives the same bytes.
It reads the same settings as the API (HARBOUR_EVENT_STORE, HARBOUR_READ_STORE, HARBOUR_DATA_DIR, ...).`;

class UsageError extends Error {}

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      help: { type: 'boolean', short: 'h' },
      period: { type: 'string' },
      out: { type: 'string' },
      position: { type: 'string' },
      threshold: { type: 'string' },
      typology: { type: 'string' },
    },
  });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const period = values.period === 'last' ? lastCompletePeriod(new Date()) : parsePeriod(values.period ?? '');
  if (!period) throw new UsageError('--period must be a quarter (2026-Q3), a year (2026) or last');
  if (values.position !== undefined && !/^(-1|\d+)$/.test(values.position)) {
    throw new UsageError('--position must be a global position (a whole number)');
  }
  const threshold = Number(values.threshold ?? '5');
  if (!Number.isSafeInteger(threshold) || threshold < 1)
    throw new UsageError('--threshold must be a whole number >= 1');

  const typology = values.typology ?? 'current';
  if (typology !== 'current' && typology !== '2015') throw new UsageError('--typology must be current or 2015');

  const env = withSecretFiles(process.env);
  const eventStore = createEventStore(eventStoreConfigFrom(env));
  const readStore = createReadStore(readStoreConfigFrom(env));
  try {
    const started = Date.now();
    const { dir, report, source } = await runReportJob(
      { eventStore, readStore },
      {
        period,
        out: values.out ?? 'reports',
        position: values.position === undefined ? undefined : BigInt(values.position),
        threshold,
        typology,
      },
    );
    console.log(
      `report ${period.label} at position ${report.position} (${report.cases} cases, ${report.tables.length} tables, ` +
        `from the ${source}) written to ${dir} in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
    return 0;
  } finally {
    await readStore.close();
    await eventStore.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (
      error instanceof UsageError ||
      error instanceof InvalidPositionError ||
      (error as { code?: string })?.code?.startsWith('ERR_PARSE_ARGS')
    ) {
      process.stderr.write(`${(error as Error).message}\n\n${HELP}\n`);
      process.exit(2);
    }
    process.stderr.write(`report: ${(error as Error)?.message ?? String(error)}\n`);
    process.exit(1);
  },
);
