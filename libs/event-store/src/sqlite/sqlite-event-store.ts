import Database from 'better-sqlite3';
import {
  CorruptStoreError,
  EventStoreClosedError,
  EventStoreError,
  InvalidPositionError,
  StreamNotFoundError,
  WrongExpectedRevisionError,
} from '../event-store.errors';
import {
  DEFAULT_MAX_APPEND_BYTES,
  type AppendOptions,
  type AppendResult,
  type EventData,
  type EventFilter,
  type EventStore,
  type ExpectedRevision,
  type JsonObject,
  type ReadAllOptions,
  type ReadStreamOptions,
  type RecordedEvent,
  type SubscribeToAllOptions,
  type Subscription,
} from '../event-store.port';
import { checkFilter, checkPosition, prepareAppend, type SerialisedEvent } from '../event-store.validation';
import { migrate } from './sqlite-schema';
import { PollingSubscription } from './polling-subscription';

export interface SqliteEventStoreOptions {
  /** A file path, or `':memory:'` for a store that lives and dies with the process. */
  readonly filename: string;
  /**
   * `FULL` (the default) makes every acknowledged append survive power loss; `NORMAL` survives a
   * process crash but may lose the last commits on power loss.
   */
  readonly synchronous?: 'FULL' | 'NORMAL';
  /** How often a caught-up subscription looks for appends made by another process. */
  readonly pollIntervalMs?: number;
  /** The most appends committed in one transaction. */
  readonly maxBatchSize?: number;
  /** How long to wait for another process's write lock before failing. */
  readonly busyTimeoutMs?: number;
  /** The recorded-time source (the clock port, in tests a fake clock). */
  readonly now?: () => Date;
  /**
   * Run SQLite's `quick_check` when a file is opened (default true): a damaged file then stops
   * start-up with `CorruptStoreError` rather than serving what can still be read. It reads the
   * whole file once, about a second per gigabyte here.
   */
  readonly integrityCheck?: boolean;
  /** The largest append taken, in bytes as `appendSize` counts them (default 1 MiB, as EventStoreDB's). */
  readonly maxAppendBytes?: number;
}

interface PendingAppend {
  readonly stream: string;
  readonly events: readonly SerialisedEvent[];
  readonly expectedRevision: ExpectedRevision;
  readonly resolve: (result: AppendResult) => void;
  readonly reject: (error: unknown) => void;
}

interface EventRow {
  position: bigint;
  id: string;
  stream: string;
  revision: bigint;
  type: string;
  data: string;
  metadata: string;
  recorded_at: string;
}

const PAGE_SIZE = 512;
/** Streams whose heads one store remembers at most (the cache starts over past it). */
const MAX_CACHED_HEADS = 100_000;
const COLUMNS = 'position, id, stream, revision, type, data, metadata, recorded_at';

/**
 * The embedded event store: one SQLite file in WAL mode.
 *
 * Appends issued while a commit is running are queued and committed together in the next
 * transaction (group commit), so many concurrent appenders share one fsync; each append keeps
 * its own expected-revision check inside a savepoint, and its own result or error.
 */
export class SqliteEventStore implements EventStore {
  readonly maxAppendBytes: number;
  private readonly db: Database.Database;
  private readonly now: () => Date;
  private readonly maxBatchSize: number;
  private readonly pollIntervalMs: number;
  private queue: PendingAppend[] = [];
  private flushScheduled = false;
  private closed = false;
  private readonly waiters = new Set<() => void>();
  private readonly subscriptions = new Set<PollingSubscription>();
  /**
   * The last revision of streams this connection appended to, so an append reads no index (at
   * millions of events a deeper B-tree). Trusted only while SQLite's `data_version` is unchanged,
   * i.e. no other connection (another process, a second store on the file) has committed since:
   * then the cache is dropped. Only committed heads enter it (see `commitBatch`).
   */
  private readonly heads = new Map<string, bigint>();
  private headsDataVersion: number | undefined;
  /** Heads written by the transaction in progress, kept only if it commits. */
  private staged = new Map<string, bigint>();

  private readonly statements: {
    currentRevision: Database.Statement<[string], { revision: bigint | null }>;
    insert: Database.Statement<[string, string, bigint, string, string, string, string]>;
    lastPosition: Database.Statement<[], { position: bigint | null }>;
    eventAt: Database.Statement<[bigint], { position: bigint }>;
    findById: Database.Statement<[string], { stream: string; revision: bigint; position: bigint }>;
    readForwards: Database.Statement<[string, bigint, number], EventRow>;
    readBackwards: Database.Statement<[string, bigint, number], EventRow>;
  };
  private readonly commitBatch: (batch: PendingAppend[]) => Array<AppendResult | Error>;

  constructor(options: SqliteEventStoreOptions) {
    this.now = options.now ?? (() => new Date());
    this.maxBatchSize = options.maxBatchSize ?? 1024;
    this.pollIntervalMs = options.pollIntervalMs ?? 100;
    this.maxAppendBytes = options.maxAppendBytes ?? DEFAULT_MAX_APPEND_BYTES;
    this.db = openDatabase(options);
    migrate(this.db);

    const prepare = <P extends unknown[], R = unknown>(sql: string) => this.db.prepare<P, R>(sql).safeIntegers(true);
    this.statements = {
      currentRevision: prepare('SELECT max(revision) AS revision FROM events WHERE stream = ?'),
      insert: prepare(
        'INSERT INTO events (id, stream, revision, type, data, metadata, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ),
      lastPosition: prepare('SELECT max(position) AS position FROM events'),
      eventAt: prepare('SELECT position FROM events WHERE position = ?'),
      findById: prepare('SELECT stream, revision, position FROM events WHERE id = ?'),
      readForwards: prepare(
        `SELECT ${COLUMNS} FROM events WHERE stream = ? AND revision >= ? ORDER BY revision LIMIT ?`,
      ),
      readBackwards: prepare(
        `SELECT ${COLUMNS} FROM events WHERE stream = ? AND revision <= ? ORDER BY revision DESC LIMIT ?`,
      ),
    };

    const appendOne = this.db.transaction((pending: PendingAppend, recordedAt: string) =>
      this.appendInTransaction(pending, recordedAt),
    );
    const batchTransaction = this.db.transaction((batch: PendingAppend[]) => {
      // Under the write lock (IMMEDIATE): no other connection can commit until this one does.
      const dataVersion = this.db.pragma('data_version', { simple: true }) as number;
      if (dataVersion !== this.headsDataVersion || this.heads.size > MAX_CACHED_HEADS) {
        this.heads.clear();
        this.headsDataVersion = dataVersion;
      }
      const recordedAt = this.now().toISOString();
      return batch.map((pending) => {
        // The nested transaction is a savepoint: a refused append rolls back alone. A one-event
        // append needs none: its single INSERT either happens or fails whole (SQLite rolls back
        // just the failed statement), and that saves two statements per append under load.
        try {
          return pending.events.length === 1
            ? this.appendInTransaction(pending, recordedAt)
            : appendOne(pending, recordedAt);
        } catch (error) {
          return this.recoverFromFailedAppend(pending, error);
        }
      });
    });
    // IMMEDIATE takes the write lock up front, so a writer in another process waits (busy_timeout)
    // instead of failing on a lock upgrade half-way through the batch.
    this.commitBatch = (batch) => {
      this.staged = new Map();
      try {
        const outcomes = batchTransaction.immediate(batch);
        for (const [stream, revision] of this.staged) this.heads.set(stream, revision);
        return outcomes;
      } finally {
        this.staged = new Map();
      }
    };
  }

  appendToStream(stream: string, events: readonly EventData[], options: AppendOptions): Promise<AppendResult> {
    if (this.closed) return Promise.reject(new EventStoreClosedError());
    let serialised: SerialisedEvent[];
    try {
      serialised = prepareAppend(stream, events, options?.expectedRevision, this.maxAppendBytes);
    } catch (error) {
      return Promise.reject(error);
    }
    return new Promise<AppendResult>((resolve, reject) => {
      this.queue.push({ stream, events: serialised, expectedRevision: options.expectedRevision, resolve, reject });
      this.scheduleFlush();
    });
  }

  readStream(stream: string, options: ReadStreamOptions = {}): AsyncIterable<RecordedEvent> {
    const backwards = options.direction === 'backwards';
    const limit = options.maxCount ?? Number.POSITIVE_INFINITY;
    const from = options.fromRevision;
    return {
      [Symbol.asyncIterator]: async function* (this: SqliteEventStore) {
        this.assertOpen();
        const head = this.statements.currentRevision.get(stream)?.revision ?? null;
        if (head === null) throw new StreamNotFoundError(stream);
        let cursor = from === undefined || from === 'start' ? (backwards ? head : 0n) : from === 'end' ? head : from;
        let remaining = limit;
        while (remaining > 0) {
          this.assertOpen();
          const page = Math.min(PAGE_SIZE, remaining);
          const rows = (backwards ? this.statements.readBackwards : this.statements.readForwards).all(
            stream,
            cursor,
            page,
          );
          for (const row of rows) yield toRecordedEvent(row);
          if (rows.length < page) return;
          remaining -= rows.length;
          cursor = rows[rows.length - 1].revision + (backwards ? -1n : 1n);
        }
      }.bind(this),
    };
  }

  readAll(options: ReadAllOptions = {}): AsyncIterable<RecordedEvent> {
    checkFilter(options.filter);
    const backwards = options.direction === 'backwards';
    const limit = options.maxCount ?? Number.POSITIVE_INFINITY;
    const from = options.fromPosition;
    return {
      [Symbol.asyncIterator]: async function* (this: SqliteEventStore) {
        this.assertOpen();
        this.checkEventPosition(from);
        // Forwards from the end, or backwards from the start (or from "nothing yet"), there is nothing to read.
        if ((from === 'end' && !backwards) || ((from === 'start' || from === -1n) && backwards)) return;
        let cursor =
          typeof from === 'bigint'
            ? from < 0n
              ? 0n
              : from
            : backwards
              ? (this.statements.lastPosition.get()?.position ?? 0n)
              : 0n;
        let remaining = limit;
        while (remaining > 0) {
          this.assertOpen();
          const page = Math.min(PAGE_SIZE, remaining);
          const rows = this.readAllPage(cursor, backwards, page, options.filter);
          for (const row of rows) yield toRecordedEvent(row);
          if (rows.length < page) return;
          remaining -= rows.length;
          cursor = rows[rows.length - 1].position + (backwards ? -1n : 1n);
        }
      }.bind(this),
    };
  }

  subscribeToAll(options: SubscribeToAllOptions = {}): Subscription {
    checkFilter(options.filter);
    this.assertOpen();
    const from = options.fromPosition ?? 'start';
    let invalid: Error | undefined;
    try {
      this.checkEventPosition(from);
    } catch (error) {
      invalid = error as Error;
    }
    const after =
      from === 'start' || from === -1n
        ? 0n
        : from === 'end'
          ? (this.statements.lastPosition.get()?.position ?? 0n)
          : from;
    const subscription = new PollingSubscription({
      after,
      invalid,
      readPage: (position) => {
        // The head is read first: whatever the page read then sees is at least that far.
        const head = this.statements.lastPosition.get()?.position ?? 0n;
        const events = this.readAllPage(position + 1n, false, PAGE_SIZE, options.filter).map(toRecordedEvent);
        return { events, scannedTo: events.length === 0 ? head : position };
      },
      waitForAppend: (signal) => this.waitForAppend(signal),
      onClose: () => this.subscriptions.delete(subscription),
    });
    this.subscriptions.add(subscription);
    return subscription;
  }

  async headPosition(): Promise<bigint> {
    this.assertOpen();
    return this.statements.lastPosition.get()?.position ?? -1n;
  }

  /** The durability settings in force on the writing connection, as SQLite reports them. */
  storageSettings(): { journalMode: string; synchronous: 'OFF' | 'NORMAL' | 'FULL' | 'EXTRA' } {
    this.assertOpen();
    const synchronous = Number(this.db.pragma('synchronous', { simple: true }));
    return {
      journalMode: String(this.db.pragma('journal_mode', { simple: true })),
      synchronous: (['OFF', 'NORMAL', 'FULL', 'EXTRA'] as const)[synchronous],
    };
  }

  /** Waits for queued appends to commit, ends subscriptions and closes the file. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.flushNow();
    await Promise.all([...this.subscriptions].map((subscription) => subscription.close()));
    this.wakeWaiters();
    this.db.close();
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    // setImmediate runs after the promise continuations of the previous batch, so every appender
    // that was woken by the last commit has queued its next append before this one is taken.
    setImmediate(() => this.flushNow());
  }

  private flushNow(): void {
    this.flushScheduled = false;
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, this.maxBatchSize);
      let outcomes: Array<AppendResult | Error>;
      try {
        outcomes = this.commitBatch(batch);
      } catch (error) {
        // The whole transaction failed (disk full, lock timeout): nobody in it was acknowledged.
        for (const pending of batch) pending.reject(error);
        continue;
      }
      batch.forEach((pending, index) => {
        const outcome = outcomes[index];
        if (outcome instanceof Error) pending.reject(outcome);
        else pending.resolve(outcome);
      });
      this.wakeWaiters();
    }
  }

  private appendInTransaction(pending: PendingAppend, recordedAt: string): AppendResult {
    const { stream, events, expectedRevision } = pending;
    const current =
      this.staged.get(stream) ??
      this.heads.get(stream) ??
      this.statements.currentRevision.get(stream)?.revision ??
      null;
    if (!revisionMatches(expectedRevision, current)) {
      throw new WrongExpectedRevisionError(stream, expectedRevision, current ?? 'no_stream');
    }
    let revision = current ?? -1n;
    let position = 0n;
    for (const event of events) {
      revision += 1n;
      const { lastInsertRowid } = this.statements.insert.run(
        event.id,
        stream,
        revision,
        event.type,
        event.data,
        event.metadata,
        recordedAt,
      );
      position = BigInt(lastInsertRowid);
    }
    // Every insert succeeded; the enclosing savepoint (several events) or statement (one) stands.
    this.staged.set(stream, revision);
    return { nextRevision: revision, position };
  }

  /**
   * A failed append may be the retry of one already stored (same ids at the same revisions): then
   * it gets the first result, as EventStoreDB does. Otherwise its own error stands.
   */
  private recoverFromFailedAppend(pending: PendingAppend, error: unknown): AppendResult | Error {
    const stored = pending.events.map((event) => this.statements.findById.get(event.id));
    const firstRevision = stored[0]?.revision;
    const isRetry =
      firstRevision !== undefined &&
      stored.every(
        (row, index) =>
          row !== undefined && row.stream === pending.stream && row.revision === firstRevision + BigInt(index),
      ) &&
      (typeof pending.expectedRevision !== 'bigint' || pending.expectedRevision + 1n === firstRevision) &&
      (pending.expectedRevision !== 'no_stream' || firstRevision === 0n);
    if (isRetry) {
      const last = stored[stored.length - 1]!;
      return { nextRevision: last.revision, position: last.position };
    }
    if (error instanceof EventStoreError) return error;
    const duplicate = stored.findIndex((row) => row !== undefined);
    if (duplicate >= 0) {
      const row = stored[duplicate]!;
      return new DuplicateEventIdError(pending.events[duplicate].id, row.stream, row.revision);
    }
    return error instanceof Error ? error : new Error(String(error));
  }

  private readAllPage(cursor: bigint, backwards: boolean, limit: number, filter: EventFilter | undefined): EventRow[] {
    const { sql, params } = allQuery(backwards, filter);
    return this.statementFor(sql).all(cursor, ...params, limit) as EventRow[];
  }

  private readonly statementCache = new Map<string, Database.Statement>();
  private statementFor(sql: string): Database.Statement {
    let statement = this.statementCache.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql).safeIntegers(true);
      this.statementCache.set(sql, statement);
    }
    return statement;
  }

  /** Resolves on the next in-process commit, after the poll interval (another process may have appended), or on abort. */
  private waitForAppend(signal: AbortSignal): Promise<void> {
    return new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(done);
        signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, this.pollIntervalMs);
      this.waiters.add(done);
      signal.addEventListener('abort', done);
    });
  }

  private wakeWaiters(): void {
    for (const wake of [...this.waiters]) wake();
  }

  private assertOpen(): void {
    if (this.closed) throw new EventStoreClosedError();
  }

  /** A position from outside must be an event's (rowids leave no gaps, but one past the head is none). */
  private checkEventPosition(position: bigint | 'start' | 'end' | undefined): void {
    checkPosition(position);
    if (typeof position === 'bigint' && position >= 0n && this.statements.eventAt.get(position) === undefined) {
      throw new InvalidPositionError(position);
    }
  }
}

/** The event id is already stored elsewhere: a new event must have a new id. */
export class DuplicateEventIdError extends EventStoreError {
  readonly code = 'duplicate_event_id';
  constructor(
    readonly eventId: string,
    readonly storedIn: string,
    readonly storedAt: bigint,
  ) {
    super(`Event id ${eventId} is already stored in ${storedIn} at revision ${storedAt}`);
    this.name = 'DuplicateEventIdError';
  }
}

function openDatabase(options: SqliteEventStoreOptions): Database.Database {
  const db = new Database(options.filename);
  try {
    db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5000}`);
    if (options.filename !== ':memory:') db.pragma('journal_mode = WAL');
    // Switching to WAL leaves synchronous at the compiled default (which this build reports as FULL
    // but is not guaranteed): set it explicitly.
    db.pragma(`synchronous = ${options.synchronous ?? 'FULL'}`);
    if (options.filename !== ':memory:' && options.integrityCheck !== false) {
      const findings = (db.pragma('quick_check') as { quick_check: string }[]).map((row) => row.quick_check);
      if (findings.join() !== 'ok') throw new CorruptStoreError(options.filename, summary(findings));
    }
    return db;
  } catch (error) {
    db.close();
    if (error instanceof Database.SqliteError && (error.code === 'SQLITE_NOTADB' || error.code === 'SQLITE_CORRUPT')) {
      throw new CorruptStoreError(options.filename, error.message);
    }
    throw error;
  }
}

/** SQLite's findings on one line, the first few only. */
function summary(findings: readonly string[]): string {
  return findings
    .flatMap((finding) => finding.split('\n'))
    .filter((line) => !line.startsWith('***'))
    .slice(0, 3)
    .join('; ');
}

function revisionMatches(expected: ExpectedRevision, current: bigint | null): boolean {
  switch (expected) {
    case 'any':
      return true;
    case 'no_stream':
      return current === null;
    case 'stream_exists':
      return current !== null;
    default:
      return current === expected;
  }
}

function allQuery(backwards: boolean, filter: EventFilter | undefined): { sql: string; params: string[] } {
  let where = backwards ? 'position <= ?' : 'position >= ?';
  let params: string[] = [];
  if (filter && 'streamPrefixes' in filter) {
    where += ` AND (${filter.streamPrefixes.map(() => 'substr(stream, 1, length(?)) = ?').join(' OR ')})`;
    params = filter.streamPrefixes.flatMap((prefix) => [prefix, prefix]);
  } else if (filter) {
    // `+type` keeps the planner on the rowid (position) order: a projection wants most types, and
    // a per-type index would turn each page into several range scans plus a sort.
    where += ` AND +type IN (${filter.eventTypes.map(() => '?').join(', ')})`;
    params = [...filter.eventTypes];
  }
  return {
    sql: `SELECT ${COLUMNS} FROM events WHERE ${where} ORDER BY position ${backwards ? 'DESC' : 'ASC'} LIMIT ?`,
    params,
  };
}

function toRecordedEvent(row: EventRow): RecordedEvent {
  return {
    id: row.id,
    stream: row.stream,
    revision: row.revision,
    position: row.position,
    type: row.type,
    data: JSON.parse(row.data) as JsonObject,
    metadata: JSON.parse(row.metadata) as JsonObject,
    recordedAt: new Date(row.recorded_at),
  };
}
