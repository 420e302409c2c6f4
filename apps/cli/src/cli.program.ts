import { Command, CommanderError, type OutputConfiguration } from 'commander';
import { cliConfigFrom, type CliConfig } from './cli.config';

/** Exit codes every command shares (sysexits.h where one fits). */
export const EXIT = { ok: 0, failed: 1, usage: 2, config: 78 } as const;

/** What a command's action gets besides its arguments. */
export interface CliContext {
  /** The settings, read once before the first action runs: a bad one stops every command (exit 78). */
  config(): CliConfig;
  /**
   * Wraps a command's body as a commander action: the number it resolves to is the exit code.
   * Commander passes the declared arguments, then the options, then the command itself (whose
   * `error(message)` reports bad usage: the message, the command's help, exit 2).
   */
  action<A extends unknown[]>(body: (...args: A) => number | Promise<number>): (...args: A) => Promise<void>;
}

/**
 * Adds one command group (or one command) to the program. Each lives in its own
 * `<group>.command.ts` and is listed once in main.ts; see {@link commandGroup} to add a command to
 * a group declared in another file.
 */
export type RegisterCommands = (program: Command, cli: CliContext) => void;

/**
 * The group `name` under `parent` (e.g. `audit`), created with `summary` if no file has declared it
 * yet: two files can add commands to one group without either importing the other.
 */
export function commandGroup(parent: Command, name: string, summary: string): Command {
  const existing = parent.commands.find((command) => command.name() === name);
  if (existing) return existing;
  return parent.command(name).summary(summary).description(summary);
}

const ROOT_HELP_BEFORE = `In a checkout run it as \`npm run -s harbour -- <command>\`; in the image as
\`node dist/apps/cli/src/main.js <command>\`. Every command has its own help: \`harbour help <command>\`
or \`harbour <command> --help\`.`;

const ROOT_HELP_AFTER = `
Settings: the same as the API's (HARBOUR_EVENT_STORE, HARBOUR_READ_STORE, HARBOUR_DATA_DIR,
DATABASE_URL, EVENTSTORE_CONNECTION_STRING, HARBOUR_MASTER_KEY, HARBOUR_KEY_STORE,
HARBOUR_RETENTION); see .env.example.
Exit codes: 0 done, 1 failed (or a broken chain), 2 bad usage, 78 a bad setting.`;

/**
 * Builds `harbour` from its command groups. Nothing is read or opened until an action runs, so
 * `--help` works whatever the settings say.
 */
function buildCliProgram(
  groups: readonly RegisterCommands[],
  env: Readonly<Record<string, string | undefined>>,
  output: OutputConfiguration | undefined,
): { program: Command; exitCode: () => number } {
  let exitCode: number = EXIT.ok;
  let config: CliConfig | undefined;
  const cli: CliContext = {
    config: () => (config ??= cliConfigFrom(env)),
    action:
      (body) =>
      async (...args) => {
        exitCode = await body(...args);
      },
  };
  const program = new Command('harbour')
    .description("Harbour's admin and audit command line")
    .usage('<command> [options]')
    // Inherited by every command added after: errors come back here as CommanderError, a wrong
    // command line shows the help of the command it was meant for.
    .exitOverride()
    .showHelpAfterError(true)
    .helpCommand(false)
    .addHelpText('before', `${ROOT_HELP_BEFORE}\n`)
    .addHelpText('after', ROOT_HELP_AFTER)
    .hook('preAction', () => {
      cli.config();
    });
  if (output) program.configureOutput(output);
  for (const register of groups) register(program, cli);
  // `harbour help audit export` walks the whole path; commander's own help command takes one word.
  program
    .command('help')
    .description('show the help of harbour or of one of its commands')
    .argument('[command...]', 'a command, e.g. `audit export`')
    .action((path: string[]) => {
      let command: Command = program;
      for (const word of path) {
        const next = command.commands.find(
          (candidate) => candidate.name() === word || candidate.aliases().includes(word),
        );
        if (!next) {
          command.error(`error: harbour has no command "${path.join(' ')}"`, { code: 'harbour.unknownHelp' });
        }
        command = next;
      }
      command.help();
    });
  return { program, exitCode: () => exitCode };
}

/**
 * Runs `harbour` with `argv` (the words after the program) and resolves with its exit code.
 * Bad usage is 2 and a bad setting 78, whatever the command.
 */
export async function runCli(
  groups: readonly RegisterCommands[],
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  output?: OutputConfiguration,
): Promise<number> {
  const { program, exitCode } = buildCliProgram(groups, env, output);
  const writeErr = output?.writeErr ?? ((text: string) => process.stderr.write(text));
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode();
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help asked for exits 0; help shown because a command was missing (`harbour audit`) and
      // every parse error are bad usage. Commander has already printed what went wrong.
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if ((error as Error)?.name === 'ConfigurationError') {
      writeErr(`harbour cannot start: ${(error as Error).message}\n`);
      return EXIT.config;
    }
    writeErr(`harbour: ${(error as Error)?.message ?? String(error)}\n`);
    return EXIT.failed;
  }
}
