import { extname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { InvalidPositionError, type EventStore } from '@harbour/event-store';
import type { SqliteLedger } from './sqlite-ledger';

/** What the keeper's worker thread is handed. */
export interface LedgerWorkerData {
  readonly ledgerFilename: string;
  readonly eventsFilename: string;
  readonly idleMs: number;
}

/** What the keeper reports. */
export type LedgerWorkerMessage =
  | { readonly kind: 'caught-up'; readonly size: number }
  | { readonly kind: 'warning'; readonly message: string }
  | { readonly kind: 'stopped'; readonly message: string };

export interface LedgerKeeperOptions {
  /** `ledger.db` (a file: the worker opens its own connection to it). */
  readonly ledgerFilename: string;
  /** The SQLite event store's `events.db` (a file), read through the worker's own connection. */
  readonly eventsFilename: string;
  /** Pause between catch-ups once the tree holds the whole log (default 250 ms). */
  readonly idleMs?: number;
  /**
   * After every catch-up (with the tree's size), a failed catch-up that will be retried, and the
   * keeper stopping for good because the store no longer holds the event of the tree's last leaf.
   */
  readonly report: (message: LedgerWorkerMessage) => void;
  /** The worker thread itself failed (it could not open a file, say) and exited. */
  readonly onFailed: (error: Error) => void;
}

/** A running keeper. */
export interface LedgerKeeper {
  /** Asks the worker to finish its current batch and waits for it to exit. */
  stop(): Promise<void>;
}

/**
 * Keeps the ledger's tree up with a SQLite event store from a worker thread, so that hashing and
 * storing the tree never takes the event loop the writers append on. The worker reads the store
 * and writes `ledger.db` through its own SQLite connections; {@link SqliteLedger.catchUp}'s
 * write-locked batches stay the single-leader checkpoint, so another process catching up at the
 * same time still never writes a leaf twice.
 */
export function startLedgerKeeper(options: LedgerKeeperOptions): LedgerKeeper {
  const data: LedgerWorkerData = {
    ledgerFilename: options.ledgerFilename,
    eventsFilename: options.eventsFilename,
    idleMs: options.idleMs ?? 250,
  };
  const worker = new Worker(join(__dirname, `ledger-keeper.worker${extname(__filename)}`), {
    workerData: data,
    execArgv: workerExecArgv(),
  });
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  worker.on('message', (message: LedgerWorkerMessage) => options.report(message));
  worker.on('error', (error) => options.onFailed(error));
  return {
    async stop() {
      worker.postMessage('stop');
      await exited;
    },
  };
}

/**
 * Run from TypeScript sources (npm start, Jest, the benchmarks), the worker needs the TypeScript
 * hook the main thread has; compiled (dist/), it needs nothing. The main thread's other flags are
 * not passed on: a worker refuses process-wide ones such as --expose-gc.
 */
function workerExecArgv(): string[] {
  return extname(__filename) === '.ts' ? ['-r', '@swc-node/register'] : [];
}

/**
 * The keeper's loop, in the worker thread or (for a store no other connection can open) on the
 * caller's event loop: catch the tree up with the store, report, idle `idleMs`, again, until
 * `signal` aborts. When the event of the tree's last leaf is gone (the store was cut short or put
 * back to an older copy), growing the tree over what is left would hide it, so it reports that
 * and stops until a human acts; any other failure is reported and retried.
 */
export async function keepLedgerUp(
  ledger: SqliteLedger,
  store: EventStore,
  options: {
    readonly signal: AbortSignal;
    readonly idleMs: number;
    readonly report: (message: LedgerWorkerMessage) => void;
  },
): Promise<void> {
  const { signal, idleMs, report } = options;
  while (!signal.aborted) {
    try {
      await ledger.catchUp(store, signal);
      report({ kind: 'caught-up', size: ledger.size() });
    } catch (error) {
      if (error instanceof InvalidPositionError) {
        report({ kind: 'stopped', message: error.message });
        return;
      }
      report({ kind: 'warning', message: (error as Error).message });
    }
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, idleMs);
      signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
    });
  }
}
