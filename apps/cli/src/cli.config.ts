import { eventStoreConfigFrom, type EventStoreConfig } from '@harbour/event-store';
import { collectSettings, withSecretFiles } from '@harbour/shared';
import { decodeMasterKey, privacyConfigFrom, type MasterKey, type PrivacyConfig } from '@harbour/privacy';
import { readStoreConfigFrom, type ReadStoreConfig } from '@harbour/read-store';
import { ledgerConfigFrom, type LedgerConfig } from '@harbour/audit';

/** The stores the CLI opens: the same settings as the API and the projector. */
export interface CliConfig {
  readonly eventStore: EventStoreConfig;
  readonly readStore: ReadStoreConfig;
  /** The key store, master key and retention policy (personal data commands, exports). */
  readonly privacy: PrivacyConfig;
  /** The ledger's Merkle tree, which `audit verify` checks the store against. */
  readonly ledger: LedgerConfig;
  /** `HARBOUR_NEW_MASTER_KEY`: the key `keys rotate-master` moves to (or `--new-key-file`). */
  readonly newMasterKey?: MasterKey;
}

/**
 * Reads the CLI's settings once, before any command runs: a bad value stops it (exit 78) naming
 * the setting, whichever command was asked for.
 *
 * @throws ConfigurationError whose message starts with the setting's name.
 */
export function cliConfigFrom(given: Readonly<Record<string, string | undefined>>): CliConfig {
  const env = withSecretFiles(given);
  const { newMasterKey, ...config } = collectSettings({
    eventStore: () => eventStoreConfigFrom(env),
    readStore: () => readStoreConfigFrom(env),
    privacy: () => privacyConfigFrom(env),
    ledger: () => ledgerConfigFrom(env),
    newMasterKey: () =>
      env.HARBOUR_NEW_MASTER_KEY ? decodeMasterKey(env.HARBOUR_NEW_MASTER_KEY, 'HARBOUR_NEW_MASTER_KEY') : undefined,
  });
  return { ...config, ...(newMasterKey ? { newMasterKey } : {}) };
}
