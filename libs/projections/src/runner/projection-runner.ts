import type { EventStore, RecordedEvent } from '@harbour/event-store';
import { CheckpointConflictError, keyString, type ReadStore, type Row } from '@harbour/read-store';
import { handledEventTypes, type Projection } from '../projection';
import {
  changesOf,
  foldEvents,
  parkedRecord,
  planEvents,
  type EventPlan,
  type RowSlot,
  type RowSlots,
} from './projection-fold';
import { ProjectionFailedError, ProjectionVersionError, errorName } from './projection-runner.errors';
import { LiveBatches } from './live-batches';

/** Where a projection stands after a batch. */
export interface ProjectionProgress {
  readonly projection: string;
  /** `catch-up` reading history, `live` following the subscription, `rebuild` filling shadow tables. */
  readonly phase: 'catch-up' | 'live' | 'rebuild';
  /** The checkpoint after the batch. */
  readonly checkpoint: bigint;
  /** The store's last position when the batch was read (catch-up and rebuild only). */
  readonly head?: bigint;
  /** Events applied by the batch. */
  readonly applied: number;
  /** Events parked by the batch. */
  readonly parked: number;
  /** Events applied or parked since this phase began. */
  readonly total: number;
}

/** An event a batch applied, as {@link ProjectionRunnerOptions.onApplied} names it: no data. */
export interface AppliedEvent {
  readonly position: bigint;
  readonly eventId: string;
  readonly eventType: string;
  readonly stream: string;
  readonly correlationId?: string;
}

/** What the runner reports about itself; never row or event data (they may hold personal data). */
export interface ProjectionLogEntry {
  readonly level: 'info' | 'warn' | 'error';
  readonly message: string;
  readonly fields: Readonly<Record<string, string | number | boolean>>;
}

export interface ProjectionRunnerOptions {
  /** The most events read and committed at once (default 500). */
  readonly batchSize?: number;
  /**
   * The most events per batch when rebuilding (default `batchSize` if given, else 2000): shadow
   * tables serve no reader, so larger batches (fewer, bigger transactions) only cost a bounded
   * amount of memory.
   */
  readonly rebuildBatchSize?: number;
  readonly onProgress?: (progress: ProjectionProgress) => void;
  readonly onLog?: (entry: ProjectionLogEntry) => void;
  /**
   * Told, after each commit, which events the batch applied (not those it parked): for logs that
   * trace an event's correlation id into the read side. Identifiers only leave through it.
   */
  readonly onApplied?: (applied: {
    readonly phase: ProjectionProgress['phase'];
    readonly events: readonly AppliedEvent[];
  }) => void;
  /** Live mode: how long a batch waits for more events after its first (default 5 ms). */
  readonly liveBatchWindowMs?: number;
  /**
   * Live mode: after this long without an event, the checkpoint moves up to the store's head if
   * no handled event lies before it (default 1000 ms), so that lag and read-your-writes waits see
   * the projection as current even when the latest events are of types it does not handle.
   */
  readonly idleCheckpointMs?: number;
  /** The suffix of shadow tables built by a rebuild (default `__rebuild`). */
  readonly rebuildSuffix?: string;
  /** When the stored version is older than the code's, `run` rebuilds first (default true); otherwise it throws. */
  readonly rebuildOnVersionChange?: boolean;
  /** The clock for parked-event times. */
  readonly now?: () => Date;
}

export interface RetryReport {
  /** Parked events that now applied and are no longer parked. */
  readonly unparked: number;
  /** Parked events that failed again (still parked, with the latest error). */
  readonly stillParked: number;
}

/** The checkpoint a series of batches writes: the live one, or a rebuild's shadow one. */
interface Target {
  readonly suffix: string;
  readonly key: string;
  position: bigint;
  generation: number;
  /** Bumped when the position moves by anything but this target's own batches (a swap, another writer). */
  epoch: number;
}

interface BatchResult {
  readonly applied: number;
  readonly parked: number;
}

/**
 * Runs one projection: reads `$all` (only the event types its models handle) from its checkpoint,
 * folds each batch with the models' `evolve` against the rows loaded for it, and commits the
 * changed rows, parked events and the new checkpoint in one read-store transaction, so a crash
 * between batches re-applies nothing and loses nothing.
 *
 * Every commit names the checkpoint generation it was computed against: when another writer got
 * there first (a rebuild's swap, a retry from the CLI, an old leader that lost its lock mid-batch)
 * the batch is refused, and the runner reloads its checkpoint and reads on from there.
 */
export class ProjectionRunner {
  private readonly batchSize: number;
  private readonly rebuildBatchSize: number;
  private readonly windowMs: number;
  private readonly idleMs: number;
  private readonly suffix: string;
  private readonly eventTypes: string[];
  private readonly now: () => Date;
  private readonly live: Target;
  private stopController = new AbortController();
  private readonly activities = new Set<Promise<unknown>>();
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly eventStore: EventStore,
    private readonly readStore: ReadStore,
    readonly projection: Projection,
    private readonly options: ProjectionRunnerOptions = {},
  ) {
    this.batchSize = options.batchSize ?? 500;
    if (!Number.isInteger(this.batchSize) || this.batchSize < 1)
      throw new Error('batchSize must be a positive whole number');
    this.rebuildBatchSize = options.rebuildBatchSize ?? options.batchSize ?? 2000;
    if (!Number.isInteger(this.rebuildBatchSize) || this.rebuildBatchSize < 1)
      throw new Error('rebuildBatchSize must be a positive whole number');
    this.windowMs = options.liveBatchWindowMs ?? 5;
    this.idleMs = options.idleCheckpointMs ?? 1000;
    this.suffix = options.rebuildSuffix ?? '__rebuild';
    if (this.suffix === '') throw new Error('rebuildSuffix must not be empty');
    this.eventTypes = handledEventTypes(projection);
    this.now = options.now ?? (() => new Date());
    this.live = { suffix: '', key: projection.name, position: -1n, generation: 0, epoch: 0 };
  }

  /**
   * Catches up, then follows the store live until `stop()` (or `signal`), which lets the batch in
   * hand commit. Creates the tables on first run; when the stored version is older than the code's,
   * rebuilds first (the old tables keep serving meanwhile).
   * @throws ProjectionFailedError under the `stop` policy, after committing what came before.
   * @throws ProjectionVersionError when the stored tables are from a newer version.
   */
  run(signal?: AbortSignal): Promise<void> {
    return this.activity(signal, async (stop) => {
      await this.prepare(stop);
      while (!stop.aborted) {
        try {
          await this.catchUpTarget(this.live, 'catch-up', stop);
          if (!stop.aborted) await this.follow(stop);
        } catch (error) {
          if (!(error instanceof CheckpointConflictError)) throw error;
          this.log('warn', 'another writer moved the checkpoint; reading on from it', {});
          await this.reload(this.live);
          await this.checkVersion();
        }
      }
    });
  }

  /** Applies everything up to the store's head once, then resolves: for the CLI and tests. */
  catchUp(signal?: AbortSignal): Promise<void> {
    return this.activity(signal, async (stop) => {
      await this.prepare(stop);
      for (;;) {
        try {
          await this.catchUpTarget(this.live, 'catch-up', stop);
          return;
        } catch (error) {
          if (!(error instanceof CheckpointConflictError)) throw error;
          await this.reload(this.live);
          await this.checkVersion();
        }
      }
    });
  }

  /** Lets the batch in hand commit, ends `run`, `catchUp` and `rebuild`, and resolves when they have. */
  async stop(): Promise<void> {
    this.stopController.abort();
    await Promise.allSettled([...this.activities]);
    this.stopController = new AbortController();
  }

  /** How far the projection is behind the store: head − checkpoint (events of other types count too). */
  async lag(): Promise<bigint> {
    const [head, checkpoint] = await Promise.all([
      this.eventStore.headPosition(),
      this.readStore.checkpoint(this.projection.name),
    ]);
    const lag = head - (checkpoint?.position ?? -1n);
    return lag > 0n ? lag : 0n;
  }

  /**
   * Rebuilds blue/green: fills shadow tables from position 0 with the same batches as live
   * projection (memory stays at one batch), catches up with what arrived meanwhile, then swaps
   * them in with their checkpoint in one transaction. The live tables serve reads throughout,
   * and a live runner elsewhere carries on from the swapped checkpoint.
   */
  rebuild(options: { onProgress?: (progress: ProjectionProgress) => void; signal?: AbortSignal } = {}): Promise<void> {
    return this.activity(options.signal, (stop) => this.rebuildInto(stop, options.onProgress));
  }

  /**
   * Rebuilds several projections over one event store with one pass over `$all` between them
   * (each {@link rebuild} alone reads and parses every event once per projection): each page is
   * read once, and every runner folds the events of its types into its own shadow tables and
   * commits them with its own shadow checkpoint, as its own rebuild would. Each then catches up
   * with what arrived meanwhile and swaps in, one after another. Same guarantees as `rebuild`: the
   * live tables serve throughout, and an interrupted rebuild leaves them unchanged.
   * @throws when the runners do not share one event store and one read store
   */
  static async rebuildTogether(
    runners: readonly ProjectionRunner[],
    options: { onProgress?: (progress: ProjectionProgress) => void; signal?: AbortSignal } = {},
  ): Promise<void> {
    if (runners.length === 0) return;
    const [first] = runners;
    if (runners.some((runner) => runner.eventStore !== first.eventStore || runner.readStore !== first.readStore)) {
      throw new Error('Runners rebuilt together share one event store and one read store');
    }
    const shadows = new Map<ProjectionRunner, Target>();
    const handles = new Map<ProjectionRunner, Set<string>>();
    for (const runner of runners) {
      shadows.set(runner, await runner.startShadow());
      handles.set(runner, new Set(runner.eventTypes));
    }
    const eventTypes = [...new Set(runners.flatMap((runner) => runner.eventTypes))];
    const batchSize = Math.max(...runners.map((runner) => runner.rebuildBatchSize));
    const totals = new Map<ProjectionRunner, number>();
    let after = -1n;
    const stop = options.signal ?? new AbortController().signal;
    while (!stop.aborted) {
      const head = await first.eventStore.headPosition();
      const { events, reachedEnd } = await first.readPage(after, batchSize, eventTypes);
      if (events.length === 0 && (!reachedEnd || head <= after)) break;
      // Every event of every runner's types up to here is in the page: each checkpoint may move
      // to its end (to the head when the page reached it), past events of other types.
      const upTo = reachedEnd ? head : events[events.length - 1].position;
      for (const runner of runners) {
        const shadow = shadows.get(runner)!;
        const mine = events.filter((event) => handles.get(runner)!.has(event.type));
        const epoch = shadow.epoch;
        const result = await runner.exclusive(() => runner.applyBatch(shadow, epoch, mine, upTo, 'rebuild'));
        if (!result) throw new Error(`The shadow checkpoint of ${runner.projection.name} moved during its rebuild`);
        const total = (totals.get(runner) ?? 0) + result.applied + result.parked;
        totals.set(runner, total);
        runner.report({ phase: 'rebuild', target: shadow, head, result, total }, options.onProgress);
      }
      after = upTo;
      if (reachedEnd) break;
    }
    for (const runner of runners) {
      await runner.activity(options.signal, (signal) =>
        runner.finishShadow(shadows.get(runner)!, signal, options.onProgress),
      );
    }
  }

  /**
   * Applies the parked events again, in position order, each against the rows as they are now;
   * those that succeed are unparked in the same transaction as their changes.
   */
  async retryParked(): Promise<RetryReport> {
    let unparked = 0;
    let stillParked = 0;
    const models = this.projection.readModels;
    for (const parked of await this.readStore.parkedEvents(this.projection.name)) {
      const event = await this.eventAt(parked.position, parked.eventId);
      if (!event) {
        this.log('warn', 'parked event no longer in the store; left parked', { position: parked.position.toString() });
        stillParked += 1;
        continue;
      }
      const retried = await this.exclusive(async () => {
        for (let attempt = 0; ; attempt++) {
          await this.reload(this.live);
          const plans = planEvents(this.projection, [event]);
          const slots = await this.loadSlots(plans, '');
          const outcome = foldEvents({ ...this.projection, onFailure: 'park' }, plans, slots);
          const failed = outcome.parked[0];
          try {
            await this.readStore.commitBatch({
              projection: this.projection.name,
              version: this.projection.version,
              tables: models,
              changes: failed ? [] : changesOf(slots),
              parked: failed ? [parkedRecord(this.projection.name, failed, this.now())] : [],
              unparked: failed ? [] : [parked.position],
              checkpoint: this.live.position,
              expectedGeneration: this.live.generation,
            });
            this.live.generation += 1;
            return !failed;
          } catch (error) {
            if (!(error instanceof CheckpointConflictError) || attempt >= 4) throw error;
          }
        }
      });
      if (retried) unparked += 1;
      else stillParked += 1;
    }
    this.log('info', 'retried parked events', { unparked, stillParked });
    return { unparked, stillParked };
  }

  private async activity(signal: AbortSignal | undefined, work: (stop: AbortSignal) => Promise<void>): Promise<void> {
    const stop = signal ? AbortSignal.any([signal, this.stopController.signal]) : this.stopController.signal;
    const running = work(stop);
    this.activities.add(running);
    try {
      await running;
    } finally {
      this.activities.delete(running);
    }
  }

  /** Tables exist and the stored version is this code's, rebuilding into it if it is older. */
  private async prepare(stop: AbortSignal): Promise<void> {
    const checkpoint = await this.readStore.checkpoint(this.projection.name);
    if (checkpoint && checkpoint.version !== this.projection.version) {
      if (checkpoint.version > this.projection.version) {
        throw new ProjectionVersionError(
          this.projection.name,
          checkpoint.version,
          this.projection.version,
          'refusing to run older code',
        );
      }
      if (this.options.rebuildOnVersionChange === false) {
        throw new ProjectionVersionError(
          this.projection.name,
          checkpoint.version,
          this.projection.version,
          'rebuild it',
        );
      }
      this.log('info', 'stored version is older: rebuilding', {
        storedVersion: checkpoint.version,
        version: this.projection.version,
      });
      await this.rebuildInto(stop, undefined);
      if (stop.aborted) return;
    }
    await this.readStore.ensureTables(this.projection.readModels);
    await this.reload(this.live);
  }

  private async checkVersion(): Promise<void> {
    const checkpoint = await this.readStore.checkpoint(this.projection.name);
    if (checkpoint && checkpoint.version > this.projection.version) {
      throw new ProjectionVersionError(
        this.projection.name,
        checkpoint.version,
        this.projection.version,
        'refusing to run older code',
      );
    }
  }

  private async rebuildInto(
    stop: AbortSignal,
    onProgress: ((progress: ProjectionProgress) => void) | undefined,
  ): Promise<void> {
    await this.finishShadow(await this.startShadow(), stop, onProgress);
  }

  /** Empty shadow tables and their checkpoint, ready to be filled from position 0. */
  private async startShadow(): Promise<Target> {
    const models = this.projection.readModels;
    const shadow: Target = {
      suffix: this.suffix,
      key: `${this.projection.name}${this.suffix}`,
      position: -1n,
      generation: 0,
      epoch: 0,
    };
    // A shadow left by an interrupted rebuild may be from other code: start clean.
    await this.readStore.discardShadow(this.projection.name, models, this.suffix);
    await this.readStore.ensureTables(models, this.suffix);
    this.log('info', 'rebuild started', {});
    return shadow;
  }

  /** Fills the shadow up to the store's head (from wherever it is), then swaps it in. */
  private async finishShadow(
    shadow: Target,
    stop: AbortSignal,
    onProgress: ((progress: ProjectionProgress) => void) | undefined,
  ): Promise<void> {
    const models = this.projection.readModels;
    await this.catchUpTarget(shadow, 'rebuild', stop, onProgress);
    if (stop.aborted) {
      this.log('info', 'rebuild interrupted; the live tables are unchanged', { position: shadow.position.toString() });
      return;
    }
    await this.exclusive(async () => {
      await this.readStore.swapIn(this.projection.name, this.projection.version, models, this.suffix, shadow.position);
      // A live loop in this runner must read on from the swapped checkpoint, not its own.
      await this.reload(this.live);
    });
    this.log('info', 'rebuild swapped in', { position: shadow.position.toString() });
  }

  /** Reads and applies batches until the store has no more events for the target. */
  private async catchUpTarget(
    target: Target,
    phase: 'catch-up' | 'rebuild',
    stop: AbortSignal,
    onProgress?: (progress: ProjectionProgress) => void,
  ): Promise<void> {
    let total = 0;
    while (!stop.aborted) {
      // The head is read before the page: when the page reaches the end, every handled event up
      // to the head is in it, and the checkpoint may go to the head.
      const epoch = target.epoch;
      const head = await this.eventStore.headPosition();
      const { events, reachedEnd } = await this.readPage(
        target.position,
        phase === 'rebuild' ? this.rebuildBatchSize : this.batchSize,
      );
      if (events.length === 0 && (!reachedEnd || head <= target.position)) return;
      const result = await this.exclusive(() =>
        this.applyBatch(target, epoch, events, reachedEnd ? head : undefined, phase),
      );
      // The checkpoint moved under the page (a swap in this process): read again from it.
      if (!result) continue;
      total += result.applied + result.parked;
      this.report({ phase, target, head, result, total }, onProgress);
      if (reachedEnd) return;
    }
  }

  /** Follows the live subscription from the checkpoint, batching what arrives, until stopped. */
  private async follow(stop: AbortSignal): Promise<void> {
    const target = this.live;
    const epoch = target.epoch;
    const subscription = this.eventStore.subscribeToAll({
      fromPosition: target.position < 0n ? 'start' : target.position,
      filter: { eventTypes: this.eventTypes },
    });
    const batches = new LiveBatches(subscription[Symbol.asyncIterator](), {
      batchSize: this.batchSize,
      windowMs: this.windowMs,
      idleMs: this.idleMs,
      stop,
    });
    let total = 0;
    try {
      while (target.epoch === epoch) {
        const batch = await batches.next();
        if (batch.kind === 'stopped' || batch.kind === 'ended') return;
        if (batch.kind === 'idle') {
          await this.exclusive(() => this.advanceIdle(target, epoch));
          continue;
        }
        const result = await this.exclusive(() => this.applyBatch(target, epoch, batch.events, undefined, 'live'));
        // The checkpoint moved under the subscription: resubscribe from where it is now.
        if (!result) return;
        total += result.applied + result.parked;
        this.report({ phase: 'live', target, result, total });
        if (batch.ended || stop.aborted) return;
      }
    } finally {
      await subscription.close();
    }
  }

  /**
   * Moves the checkpoint to the head when nothing the projection handles lies between: safe
   * because a read from the checkpoint, made after reading the head, finds no handled event up to
   * the head, so the subscription cannot deliver one there either.
   */
  private async advanceIdle(target: Target, epoch: number): Promise<void> {
    if (target.epoch !== epoch) return;
    const head = await this.eventStore.headPosition();
    if (head <= target.position) return;
    const { events } = await this.readPage(target.position, 1);
    if (events.length > 0 && events[0].position <= head) return;
    await this.applyBatch(target, epoch, [], head, 'live');
  }

  /** Up to `limit` handled events after `after`, and whether that is all the store has. */
  private async readPage(
    after: bigint,
    limit = this.batchSize,
    eventTypes: string[] = this.eventTypes,
  ): Promise<{ events: RecordedEvent[]; reachedEnd: boolean }> {
    const events: RecordedEvent[] = [];
    // Read from the checkpoint itself (inclusive) rather than after it: a checkpoint is always a
    // real position, which every adapter can start from.
    for await (const event of this.eventStore.readAll({
      fromPosition: after < 0n ? 'start' : after,
      maxCount: limit + 1,
      filter: { eventTypes },
    })) {
      if (event.position <= after) continue;
      events.push(event);
      if (events.length === limit) return { events, reachedEnd: false };
    }
    return { events, reachedEnd: true };
  }

  /**
   * Loads the batch's rows, folds, and commits changes, parked events and checkpoint together.
   * `advanceTo` lets the checkpoint pass events of other types up to the head. Returns null, doing
   * nothing, when the target's checkpoint was moved by someone else since `epoch`: the events were
   * read from a position that is no longer the checkpoint.
   */
  private async applyBatch(
    target: Target,
    epoch: number,
    batch: readonly RecordedEvent[],
    advanceTo: bigint | undefined,
    phase: ProjectionProgress['phase'],
  ): Promise<BatchResult | null> {
    if (target.epoch !== epoch) return null;
    const events = batch.filter((event) => event.position > target.position);
    const plans = planEvents(this.projection, events);
    const slots = await this.loadSlots(plans, target.suffix);
    const outcome = foldEvents(this.projection, plans, slots);
    let checkpoint = outcome.lastPosition ?? target.position;
    if (!outcome.failure && advanceTo !== undefined && advanceTo > checkpoint) checkpoint = advanceTo;
    const changes = changesOf(slots);
    const parkedAt = this.now();
    if (checkpoint !== target.position || changes.length > 0 || outcome.parked.length > 0) {
      await this.readStore.commitBatch({
        projection: this.projection.name,
        version: this.projection.version,
        tables: this.projection.readModels,
        changes,
        parked: outcome.parked.map((failure) => parkedRecord(this.projection.name, failure, parkedAt)),
        checkpoint,
        suffix: target.suffix || undefined,
        expectedGeneration: target.generation,
      });
      target.position = checkpoint;
      target.generation += 1;
    }
    if (this.options.onApplied) {
      const parked = new Set(outcome.parked.map(({ event }) => event));
      const applied = events
        .filter((event) => !parked.has(event) && event !== outcome.failure?.event && event.position <= checkpoint)
        .map(appliedEvent);
      if (applied.length > 0) this.options.onApplied({ phase, events: applied });
    }
    for (const { event, error } of outcome.parked) {
      this.log('warn', 'event parked', { ...traceOf(event), error: errorName(error) });
    }
    if (outcome.failure) {
      const { event, error } = outcome.failure;
      this.log('error', 'projection stopped at a failing event', { ...traceOf(event), error: errorName(error) });
      throw new ProjectionFailedError(this.projection.name, event, error);
    }
    return { applied: outcome.applied, parked: outcome.parked.length };
  }

  /** The stored rows the plans name, one query per model. */
  private async loadSlots(plans: readonly EventPlan[], suffix: string): Promise<RowSlots> {
    const keysByModel = new Map<Projection['readModels'][number], Map<string, Row>>();
    for (const { targets } of plans) {
      for (const { model, key, keyString } of targets) {
        let keys = keysByModel.get(model);
        if (!keys) keysByModel.set(model, (keys = new Map()));
        keys.set(keyString, key);
      }
    }
    const slots: RowSlots = new Map();
    for (const [model, keys] of keysByModel) {
      const rows = await this.readStore.loadRows(model, [...keys.values()], suffix || undefined);
      const byKey = new Map<string, RowSlot>();
      for (const row of rows) {
        // Frozen: an evolve that mutates its input (and then throws) would corrupt the batch.
        const frozen = Object.freeze(row);
        const k = keyString(model, frozen);
        byKey.set(k, { key: keys.get(k) ?? frozen, row: frozen, stored: true });
      }
      slots.set(model, byKey);
    }
    return slots;
  }

  /** Takes the target's checkpoint from the store; a change from what this runner knew starts a new epoch. */
  private async reload(target: Target): Promise<void> {
    const checkpoint = await this.readStore.checkpoint(target.key);
    const position = checkpoint?.position ?? -1n;
    const generation = checkpoint?.generation ?? 0;
    if (position !== target.position || generation !== target.generation) target.epoch += 1;
    target.position = position;
    target.generation = generation;
  }

  private async eventAt(position: bigint, id: string): Promise<RecordedEvent | undefined> {
    for await (const event of this.eventStore.readAll({ fromPosition: position, maxCount: 1 })) {
      return event.position === position && event.id === id ? event : undefined;
    }
    return undefined;
  }

  /** One batch at a time per runner: live batches, rebuild batches, retries and swaps never interleave. */
  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const result = this.queue.then(work);
    this.queue = result.catch(() => undefined);
    return result;
  }

  private report(
    {
      phase,
      target,
      head,
      result,
      total,
    }: { phase: ProjectionProgress['phase']; target: Target; head?: bigint; result: BatchResult; total: number },
    extra?: (progress: ProjectionProgress) => void,
  ): void {
    const progress: ProjectionProgress = {
      projection: this.projection.name,
      phase,
      checkpoint: target.position,
      head,
      applied: result.applied,
      parked: result.parked,
      total,
    };
    this.options.onProgress?.(progress);
    extra?.(progress);
  }

  private log(level: ProjectionLogEntry['level'], message: string, fields: ProjectionLogEntry['fields']): void {
    this.options.onLog?.({ level, message, fields: { projection: this.projection.name, ...fields } });
  }
}

function appliedEvent(event: RecordedEvent): AppliedEvent {
  const correlationId = event.metadata.correlationId;
  return {
    position: event.position,
    eventId: event.id,
    eventType: event.type,
    stream: event.stream,
    ...(typeof correlationId === 'string' ? { correlationId } : {}),
  };
}

/** Where an event is and which request it came from: never its data. */
function traceOf(event: RecordedEvent): Record<string, string> {
  const correlationId = event.metadata.correlationId;
  return {
    position: event.position.toString(),
    eventId: event.id,
    eventType: event.type,
    ...(typeof correlationId === 'string' ? { correlationId } : {}),
  };
}
