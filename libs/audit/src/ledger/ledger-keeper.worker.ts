/**
 * The ledger keeper's worker thread (see {@link startLedgerKeeper}): catches the tree up with the
 * event store, idles, again, until told to stop, through its own connections to both files.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { SqliteEventStore } from '@harbour/event-store';
import { keepLedgerUp, type LedgerWorkerData } from './ledger-keeper';
import { SqliteLedger } from './sqlite-ledger';

const port = parentPort!;
const { ledgerFilename, eventsFilename, idleMs } = workerData as LedgerWorkerData;
const stopping = new AbortController();
port.on('message', (message) => {
  if (message === 'stop') stopping.abort();
});

async function run(): Promise<void> {
  // The API opened and checked the store already; this connection only reads it.
  const store = new SqliteEventStore({ filename: eventsFilename, integrityCheck: false });
  const ledger = new SqliteLedger(ledgerFilename);
  try {
    await keepLedgerUp(ledger, store, {
      signal: stopping.signal,
      idleMs,
      report: (message) => port.postMessage(message),
    });
  } finally {
    ledger.close();
    await store.close();
    port.close();
  }
}

void run();
