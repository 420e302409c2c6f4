import {
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { CLOCK, type Clock } from '@harbour/application';
import {
  SqliteLedger,
  keepLedgerUp,
  startLedgerKeeper,
  witnessHead,
  type LedgerConfig,
  type LedgerKeeper,
  type LedgerWorkerMessage,
  type SignedTreeHead,
} from '@harbour/audit';
import { EVENT_STORE, type EventStore } from '@harbour/event-store';
import { API_CONFIG, type ApiConfig } from '../api.config';

const IDLE_MS = 250;

/**
 * Embedded mode: keeps the ledger's Merkle tree up with the global log, behind the writers (an
 * append never waits for it), from the last leaf it holds, and signs a tree head every
 * `headEveryEvents` events or `headIntervalMs` (if the tree grew), each head also written to the
 * witness sink.
 *
 * On a SQLite store in a file the tree is kept by a worker thread ({@link startLedgerKeeper}), so
 * its hashing never takes the event loop the writers append on; this thread only signs heads. On
 * an in-memory store (which no other connection can open) or EventStoreDB it is kept here.
 */
@Injectable()
export class LedgerHost implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Ledger');
  readonly ledger: SqliteLedger;
  private readonly stopping = new AbortController();
  private running?: Promise<void>;
  private readonly config: LedgerConfig;
  private lastSignedAt = 0;
  private readonly eventsFilename?: string;
  private keeper?: LedgerKeeper;

  constructor(
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(API_CONFIG) config: ApiConfig,
  ) {
    this.config = config.ledger;
    this.ledger = new SqliteLedger(config.ledger.filename);
    const store = config.eventStore;
    if (store.adapter === 'sqlite' && store.filename !== ':memory:' && config.ledger.filename !== ':memory:') {
      this.eventsFilename = store.filename;
    }
  }

  private sign(): SignedTreeHead {
    const key = this.config.signingKey;
    if (!key) throw new Error('No ledger signing key is configured (HARBOUR_LEDGER_SIGNING_KEY)');
    const head = this.ledger.signHead(key, this.clock.now());
    this.lastSignedAt = Date.now();
    try {
      witnessHead(this.config.witness, head);
    } catch (error) {
      this.logger.error(`Could not write the tree head to the witness sink: ${(error as Error).message}`);
    }
    return head;
  }

  private signIfDue(): void {
    if (!this.config.signingKey) return;
    const size = this.ledger.size();
    const last = this.ledger.latestHead();
    const grown = size - (last?.treeSize ?? 0);
    if (grown <= 0 && last !== undefined) return;
    if (grown >= this.config.headEveryEvents || Date.now() - this.lastSignedAt >= this.config.headIntervalMs) {
      this.sign();
    }
  }

  onApplicationBootstrap(): void {
    // A head over the tree as it stands at boot, so that `GET /ledger/head` answers from the start
    // instead of 404 until the keeper's first catch-up (a worker thread may take seconds to start).
    try {
      this.signIfDue();
    } catch (error) {
      this.logger.warn(`Could not sign a tree head (${(error as Error).message}); will try again`);
    }
    if (this.eventsFilename === undefined) {
      this.running = keepLedgerUp(this.ledger, this.eventStore, {
        signal: this.stopping.signal,
        idleMs: IDLE_MS,
        report: (message) => this.report(message),
      });
      return;
    }
    this.keeper = startLedgerKeeper({
      ledgerFilename: this.config.filename,
      eventsFilename: this.eventsFilename,
      idleMs: IDLE_MS,
      report: (message) => this.report(message),
      onFailed: (error) => this.logger.error(`Ledger stopped: its worker thread failed (${error.message})`),
    });
  }

  private report(message: LedgerWorkerMessage): void {
    switch (message.kind) {
      case 'caught-up':
        try {
          this.signIfDue();
        } catch (error) {
          this.logger.warn(`Could not sign a tree head (${(error as Error).message}); will try again`);
        }
        return;
      case 'warning':
        this.logger.warn(`Ledger could not catch up (${message.message}); retrying`);
        return;
      case 'stopped':
        this.logger.error(
          `Ledger stopped: the store no longer holds the event of its last leaf (${message.message}); ` +
            'run `harbour audit verify` to see what is missing',
        );
    }
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping.abort();
    await Promise.all([this.running, this.keeper?.stop()]);
    this.ledger.close();
  }
}
