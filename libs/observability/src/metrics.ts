import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics, type CounterConfiguration } from 'prom-client';
import { WrongExpectedRevisionError, type EventStore } from '@harbour/event-store';
import type { ReadStore } from '@harbour/read-store';

/** The content type of {@link HarbourMetrics.render}'s text. */
export const METRICS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** What a projection's lag and parked events are measured by: a name, as checkpoints are kept. */
export interface WatchedProjection {
  readonly name: string;
}

/**
 * Harbour's Prometheus metrics, one registry per process (or per app in tests). Labels are
 * bounded sets known in advance (command and event types, projection names, route templates,
 * outcomes): never an id, a raw URL or anything from a request body, so no personal data can
 * reach a label and the number of series stays fixed.
 */
export class HarbourMetrics {
  readonly registry = new Registry();
  readonly commands: Counter<'command' | 'outcome'>;
  readonly commandDuration: Histogram<'command' | 'outcome'>;
  readonly appendDuration: Histogram<'outcome'>;
  readonly eventsAppended: Counter<'type'>;
  readonly deadlineBreaches: Counter;
  readonly projectionEvents: Counter<'projection'>;
  readonly projectionBatches: Counter<'projection'>;
  readonly httpRequests: Counter<'method' | 'route' | 'status'>;
  readonly httpDuration: Histogram<'method' | 'route'>;
  private readonly projectionLag: Gauge<'projection'>;
  private readonly parkedEvents: Gauge<'projection'>;
  private watched?: { eventStore: EventStore; readStore: ReadStore; projections: readonly WatchedProjection[] };
  private collecting?: Promise<void>;

  constructor(options: { service: string; processMetrics?: boolean }) {
    this.registry.setDefaultLabels({ service: options.service });
    if (options.processMetrics ?? true) collectDefaultMetrics({ register: this.registry, prefix: 'harbour_' });
    const counter = <L extends string>(config: CounterConfiguration<L>) =>
      new Counter<L>({ ...config, registers: [this.registry] });
    this.commands = counter({
      name: 'harbour_commands_total',
      help: 'Commands handled, by command type and outcome (accepted, replayed, unchanged, rejected, conflict, ...)',
      labelNames: ['command', 'outcome'],
    });
    this.commandDuration = new Histogram({
      name: 'harbour_command_duration_seconds',
      help: 'Time from dispatch to outcome of a command (load, fold, decide, validate, append)',
      labelNames: ['command', 'outcome'],
      buckets: LATENCY_BUCKETS,
      registers: [this.registry],
    });
    this.appendDuration = new Histogram({
      name: 'harbour_event_store_append_duration_seconds',
      help: 'Event store appends, by outcome (ok, conflict, error)',
      labelNames: ['outcome'],
      buckets: LATENCY_BUCKETS,
      registers: [this.registry],
    });
    this.eventsAppended = counter({
      name: 'harbour_events_appended_total',
      help: 'Events appended by this process, by event type',
      labelNames: ['type'],
    });
    this.deadlineBreaches = counter({
      name: 'harbour_deadline_breaches_total',
      help: 'DeadlineBreached events recorded by this process (two schedulers racing for one may both count it)',
    });
    this.projectionEvents = counter({
      name: 'harbour_projection_events_total',
      help: 'Events applied or parked by projections running in this process',
      labelNames: ['projection'],
    });
    this.projectionBatches = counter({
      name: 'harbour_projection_batches_total',
      help: 'Batches committed by projections running in this process',
      labelNames: ['projection'],
    });
    this.httpRequests = counter({
      name: 'harbour_http_requests_total',
      help: 'HTTP requests, by method, route template and status code',
      labelNames: ['method', 'route', 'status'],
    });
    this.httpDuration = new Histogram({
      name: 'harbour_http_request_duration_seconds',
      help: 'HTTP request duration, by method and route template',
      labelNames: ['method', 'route'],
      buckets: LATENCY_BUCKETS,
      registers: [this.registry],
    });
    // Lag and parked events are read from the stores when scraped, so every instance reports the
    // same truth whichever process runs the projections (the API in embedded mode, a projector).
    const collect = () => this.collectProjections();
    this.projectionLag = new Gauge({
      name: 'harbour_projection_lag_events',
      help: "Positions between the event store's head and the projection's checkpoint",
      labelNames: ['projection'],
      registers: [this.registry],
      collect,
    });
    this.parkedEvents = new Gauge({
      name: 'harbour_projection_parked_events',
      help: 'Events parked (failed) by a projection and not yet retried successfully',
      labelNames: ['projection'],
      registers: [this.registry],
      collect,
    });
  }

  /** Reports lag and parked events of `projections` on every scrape. */
  watchProjections(eventStore: EventStore, readStore: ReadStore, projections: readonly WatchedProjection[]): void {
    this.watched = { eventStore, readStore, projections };
  }

  /**
   * Times `store`'s appends and counts the events they write, in place: every holder of the
   * store (command handlers, the deadline scheduler) is measured without knowing it.
   */
  instrumentEventStore(store: EventStore): void {
    const append = store.appendToStream.bind(store);
    store.appendToStream = async (stream, events, options) => {
      const end = this.appendDuration.startTimer();
      try {
        const result = await append(stream, events, options);
        end({ outcome: 'ok' });
        for (const event of events) {
          this.eventsAppended.inc({ type: event.type });
          if (event.type === 'DeadlineBreached') this.deadlineBreaches.inc();
        }
        return result;
      } catch (error) {
        end({ outcome: error instanceof WrongExpectedRevisionError ? 'conflict' : 'error' });
        throw error;
      }
    };
  }

  /** Counts a committed projection batch (the runner's `onProgress`). */
  projectionBatch(projection: string, events: number): void {
    this.projectionBatches.inc({ projection });
    this.projectionEvents.inc({ projection }, events);
  }

  /** The Prometheus text exposition of every metric. */
  render(): Promise<string> {
    return this.registry.metrics();
  }

  /** One read of the stores per scrape, shared by both gauges (the registry collects them concurrently). */
  private collectProjections(): Promise<void> {
    this.collecting ??= this.readProjections().finally(() => {
      this.collecting = undefined;
    });
    return this.collecting;
  }

  private async readProjections(): Promise<void> {
    this.projectionLag.reset();
    this.parkedEvents.reset();
    if (!this.watched) return;
    const { eventStore, readStore, projections } = this.watched;
    // A store that is down leaves the gauges empty for this scrape rather than failing it: the
    // other metrics still matter most then, and readiness says the store is down.
    try {
      const head = await eventStore.headPosition();
      for (const projection of projections) {
        const checkpoint = (await readStore.checkpoint(projection.name))?.position ?? -1n;
        this.projectionLag.set({ projection: projection.name }, Number(head > checkpoint ? head - checkpoint : 0n));
        this.parkedEvents.set({ projection: projection.name }, (await readStore.parkedEvents(projection.name)).length);
      }
    } catch {
      this.projectionLag.reset();
      this.parkedEvents.reset();
    }
  }
}
