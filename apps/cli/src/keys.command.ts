import { readFileSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { SingleBar } from 'cli-progress';
import {
  DEVELOPMENT_MASTER_KEY_FILE,
  SubjectKeys,
  createKeyStore,
  decodeMasterKey,
  type MasterKey,
} from '@harbour/privacy';
import type { CliConfig } from './cli.config';
import { commandGroup, type RegisterCommands } from './cli.program';

async function rotateMaster(cli: CliConfig, next: MasterKey): Promise<number> {
  const config = cli.privacy;
  const store = createKeyStore(config.keyStore);
  const bar = new SingleBar({ format: 'rotate [{bar}] {percentage}% | {value}/{total} keys', hideCursor: true });
  try {
    let started = false;
    const report = await SubjectKeys.rotateMaster(store, config.masterKey, next, (done, total) => {
      if (!started) bar.start(Math.max(total, 1), 0);
      started = true;
      bar.setTotal(Math.max(total, 1));
      bar.update(done);
    });
    bar.stop();
    // Embedded development mode keeps its master key in a file: it must follow the store.
    if (config.masterKey.source.endsWith(DEVELOPMENT_MASTER_KEY_FILE)) {
      writeFileSync(config.masterKey.source, `${next.bytes().toString('base64')}\n`, { mode: 0o600 });
      console.log(`${config.masterKey.source} now holds the new master key`);
    }
    console.log(
      `OK: ${report.total} data keys under the new master key (${report.rewrapped} re-wrapped now, ` +
        `${report.alreadyRotated} already were). Start Harbour with the new HARBOUR_MASTER_KEY.`,
    );
    return 0;
  } finally {
    bar.stop();
    await store.close();
  }
}

/** `harbour keys rotate-master`. */
export const registerKeysCommands: RegisterCommands = (program: Command, cli) => {
  const keys = commandGroup(program, 'keys', "the master key that wraps every subject's data key");
  keys
    .command('rotate-master')
    .summary("re-wraps every subject's data key under a new master key")
    .description(
      "re-wraps every subject's data key from the current master key (HARBOUR_MASTER_KEY, or " +
        './data/dev-master-key) to a new one, with a progress bar; safe to interrupt and run again. ' +
        'Stop the API first and start it with the new key after (in embedded development mode the ' +
        'dev-master-key file is replaced for you)',
    )
    .option('--new-key-file <file>', 'the new key, 32 bytes base64 (default: the HARBOUR_NEW_MASTER_KEY setting)')
    .action(
      cli.action((options: { newKeyFile?: string }, command: Command) => {
        const config = cli.config();
        const next =
          options.newKeyFile !== undefined
            ? decodeMasterKey(readFileSync(options.newKeyFile, 'utf8'), '--new-key-file')
            : config.newMasterKey;
        if (next === undefined) {
          command.error('error: keys rotate-master needs the new key: HARBOUR_NEW_MASTER_KEY or --new-key-file <file>');
        }
        return rotateMaster(config, next);
      }),
    );
};
