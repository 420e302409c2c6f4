import {
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { SqliteLedger } from '@harbour/audit';
import { EVENT_STORE, InvalidPositionError, type EventStore } from '@harbour/event-store';
import { API_CONFIG, type ApiConfig } from '../api.config';

const IDLE_MS = 250;

/**
 * Embedded mode: keeps the ledger's Merkle tree up with the global log, behind the writers (an
 * append never waits for it), from the last leaf it holds.
 */
@Injectable()
export class LedgerHost implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Ledger');
  readonly ledger: SqliteLedger;
  private readonly stopping = new AbortController();
  private running?: Promise<void>;

  constructor(
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    @Inject(API_CONFIG) config: ApiConfig,
  ) {
    this.ledger = new SqliteLedger(config.ledger.filename);
  }

  onApplicationBootstrap(): void {
    this.running = this.keepUp();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping.abort();
    await this.running;
    this.ledger.close();
  }

  private async keepUp(): Promise<void> {
    const signal = this.stopping.signal;
    while (!signal.aborted) {
      try {
        await this.ledger.catchUp(this.eventStore, signal);
      } catch (error) {
        // The event of its last leaf is gone: the store was cut short or put back to an older copy.
        // Growing the tree over what is left would hide it, so it stops until a human acts.
        if (error instanceof InvalidPositionError) {
          this.logger.error(
            `Ledger stopped: the store no longer holds the event of its last leaf (${error.message}); ` +
              'run `harbour audit verify` to see what is missing',
          );
          return;
        }
        this.logger.warn(`Ledger could not catch up (${(error as Error).message}); retrying`);
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, IDLE_MS);
        signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
      });
    }
  }
}
