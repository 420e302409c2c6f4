/**
 * The ledger keeper's worker thread (see {@link startLedgerKeeper}): catches the tree up with the
 * event store, idles, again, until told to stop, through its own connections to both files.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { InvalidPositionError, SqliteEventStore } from '@harbour/event-store';
import type { LedgerWorkerData, LedgerWorkerMessage } from './ledger-keeper';
import { SqliteLedger } from './sqlite-ledger';

const port = parentPort!;
const { ledgerFilename, eventsFilename, idleMs } = workerData as LedgerWorkerData;
const stopping = new AbortController();
port.on('message', (message) => {
  if (message === 'stop') stopping.abort();
});
const post = (message: LedgerWorkerMessage) => port.postMessage(message);

async function keepUp(): Promise<void> {
  // The API opened and checked the store already; this connection only reads it.
  const store = new SqliteEventStore({ filename: eventsFilename, integrityCheck: false });
  const ledger = new SqliteLedger(ledgerFilename);
  const signal = stopping.signal;
  try {
    while (!signal.aborted) {
      try {
        await ledger.catchUp(store, signal);
        post({ kind: 'caught-up', size: ledger.size() });
      } catch (error) {
        // The event of its last leaf is gone: the store was cut short or put back to an older copy.
        // Growing the tree over what is left would hide it, so it stops until a human acts.
        if (error instanceof InvalidPositionError) {
          post({ kind: 'stopped', message: error.message });
          return;
        }
        post({ kind: 'warning', message: (error as Error).message });
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, idleMs);
        signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
      });
    }
  } finally {
    ledger.close();
    await store.close();
    port.close();
  }
}

void keepUp();
