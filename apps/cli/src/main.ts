import 'reflect-metadata';
import { registerAuditCommands } from './audit.command';
import { runCli, type RegisterCommands } from './cli.program';
import { registerKeysCommands } from './keys.command';
import { registerProjectionsCommands } from './projections.command';
import { registerRetentionCommands } from './retention.command';
import { registerSeedCommand } from './seed.command';
import { registerWorkflowsCommands } from './workflows-diff.command';

/**
 * `harbour`: every command group, in the order the help lists them. A new command lives in its own
 * `<group>.command.ts` exporting a {@link RegisterCommands}, and is added here.
 */
export const COMMANDS: readonly RegisterCommands[] = [
  registerProjectionsCommands,
  registerAuditCommands,
  registerSeedCommand,
  registerKeysCommands,
  registerRetentionCommands,
  registerWorkflowsCommands,
];

if (require.main === module) {
  // `harbour help | head` closes the pipe early: that is the reader's choice, not a failure.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
  runCli(COMMANDS, process.argv.slice(2), process.env).then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`harbour: ${(error as Error)?.message ?? String(error)}\n`);
      process.exit(1);
    },
  );
}
