import type { Command } from 'commander';
import { SingleBar } from 'cli-progress';
import {
  EventSchemaRegistry,
  applyRetention,
  createPersonalDataProtector,
  retentionReport,
  systemClock,
  type RetentionEntry,
} from '@harbour/application';
import type { EventStore } from '@harbour/event-store';
import type { CliConfig } from './cli.config';
import { withEventStore } from './cli.stores';
import { commandGroup, type RegisterCommands } from './cli.program';

function describeEntry(entry: RetentionEntry): string {
  // Ids, outcomes and dates only: never anything about the person.
  const held = entry.heldCaseIds.length > 0 ? `; on legal hold: ${entry.heldCaseIds.join(', ')}` : '';
  return (
    `subject ${entry.subjectId}: cases ${entry.caseIds.join(', ')}; ${entry.outcome} at ${entry.endedAt}, ` +
    `kept ${entry.period}, due ${entry.dueAt}${held}`
  );
}

async function report(cli: CliConfig, eventStore: EventStore): Promise<number> {
  const report = await retentionReport(eventStore, cli.privacy.retention, systemClock.now());
  console.log(`retention at ${report.at}: ${report.due.length} due, ${report.held.length} due but held`);
  for (const entry of report.due) console.log(`due: ${describeEntry(entry)}`);
  for (const entry of report.held) console.log(`held: ${describeEntry(entry)}`);
  console.log(
    `${report.notYetDue} not yet due, ${report.open} with a case still open, ${report.erased} already erased`,
  );
  return 0;
}

async function apply(cli: CliConfig, eventStore: EventStore, dryRun: boolean): Promise<number> {
  const config = cli.privacy;
  const schemas = new EventSchemaRegistry();
  const personalData = await createPersonalDataProtector(config, eventStore, schemas);
  const bar = new SingleBar({ format: 'erase [{bar}] {percentage}% | {value}/{total} subjects', hideCursor: true });
  try {
    let started = false;
    const summary = await applyRetention(
      { store: eventStore, schemas, personalData },
      config.retention,
      systemClock.now(),
      {
        dryRun,
        onProgress: (done, total) => {
          if (!started) bar.start(Math.max(total, 1), 0);
          started = true;
          bar.update(done);
        },
      },
    );
    bar.stop();
    for (const entry of summary.report.due) console.log(`${dryRun ? 'would erase' : 'due'}: ${describeEntry(entry)}`);
    for (const entry of summary.report.held) console.log(`skipped (legal hold): ${describeEntry(entry)}`);
    console.log(
      dryRun
        ? `dry run: ${summary.report.due.length} subjects would be erased, ${summary.report.held.length} held; nothing changed`
        : `erased ${summary.erased} subjects, skipped ${summary.report.held.length} on legal hold` +
            `${summary.skipped > 0 ? ` and ${summary.skipped} refused meanwhile` : ''}`,
    );
    return 0;
  } finally {
    bar.stop();
    await personalData.keys.close();
  }
}

/** `harbour retention report | apply`. */
export const registerRetentionCommands: RegisterCommands = (program: Command, cli) => {
  const retention = commandGroup(program, 'retention', 'personal data due for erasure under HARBOUR_RETENTION');
  retention
    .command('report')
    .summary('lists the subjects due for erasure, and those held back')
    .description(
      'lists the subjects whose personal data is due for erasure under HARBOUR_RETENTION (per outcome, ' +
        'default six years after closure or withdrawal), and those held back by a legal hold',
    )
    .action(cli.action(() => withEventStore(cli.config(), (eventStore) => report(cli.config(), eventStore))));
  retention
    .command('apply')
    .summary('erases what is due, skipping cases on legal hold')
    .description(
      "erases what is due (destroys each subject's key, records SubjectDataErased), skipping cases on " + 'legal hold',
    )
    .option('--dry-run', 'only report what would be erased')
    .action(
      cli.action((options: { dryRun?: boolean }) =>
        withEventStore(cli.config(), (eventStore) => apply(cli.config(), eventStore, options.dryRun === true)),
      ),
    );
};
