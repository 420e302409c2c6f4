import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import {
  EventSchemaRegistry,
  caseSelectionOf,
  createPersonalDataProtector,
  definitionNamed,
  renderReplayDiffHtml,
  replayDiff,
  type ReplayDiffReport,
} from '@harbour/application';
import { WORKFLOWS } from '@harbour/domain';
import { withEventStore } from './cli.stores';
import type { RegisterCommands } from './cli.program';

/** The report as JSON (bigint-free already) or HTML. */
export function renderReplayDiff(report: ReplayDiffReport, format: 'json' | 'html'): string {
  return format === 'html' ? renderReplayDiffHtml(report) : `${JSON.stringify(report, null, 2)}\n`;
}

/** `harbour workflows diff`. */
export const registerWorkflowsCommands: RegisterCommands = (program: Command, cli) => {
  const workflows = program.command('workflows').summary('workflow definitions: what a new version would change');
  workflows
    .command('diff')
    .summary('re-decides past commands under another definition version and lists what would change')
    .description(
      'replay-diff: re-decides every past command of the selected cases (by default every case started ' +
        "under a version of the definition's workflow) under --definition, in order, and reports per case " +
        'the first step that would have gone differently, the rule and the facts, and a summary by rule. ' +
        'Commands are rebuilt from the events they recorded: the referral itself (it chooses the definition), ' +
        "the scheduler's records and steps whose personal data was erased are not re-decided, and refused " +
        'commands recorded nothing. Reads the event store; writes nothing to it.',
    )
    .requiredOption('--definition <id@version>', 'the definition to re-decide under, e.g. nrm-pilot-2015@2')
    .option('--cases <filter>', 'all, region:<region>, or case ids separated by commas', 'all')
    .option('--format <format>', 'json or html', 'json')
    .option('--out <file>', 'write the report to this file instead of stdout')
    .action(
      cli.action((values: { definition: string; cases: string; format: string; out?: string }, command: Command) => {
        const definition = definitionNamed(values.definition, WORKFLOWS);
        if (typeof definition === 'string') command.error(`error: ${definition}`);
        const selection = caseSelectionOf(values.cases);
        if (typeof selection === 'string') command.error(`error: ${selection}`);
        const format = values.format;
        if (format !== 'json' && format !== 'html') command.error('error: --format must be json or html');
        const config = cli.config();
        return withEventStore(config, async (store) => {
          const personalData = await createPersonalDataProtector(config.privacy, store, new EventSchemaRegistry());
          try {
            const report = await replayDiff({ store, personalData }, definition, selection);
            const text = renderReplayDiff(report, format);
            const summary =
              `replay-diff under ${values.definition}: ${report.casesReplayed} cases, ` +
              `${report.commandsReplayed} commands re-decided, ${report.differences.length} would have gone differently`;
            if (values.out === undefined) {
              console.log(text.trimEnd());
            } else {
              writeFileSync(values.out, text, { mode: 0o600 });
              console.log(`${summary}; report written to ${values.out}`);
            }
            return 0;
          } finally {
            await personalData.keys.close();
          }
        });
      }),
    );
};
