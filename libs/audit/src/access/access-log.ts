import { randomUUID } from 'node:crypto';
import { accessLogStreamName } from '@harbour/domain';
import {
  appendSize,
  StreamNotFoundError,
  WrongExpectedRevisionError,
  type EventStore,
  type JsonObject,
  type RecordedEvent,
} from '@harbour/event-store';
import { chainEvents, headHashOf } from '../chain/hash-chain';
import { InvalidAuditQueryError } from '../audit.errors';

/** Who read a case, and through what. */
export interface CaseView {
  readonly caseId: string;
  readonly viewer: {
    readonly userId: string;
    readonly role: string;
    readonly agency: string;
    readonly region?: string;
  };
  /** The route pattern (`GET /cases/:caseId/history`) or the command that sent the record. */
  readonly endpoint: string;
  readonly correlationId?: string;
}

/** One entry of the read-access log. */
export interface AccessRecord {
  readonly caseId: string;
  readonly viewerId: string;
  readonly role: string;
  readonly agency: string;
  readonly endpoint: string;
  readonly viewedAt: string;
  /** How many identical views this record stands for (1 unless coalesced). */
  readonly count: number;
  /** When the last of them was sent (`viewedAt` for a single view). */
  readonly lastViewedAt: string;
  readonly stream: string;
  readonly revision: string;
  readonly position: string;
}

export interface AccessLogQuery {
  readonly caseId?: string;
  readonly viewer?: string;
  /** Inclusive. */
  readonly from: Date;
  /** Exclusive. */
  readonly to: Date;
  readonly limit: number;
  /** `nextCursor` of the previous page: the records after it. */
  readonly cursor?: string;
}

export interface AccessLogPage {
  readonly items: readonly AccessRecord[];
  /** When more records matched than `limit`: pass back as `cursor` for the next page; else null. */
  readonly nextCursor: string | null;
}

export interface AccessLogDeps {
  readonly store: EventStore;
  /** The clock port: when a view happened is the recorded time of the read. */
  readonly now: () => Date;
  /** Checks event data against its JSON Schema (the application's schema registry). */
  readonly validate: (eventType: string, schemaVersion: number, data: unknown) => void;
  /**
   * How long after a view recorded on its own the same viewer's identical views (same case and
   * endpoint) are counted rather than recorded one by one (default one minute; 0: never).
   */
  readonly coalesceWindowMs?: number;
}

/** Identical views within a window of a view recorded on its own, counted, to be recorded as one. */
interface Repeats {
  readonly view: CaseView;
  readonly firstAt: string;
  lastAt: string;
  count: number;
}

/** The widest range one query may read: one stream per day. */
export const MAX_ACCESS_LOG_DAYS = 31;
const SCHEMA_VERSION = 1;
const DEFAULT_COALESCE_WINDOW_MS = 60_000;
const MAX_ATTEMPTS = 20;
const MAX_BATCH = 256;
/** What chaining adds to an event's metadata: `"prevHash":"<64 hex>","hash":"<64 hex>"` and commas. */
const CHAIN_LINK_BYTES = 160;

interface PendingView {
  readonly event: {
    readonly id: string;
    readonly type: string;
    readonly data: JsonObject;
    readonly metadata: JsonObject;
  };
  readonly resolve: (position: bigint) => void;
  readonly reject: (error: unknown) => void;
}

interface DayQueue {
  readonly views: PendingView[];
  flushing: boolean;
}

/**
 * The read-access log: a `CaseRecordViewed` per response that carries a case's personal data or
 * history, in a stream per UTC day (`audit-access-<yyyy-mm-dd>`), hash-chained like every stream.
 *
 * It appends without going through the command path: a log entry decides nothing, and loading the
 * whole day's stream for each read would make every read slower as the day goes on. It reads only
 * the day's last event for its hash and appends with that revision expected.
 */
export class AccessLog {
  private readonly windowMs: number;
  /** When each (viewer, case, endpoint) was last recorded on its own, by key. */
  private readonly recorded = new Map<string, number>();
  /** Identical views counted since, by key. */
  private readonly repeats = new Map<string, Repeats>();
  private sweeper?: NodeJS.Timeout;

  constructor(private readonly deps: AccessLogDeps) {
    this.windowMs = deps.coalesceWindowMs ?? DEFAULT_COALESCE_WINDOW_MS;
  }

  /**
   * Records a view. Resolves once it is durable: callers send the record only after that.
   *
   * A view identical to one recorded on its own less than the coalescing window ago (same viewer,
   * case and endpoint) is counted instead, and the count recorded as one `CaseRecordViewed` (with
   * `count` and `lastViewedAt`) when the window has passed: a client polling one case cannot write
   * a record per request, and every distinct view is still recorded at once. Counted views are
   * kept in memory until then (`flush` records them, as the API does when it stops).
   */
  async recordView(view: CaseView): Promise<bigint | undefined> {
    const at = this.deps.now();
    const key = `${view.viewer.userId}\n${view.caseId}\n${view.endpoint}`;
    const last = this.recorded.get(key);
    if (this.windowMs > 0 && last !== undefined && at.getTime() - last < this.windowMs) {
      const repeats = this.repeats.get(key);
      if (repeats) {
        repeats.count += 1;
        repeats.lastAt = at.toISOString();
      } else {
        this.repeats.set(key, { view, firstAt: at.toISOString(), lastAt: at.toISOString(), count: 1 });
      }
      this.sweepLater();
      return undefined;
    }
    // The window has passed: what was counted in it is recorded first, then this view on its own.
    await this.flushKey(key);
    const position = await this.append(view, at.toISOString());
    this.recorded.set(key, at.getTime());
    this.sweepLater();
    return position;
  }

  /** Records every count kept so far (at shutdown, or to read the log complete). */
  async flush(): Promise<void> {
    if (this.sweeper) clearTimeout(this.sweeper);
    this.sweeper = undefined;
    for (const key of [...this.repeats.keys()]) await this.flushKey(key);
    this.recorded.clear();
  }

  private async flushKey(key: string): Promise<void> {
    const repeats = this.repeats.get(key);
    if (!repeats) return;
    this.repeats.delete(key);
    await this.append(repeats.view, repeats.firstAt, repeats.count === 1 ? undefined : repeats);
  }

  // Counts whose window has passed are recorded within a window or so, even if no view follows.
  private sweepLater(): void {
    if (this.sweeper || this.windowMs <= 0) return;
    this.sweeper = setTimeout(() => {
      this.sweeper = undefined;
      const cutoff = this.deps.now().getTime() - this.windowMs;
      for (const [key, at] of this.recorded) if (at <= cutoff && !this.repeats.has(key)) this.recorded.delete(key);
      const due = [...this.repeats.keys()].filter((key) => (this.recorded.get(key) ?? 0) <= cutoff);
      void Promise.all(due.map((key) => this.flushKey(key))).catch(() => undefined);
      if (this.repeats.size > 0 || this.recorded.size > 0) this.sweepLater();
    }, this.windowMs);
    this.sweeper.unref();
  }

  private append(view: CaseView, viewedAt: string, repeats?: Repeats): Promise<bigint> {
    const data = {
      caseId: view.caseId,
      viewerId: view.viewer.userId,
      role: view.viewer.role,
      agency: view.viewer.agency,
      endpoint: view.endpoint,
      viewedAt,
      ...(repeats ? { count: repeats.count, lastViewedAt: repeats.lastAt } : {}),
    };
    try {
      this.deps.validate('CaseRecordViewed', SCHEMA_VERSION, data);
    } catch (error) {
      return Promise.reject(error);
    }
    const id = randomUUID();
    const metadata: JsonObject = {
      actor: {
        userId: view.viewer.userId,
        role: view.viewer.role,
        agency: view.viewer.agency,
        ...(view.viewer.region === undefined ? {} : { region: view.viewer.region }),
      },
      occurredAt: viewedAt,
      correlationId: view.correlationId ?? id,
      causationId: id,
      commandId: id,
      schemaVersion: SCHEMA_VERSION,
    };
    const stream = accessLogStreamName(viewedAt.slice(0, 10));
    return new Promise<bigint>((resolve, reject) => {
      const queue = this.queues.get(stream) ?? { views: [], flushing: false };
      this.queues.set(stream, queue);
      queue.views.push({ event: { id, type: 'CaseRecordViewed', data, metadata }, resolve, reject });
      if (!queue.flushing) void this.drain(stream, queue);
    });
  }

  // Views of one day queue here and are appended together, one append at a time: concurrent
  // reads then never race each other for the head (which, retried, would starve under load),
  // and a burst of reads shares one commit. Another process appending to the same day is the
  // only contention left, and a retry settles it.
  private readonly queues = new Map<string, DayQueue>();

  private async drain(stream: string, queue: DayQueue): Promise<void> {
    queue.flushing = true;
    while (queue.views.length > 0) {
      const batch = queue.views.splice(0, this.batchLength(queue.views));
      try {
        const position = await this.appendBatch(
          stream,
          batch.map((view) => view.event),
        );
        for (const view of batch) view.resolve(position);
      } catch (error) {
        for (const view of batch) view.reject(error);
      }
    }
    queue.flushing = false;
    this.queues.delete(stream);
  }

  /**
   * How many of the queued views go into the next append: at most MAX_BATCH, and no more than the
   * store takes in one append (each event also gains its chain link, `prevHash` and `hash`).
   */
  private batchLength(views: readonly PendingView[]): number {
    let bytes = 0;
    let count = 0;
    for (const view of views.slice(0, MAX_BATCH)) {
      bytes += appendSize([view.event]) + CHAIN_LINK_BYTES;
      if (count > 0 && bytes > this.deps.store.maxAppendBytes) break;
      count += 1;
    }
    return count;
  }

  private async appendBatch(stream: string, events: readonly PendingView['event'][]): Promise<bigint> {
    for (let attempt = 1; ; attempt += 1) {
      const last = await this.lastEvent(stream);
      try {
        const result = await this.deps.store.appendToStream(stream, chainEvents(headHashOf(last), events), {
          expectedRevision: last?.revision ?? 'no_stream',
        });
        return result.position;
      } catch (error) {
        if (!(error instanceof WrongExpectedRevisionError) || attempt >= MAX_ATTEMPTS) throw error;
      }
    }
  }

  /** The views in `[from, to)` matching the filters, oldest first, at most `limit`. */
  async list(query: AccessLogQuery): Promise<AccessLogPage> {
    const { from, to } = query;
    if (to.getTime() <= from.getTime()) throw new InvalidAuditQueryError('to', 'to must be after from');
    const days = utcDays(from, to);
    if (days.length > MAX_ACCESS_LOG_DAYS) {
      throw new InvalidAuditQueryError(
        'from',
        `The range spans ${days.length} days; ask for at most ${MAX_ACCESS_LOG_DAYS} at a time`,
      );
    }
    const after = query.cursor === undefined ? undefined : decodeAccessLogCursor(query.cursor);
    const items: AccessRecord[] = [];
    for (const day of days) {
      // Days are streams, read in order: a cursor resumes after its record.
      if (after !== undefined && day < after.day) continue;
      for await (const event of this.readDay(day)) {
        if (after !== undefined && day === after.day && event.revision <= after.revision) continue;
        const record = toRecord(event);
        const at = Date.parse(record.viewedAt);
        if (at < from.getTime() || at >= to.getTime()) continue;
        if (query.caseId !== undefined && record.caseId !== query.caseId) continue;
        if (query.viewer !== undefined && record.viewerId !== query.viewer) continue;
        if (items.length === query.limit) return { items, nextCursor: accessLogCursor(items[items.length - 1]) };
        items.push(record);
      }
    }
    return { items, nextCursor: null };
  }

  private async lastEvent(stream: string): Promise<RecordedEvent | undefined> {
    try {
      for await (const event of this.deps.store.readStream(stream, { direction: 'backwards', maxCount: 1 })) {
        return event;
      }
    } catch (error) {
      if (!(error instanceof StreamNotFoundError)) throw error;
    }
    return undefined;
  }

  private async *readDay(day: string): AsyncIterable<RecordedEvent> {
    try {
      for await (const event of this.deps.store.readStream(accessLogStreamName(day))) {
        if (event.type === 'CaseRecordViewed') yield event;
      }
    } catch (error) {
      if (!(error instanceof StreamNotFoundError)) throw error;
    }
  }
}

function toRecord(event: RecordedEvent): AccessRecord {
  const data = event.data;
  const field = (name: string) => (typeof data[name] === 'string' ? (data[name] as string) : '');
  return {
    caseId: field('caseId'),
    viewerId: field('viewerId'),
    role: field('role'),
    agency: field('agency'),
    endpoint: field('endpoint'),
    viewedAt: field('viewedAt'),
    count: typeof data.count === 'number' ? data.count : 1,
    lastViewedAt: typeof data.lastViewedAt === 'string' ? data.lastViewedAt : field('viewedAt'),
    stream: event.stream,
    revision: String(event.revision),
    position: String(event.position),
  };
}

/** Every UTC day (`YYYY-MM-DD`) that `[from, to)` touches. */
const STREAM_PREFIX = accessLogStreamName('2000-01-01').slice(0, -'2000-01-01'.length);

/** An opaque cursor after `record`: base64url of JSON holding its day and revision there. */
function accessLogCursor(record: AccessRecord): string {
  const day = record.stream.slice(STREAM_PREFIX.length);
  return Buffer.from(JSON.stringify({ v: 1, d: day, r: record.revision }), 'utf8').toString('base64url');
}

/** The place a cursor from {@link accessLogCursor} points after. @throws InvalidAuditQueryError for anything else. */
function decodeAccessLogCursor(cursor: string): { day: string; revision: bigint } {
  try {
    if (/^[A-Za-z0-9_-]{1,200}$/.test(cursor)) {
      const payload = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Record<string, unknown>;
      const { v, d, r } = payload;
      if (
        v === 1 &&
        typeof d === 'string' &&
        /^\d{4}-\d{2}-\d{2}$/.test(d) &&
        typeof r === 'string' &&
        /^\d{1,19}$/.test(r)
      ) {
        return { day: d, revision: BigInt(r) };
      }
    }
  } catch {
    // Falls through to the refusal.
  }
  throw new InvalidAuditQueryError('cursor', 'cursor must be a nextCursor this API gave');
}

function utcDays(from: Date, to: Date): string[] {
  const days: string[] = [];
  const day = Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate());
  // Bounded: a range wider than the limit stops one past it.
  for (let at = day; at < to.getTime() && days.length <= MAX_ACCESS_LOG_DAYS; at += 86_400_000) {
    days.push(new Date(at).toISOString().slice(0, 10));
  }
  return days;
}
