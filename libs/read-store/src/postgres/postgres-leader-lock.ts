import { Client } from 'pg';

export interface PostgresLeaderLockOptions {
  readonly connectionString: string;
  /** What is led, e.g. a projection's name: one holder per name across every process. */
  readonly name: string;
  /** How often a standby tries again (default 1000 ms). */
  readonly retryIntervalMs?: number;
  /**
   * How often the holder checks that its connection is alive (default 2000 ms): a dead connection
   * means the server has let go of the lock, and a standby may already hold it.
   */
  readonly heartbeatIntervalMs?: number;
}

/**
 * Leadership for distributed mode: a PostgreSQL session advisory lock,
 * `pg_try_advisory_lock(hashtext('harbour-projection:' || name))`, held on a connection of its
 * own for as long as this process leads. The server frees the lock when that connection ends, so
 * a killed leader's lock passes to a standby without anyone cleaning up; and a leader whose
 * connection drops learns it through `lost`, since it no longer holds anything.
 *
 * The lock only decides who should work. What keeps two workers from both applying a batch (the
 * old leader may be mid-commit when it loses the lock) is the checkpoint's generation check.
 */
export class PostgresLeaderLock {
  private client?: Client;
  private tenure?: AbortController;
  private heartbeat?: NodeJS.Timeout;
  private readonly retryIntervalMs: number;
  private readonly heartbeatIntervalMs: number;

  constructor(private readonly options: PostgresLeaderLockOptions) {
    this.retryIntervalMs = options.retryIntervalMs ?? 1000;
    this.heartbeatIntervalMs = options.heartbeatIntervalMs ?? 2000;
  }

  /** True while this process holds the lock on a live connection. */
  get held(): boolean {
    return this.tenure !== undefined && !this.tenure.signal.aborted;
  }

  /** While held: aborts when leadership ends (connection lost, or `release()`), with the reason. */
  get lost(): AbortSignal | undefined {
    return this.tenure?.signal;
  }

  /**
   * Stands by until the lock is ours (true), trying every `retryIntervalMs`, or until `signal`
   * aborts (false). Connection errors while standing by are retried, not thrown: the database
   * coming back is exactly when a standby should take over.
   */
  async acquire(signal?: AbortSignal, onAttemptFailed?: (error: Error) => void): Promise<boolean> {
    if (this.held) return true;
    while (!signal?.aborted) {
      try {
        const client = this.client ?? (await this.connect());
        const result = await client.query<{ locked: boolean }>(
          `select pg_try_advisory_lock(hashtext('harbour-projection:' || $1)) as locked`,
          [this.options.name],
        );
        if (result.rows[0]?.locked) {
          this.startTenure(client);
          return true;
        }
      } catch (error) {
        onAttemptFailed?.(error as Error);
        await this.dropConnection();
      }
      await delay(this.retryIntervalMs, signal);
    }
    return false;
  }

  /** Lets go of the lock (a standby takes it at its next try) and closes the connection. */
  async release(): Promise<void> {
    this.endTenure(new Error('released'));
    const client = this.client;
    if (!client) return;
    try {
      await client.query(`select pg_advisory_unlock(hashtext('harbour-projection:' || $1))`, [this.options.name]);
    } catch {
      // Ending the session below frees the lock all the same.
    }
    await this.dropConnection();
  }

  private async connect(): Promise<Client> {
    const client = new Client({
      connectionString: this.options.connectionString,
      keepAlive: true,
      query_timeout: Math.max(this.heartbeatIntervalMs, 1000),
      application_name: `harbour-leader:${this.options.name}`.slice(0, 63),
    });
    client.on('error', () => this.connectionLost(client));
    client.on('end', () => this.connectionLost(client));
    try {
      await client.connect();
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error;
    }
    this.client = client;
    return client;
  }

  private startTenure(client: Client): void {
    this.tenure = new AbortController();
    this.heartbeat = setInterval(() => {
      client.query('select 1').catch(() => this.connectionLost(client));
    }, this.heartbeatIntervalMs);
    this.heartbeat.unref();
  }

  private connectionLost(client: Client): void {
    if (client !== this.client) return;
    this.endTenure(new Error('connection to PostgreSQL lost'));
    void this.dropConnection();
  }

  private endTenure(reason: Error): void {
    clearInterval(this.heartbeat);
    this.heartbeat = undefined;
    if (this.tenure && !this.tenure.signal.aborted) this.tenure.abort(reason);
    this.tenure = undefined;
  }

  private async dropConnection(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }
}

function delay(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}
