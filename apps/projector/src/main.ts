import { Command, CommanderError } from 'commander';
import { PROJECTIONS } from '@harbour/projections';
import { runProjectorProcess } from './projector.process';

const HELP_AFTER = `
Runs every projection (${PROJECTIONS.map((projection) => projection.name).join(', ')}) and the deadline
scheduler against the configured stores until SIGTERM or SIGINT, which let the batch in hand commit.
Several projectors on one PostgreSQL read store share the work: one active per projection, the
others standing by.

Settings come from the environment, as for the API: the event store's, the read store's and the
projector's own (.env.example lists every one with its default).
Exit codes: 0 stopped cleanly, 1 failed, 2 bad usage, 78 a bad setting.`;

/** `npm run projector`: the projections of the registry, against the configured stores. */
function main(argv: readonly string[]): void {
  const program = new Command('projector')
    .usage('[options]   (in a checkout: npm run projector)')
    .description("Harbour's projector: keeps the read models and records deadlines")
    .addHelpText('after', HELP_AFTER)
    .exitOverride()
    .showHelpAfterError(true);
  try {
    program.parse([...argv], { from: 'user' });
  } catch (error) {
    // --help exits 0; anything else on the command line is a mistake, not a reason to start.
    process.exit(error instanceof CommanderError && error.exitCode === 0 ? 0 : 2);
  }
  runProjectorProcess(PROJECTIONS, process.env).catch((error: unknown) => {
    process.stderr.write(`Harbour projector failed to start: ${(error as Error)?.stack ?? String(error)}\n`);
    process.exit(1);
  });
}

main(process.argv.slice(2));
