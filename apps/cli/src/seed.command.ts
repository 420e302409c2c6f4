import type { Command } from 'commander';
import { SingleBar } from 'cli-progress';
import { EventSchemaRegistry, LetterStore, createPersonalDataProtector } from '@harbour/application';
import { seedSyntheticReferrals, type SeedReport } from '@harbour/synthetic';
import type { PrivacyConfig } from '@harbour/privacy';
import type { EventStore } from '@harbour/event-store';
import type { ReadStore } from '@harbour/read-store';
import { withStores } from './cli.stores';
import type { RegisterCommands } from './cli.program';

/** The period seeded when none is given: five quarters ending with 2026-Q3. */
export const DEFAULT_SEED_PERIOD = { from: '2025-07-01T00:00:00.000Z', to: '2026-09-30T23:59:59.999Z' } as const;

export interface SeedCommandOptions {
  readonly cases: number;
  readonly seed: string;
  readonly from: string;
  readonly to: string;
}

/** Parses `--cases`, `--seed`, `--from` and `--to`; dates may be days (`2026-09-30`, the whole day). */
export function seedCommandOptions(values: {
  cases?: string;
  seed?: string;
  from?: string;
  to?: string;
}): SeedCommandOptions | string {
  // Digits only: Number() would also take `0x10`, `1e3` and ` 7 `.
  const cases = /^\d+$/.test(values.cases ?? '') ? Number(values.cases) : NaN;
  if (!Number.isSafeInteger(cases) || cases < 1) return '--cases must be a whole number';
  const day = /^\d{4}-\d{2}-\d{2}$/;
  const from =
    values.from === undefined
      ? DEFAULT_SEED_PERIOD.from
      : day.test(values.from)
        ? `${values.from}T00:00:00.000Z`
        : values.from;
  const to =
    values.to === undefined ? DEFAULT_SEED_PERIOD.to : day.test(values.to) ? `${values.to}T23:59:59.999Z` : values.to;
  if (Number.isNaN(Date.parse(from)) || Number.isNaN(Date.parse(to))) return '--from and --to must be dates';
  if (Date.parse(from) >= Date.parse(to)) return '--from must be before --to';
  return { cases, seed: values.seed ?? '1', from, to };
}

/** `harbour seed`: synthetic referrals through the write path, with a progress bar and the rate. */
export async function seed(
  stores: { readonly eventStore: EventStore; readonly readStore: ReadStore },
  options: SeedCommandOptions,
  privacy: PrivacyConfig,
  lettersFile?: string,
): Promise<number> {
  const bar = new SingleBar({
    format:
      'seed [{bar}] {percentage}% | {value}/{total} commands | {rate} commands/s | at {businessTime} | ETA {eta_formatted}',
    hideCursor: true,
    etaBuffer: 100,
  });
  const started = Date.now();
  bar.start(1, 0, { rate: 0, businessTime: options.from.slice(0, 10) });
  const schemas = new EventSchemaRegistry();
  const personalData = await createPersonalDataProtector(privacy, stores.eventStore, schemas);
  const letters = lettersFile === undefined ? undefined : new LetterStore(lettersFile);
  const report: SeedReport = await seedSyntheticReferrals(
    { store: stores.eventStore, readStore: stores.readStore, schemas, personalData, letters },
    {
      ...options,
      onProgress: (progress) => {
        const seconds = (Date.now() - started) / 1000;
        bar.setTotal(progress.commandsPlanned);
        bar.update(progress.commandsDone, {
          rate: seconds > 0 ? Math.round(progress.commandsDone / seconds) : 0,
          businessTime: progress.businessTime.slice(0, 10),
        });
      },
    },
  );
  await personalData.keys.close();
  letters?.close();
  bar.update(bar.getTotal());
  bar.stop();
  const seconds = (Date.now() - started) / 1000;
  const refusals = Object.entries(report.refused);
  console.log(
    `seeded ${report.cases} synthetic cases (seed ${options.seed}, ${options.from} to ${options.to}): ` +
      `${report.commandsApplied} commands appended of ${report.commandsPlanned} planned, ` +
      `${report.deadlineRecords} deadline records, ${report.letters} decision letters, in ${seconds.toFixed(1)} s ` +
      `(${Math.round(report.commandsApplied / Math.max(seconds, 0.001))} commands/s)`,
  );
  if (refusals.length > 0) {
    console.log(`refused: ${refusals.map(([rule, count]) => `${rule} ${count}`).join(', ')}`);
    return 1;
  }
  return 0;
}

/** `harbour seed`. */
export const registerSeedCommand: RegisterCommands = (program: Command, cli) => {
  program
    .command('seed')
    .summary('raises synthetic referrals and carries them through the workflow')
    .description(
      'raises <n> synthetic referrals (obviously synthetic names, published distributions) and carries ' +
        'them through the workflow with the real commands and deadline scheduler, in business time ' +
        'between --from and --to; the same --seed gives the same data, and seeding again appends nothing',
    )
    .requiredOption('--cases <n>', 'how many referrals')
    .option('--seed <s>', 'the seed of the pseudo-random choices', '1')
    .option('--from <date>', 'first business day (ISO 8601)', DEFAULT_SEED_PERIOD.from.slice(0, 10))
    .option('--to <date>', 'last business day (ISO 8601)', DEFAULT_SEED_PERIOD.to.slice(0, 10))
    .option(
      '--letters <file>',
      "the letters store (the API's is letters.db in HARBOUR_DATA_DIR): run the decision letters process manager each night of the seed",
    )
    .action(
      cli.action(
        (values: { cases: string; seed: string; from: string; to: string; letters?: string }, command: Command) => {
          const options = seedCommandOptions(values);
          if (typeof options === 'string') command.error(`error: ${options}`);
          const config = cli.config();
          return withStores(config, (stores) => seed(stores, options, config.privacy, values.letters));
        },
      ),
    );
};
