import { join } from 'node:path';
import { dataDirFrom } from '@harbour/event-store';

/** Where the ledger's tree lives. */
export interface LedgerConfig {
  /** `ledger.db` in the data directory, or `:memory:`. */
  readonly filename: string;
}

/** - `HARBOUR_DATA_DIR`: the ledger's tree goes to `ledger.db` there, beside `events.db`. */
export function ledgerConfigFrom(env: Readonly<Record<string, string | undefined>>): LedgerConfig {
  const dataDir = dataDirFrom(env);
  return { filename: dataDir === ':memory:' ? ':memory:' : join(dataDir, 'ledger.db') };
}
