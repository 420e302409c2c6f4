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
}

export interface AccessLogPage {
  readonly items: readonly AccessRecord[];
  /** True when more records matched than `limit`: narrow the range or the filters. */
  readonly truncated: boolean;
}

export interface AccessLogDeps {
  readonly store: EventStore;
  /** The clock port: when a view happened is the recorded time of the read. */
  readonly now: () => Date;
  /** Checks event data against its JSON Schema (the application's schema registry). */
  readonly validate: (eventType: string, schemaVersion: number, data: unknown) => void;
}

/** The widest range one query may read: one stream per day. */
export const MAX_ACCESS_LOG_DAYS = 31;
const SCHEMA_VERSION = 1;
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
  constructor(private readonly deps: AccessLogDeps) {}

  /** Records a view. Resolves once it is durable: callers send the record only after that. */
  recordView(view: CaseView): Promise<bigint> {
    const viewedAt = this.deps.now().toISOString();
    const data = {
      caseId: view.caseId,
      viewerId: view.viewer.userId,
      role: view.viewer.role,
      agency: view.viewer.agency,
      endpoint: view.endpoint,
      viewedAt,
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
      if (!queue.flushing) void this.flush(stream, queue);
    });
  }

  // Views of one day queue here and are appended together, one append at a time: concurrent
  // reads then never race each other for the head (which, retried, would starve under load),
  // and a burst of reads shares one commit. Another process appending to the same day is the
  // only contention left, and a retry settles it.
  private readonly queues = new Map<string, DayQueue>();

  private async flush(stream: string, queue: DayQueue): Promise<void> {
    queue.flushing = true;
    while (queue.views.length > 0) {
      const batch = queue.views.splice(0, this.batchLength(queue.views));
      try {
        const position = await this.append(
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

  private async append(stream: string, events: readonly PendingView['event'][]): Promise<bigint> {
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
    const items: AccessRecord[] = [];
    for (const day of days) {
      for await (const event of this.readDay(day)) {
        const record = toRecord(event);
        const at = Date.parse(record.viewedAt);
        if (at < from.getTime() || at >= to.getTime()) continue;
        if (query.caseId !== undefined && record.caseId !== query.caseId) continue;
        if (query.viewer !== undefined && record.viewerId !== query.viewer) continue;
        if (items.length === query.limit) return { items, truncated: true };
        items.push(record);
      }
    }
    return { items, truncated: false };
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
    stream: event.stream,
    revision: String(event.revision),
    position: String(event.position),
  };
}

/** Every UTC day (`YYYY-MM-DD`) that `[from, to)` touches. */
function utcDays(from: Date, to: Date): string[] {
  const days: string[] = [];
  const day = Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate());
  // Bounded: a range wider than the limit stops one past it.
  for (let at = day; at < to.getTime() && days.length <= MAX_ACCESS_LOG_DAYS; at += 86_400_000) {
    days.push(new Date(at).toISOString().slice(0, 10));
  }
  return days;
}
