import { InvalidPositionError, SqliteEventStore, type EventStore } from '@harbour/event-store';
import {
  ProjectionFailedError,
  ProjectionRunner,
  ProjectionVersionError,
  foldInMemory,
  type ProjectionProgress,
  type ProjectionRunnerOptions,
  type Projection,
} from '@harbour/projections';
import { SqliteReadStore, type ReadStore } from '@harbour/read-store';
import {
  allEvents,
  appendEvent,
  applicationCounts,
  counterProjection,
  eventually,
  expectedTables,
  storedTables,
  type CounterEventType,
} from './support/counter.projection';

describe('ProjectionRunner', () => {
  let eventStore: SqliteEventStore;
  let readStore: SqliteReadStore;
  let projection: Projection;
  const runners: ProjectionRunner[] = [];

  const runner = (
    options: ProjectionRunnerOptions = {},
    which: Projection = projection,
    store: ReadStore = readStore,
  ) => {
    const created = new ProjectionRunner(eventStore, store, which, { liveBatchWindowMs: 2, ...options });
    runners.push(created);
    return created;
  };

  /** `count` events round-robin over `streams` streams, every `ignoredEvery`-th of a type nobody handles. */
  async function appendMany(count: number, streams = 5, type: CounterEventType = 'Counted'): Promise<void> {
    await Promise.all(
      Array.from({ length: count }, (_, i) =>
        appendEvent(eventStore, `counter-${i % streams}`, i % 10 === 9 ? 'Ignored' : type, { n: i }),
      ),
    );
  }

  async function expectProjected(store: EventStore = eventStore, which: Projection = projection): Promise<void> {
    const stored = await storedTables(readStore, which);
    expect(stored).toEqual(await expectedTables(store, which));
    expect(applicationCounts(stored, which).every((count) => count === 1)).toBe(true);
  }

  beforeEach(() => {
    eventStore = new SqliteEventStore({ filename: ':memory:', pollIntervalMs: 10 });
    readStore = new SqliteReadStore({ filename: ':memory:' });
    projection = counterProjection('counter');
  });
  afterEach(async () => {
    await Promise.all(runners.splice(0).map((r) => r.stop()));
    await readStore.close();
    await eventStore.close();
  });

  it('refuses to read on from a checkpoint that names no event of this store (another store, an older copy)', async () => {
    await appendMany(20);
    await runner().catchUp();
    const kept = await readStore.checkpoint('counter');
    // The event store replaced by one holding less (restored from an older backup, or a new store).
    await eventStore.close();
    eventStore = new SqliteEventStore({ filename: ':memory:', pollIntervalMs: 10 });
    await appendMany(3);
    await expect(runner().catchUp()).rejects.toMatchObject({
      constructor: InvalidPositionError,
      position: kept?.position,
    });
    await expect(readStore.checkpoint('counter')).resolves.toMatchObject({ position: kept?.position });
  });

  describe('catching up', () => {
    it('projects history in batches and commits the checkpoint with each', async () => {
      await appendMany(95);
      await appendEvent(eventStore, 'other-1', 'Ignored');
      const progress: ProjectionProgress[] = [];
      await runner({ batchSize: 10, onProgress: (p) => progress.push(p) }).catchUp();

      await expectProjected();
      // 95 events, of which 9 are Ignored and never read: 86 in batches of 10.
      expect(progress.map((p) => p.applied)).toEqual([10, 10, 10, 10, 10, 10, 10, 10, 6]);
      expect(progress.every((p) => p.phase === 'catch-up')).toBe(true);
      // The last batch reached the end, so the checkpoint passes the trailing Ignored events.
      await expect(readStore.checkpoint('counter')).resolves.toMatchObject({
        position: await eventStore.headPosition(),
        version: 1,
      });
    });

    it('applies nothing twice when restarted from its checkpoint', async () => {
      await appendMany(40);
      await runner({ batchSize: 7 }).catchUp();
      const before = await readStore.checkpoint('counter');
      await runner({ batchSize: 7 }).catchUp();
      await expect(readStore.checkpoint('counter')).resolves.toEqual(before);
      await appendMany(13);
      await runner({ batchSize: 7 }).catchUp();
      await expectProjected();
    });

    it('loses and repeats nothing when a commit fails half-way through', async () => {
      await appendMany(60);
      let commits = 0;
      const failing: ReadStore = Object.assign(Object.create(readStore) as ReadStore, {
        commitBatch: (batch: Parameters<ReadStore['commitBatch']>[0]) => {
          commits += 1;
          return commits === 4 ? Promise.reject(new Error('disk full')) : readStore.commitBatch(batch);
        },
      });
      await expect(runner({ batchSize: 8 }, projection, failing).catchUp()).rejects.toThrow('disk full');
      await expect(readStore.checkpoint('counter')).resolves.toMatchObject({ generation: 3 });
      await runner({ batchSize: 8 }).catchUp();
      await expectProjected();
    });

    it('leaves a row untouched, lineage included, when evolve returns it unchanged', async () => {
      await appendEvent(eventStore, 'counter-1', 'Counted');
      await appendEvent(eventStore, 'counter-1', 'Unchanged');
      await runner().catchUp();
      const [row] = await readStore.select(projection.readModels[0], { limit: 1 });
      expect(row).toMatchObject({ count: 1, last_position: '1', first_at: '2015-04-01T09:00:00.000Z' });
      await expect(readStore.checkpoint('counter')).resolves.toMatchObject({ position: 2n });
    });
  });

  describe('failing events', () => {
    it('parks failing events with the batch and goes on; a retry applies those that now fit', async () => {
      await appendEvent(eventStore, 'counter-1', 'Tagged', { tag: 'early' });
      await appendEvent(eventStore, 'counter-1', 'Poison');
      await appendEvent(eventStore, 'counter-2', 'Counted');
      const sut = runner();
      await sut.catchUp();

      const parked = await readStore.parkedEvents('counter');
      expect(parked.map((p) => [p.position, p.type, p.error])).toEqual([
        [1n, 'Tagged', 'Error: Tagged before the stream was counted'],
        [2n, 'Poison', 'Error: poison event'],
      ]);
      const fold = foldInMemory(projection, await allEvents(eventStore));
      expect(fold.parked.map((p) => p.position)).toEqual([1n, 2n]);
      await expectProjected();

      await appendEvent(eventStore, 'counter-1', 'Counted');
      await sut.catchUp();
      await expect(sut.retryParked()).resolves.toEqual({ unparked: 1, stillParked: 1 });
      expect((await readStore.parkedEvents('counter')).map((p) => p.type)).toEqual(['Poison']);
      const rows = await readStore.select(projection.readModels[0], { limit: 10 });
      expect(rows.find((row) => row.stream === 'counter-1')).toMatchObject({ tags: ['early'], tagged: true, count: 1 });
      // The retry applied the Tagged event once more than the fold (which parked it): once in all.
      expect(applicationCounts(await storedTables(readStore, projection), projection)).toEqual([1, 1, 1]);
    });

    it('parks an event whose evolve mutates the row it was given', async () => {
      const base = counterProjection('mutating');
      const [counters, applications] = base.readModels;
      const mutating: Projection = {
        ...base,
        readModels: [
          {
            ...counters,
            evolve: (row, event) => {
              // A bug: writes to the row it was handed, then carries on.
              if (row && event.type === 'Tagged') (row as Record<string, unknown>).count = 99;
              return counters.evolve(row, event);
            },
          },
          applications,
        ],
      };
      await appendEvent(eventStore, 'counter-1', 'Counted');
      await appendEvent(eventStore, 'counter-1', 'Tagged');
      await runner({}, mutating).catchUp();
      expect((await readStore.parkedEvents('mutating')).map((p) => p.error)).toEqual([
        expect.stringContaining('TypeError'),
      ]);
      await expect(readStore.select(mutating.readModels[0], { limit: 1 })).resolves.toMatchObject([{ count: 1 }]);
    });

    it('stops at a failing event under the stop policy, after committing what came before', async () => {
      const stopping = counterProjection('stopping', { onFailure: 'stop' });
      await appendEvent(eventStore, 'counter-1', 'Counted');
      await appendEvent(eventStore, 'counter-2', 'Counted');
      await appendEvent(eventStore, 'counter-1', 'Poison');
      await appendEvent(eventStore, 'counter-3', 'Counted');

      const error = await runner({}, stopping)
        .catchUp()
        .then(
          () => undefined,
          (e: unknown) => e,
        );
      expect(error).toBeInstanceOf(ProjectionFailedError);
      expect(error).toMatchObject({ position: 3n, eventType: 'Poison', projection: 'stopping' });
      await expect(readStore.checkpoint('stopping')).resolves.toMatchObject({ position: 2n });
      const fold = foldInMemory(stopping, await allEvents(eventStore));
      expect(fold.failure?.event.position).toBe(3n);
      expect(await storedTables(readStore, stopping)).toEqual(new Map(fold.tables));
      await expect(readStore.parkedEvents('stopping')).resolves.toEqual([]);
      // Restarted, it stops at the same event again rather than skip it.
      await expect(runner({}, stopping).run()).rejects.toBeInstanceOf(ProjectionFailedError);
    });
  });

  describe('live', () => {
    it('follows new events, batching what arrives together, until stopped', async () => {
      await appendMany(20);
      const progress: ProjectionProgress[] = [];
      const sut = runner({
        batchSize: 100,
        liveBatchWindowMs: 20,
        idleCheckpointMs: 50,
        onProgress: (p) => progress.push(p),
      });
      const running = sut.run();
      await eventually(async () => (await sut.lag()) === 0n, 'caught up');

      // Appended concurrently, these commit in a few live batches, not one per event.
      await appendMany(300, 7);
      await eventually(async () => (await sut.lag()) === 0n, 'the 300 live events are projected');
      const live = progress.filter((p) => p.phase === 'live');
      expect(live.reduce((sum, p) => sum + p.applied, 0)).toBe(270);
      expect(live.length).toBeLessThan(30);

      for (let i = 0; i < 5; i++) await appendEvent(eventStore, 'counter-late', 'Counted');
      await eventually(async () => (await sut.lag()) === 0n, 'single live events are projected');
      await sut.stop();
      await expect(running).resolves.toBeUndefined();
      await expectProjected();
    });

    it('moves its checkpoint past events it does not handle once idle', async () => {
      await appendEvent(eventStore, 'counter-1', 'Counted');
      const sut = runner({ idleCheckpointMs: 20 });
      const running = sut.run();
      await eventually(async () => (await sut.lag()) === 0n, 'caught up');
      await appendEvent(eventStore, 'other', 'Ignored');
      await appendEvent(eventStore, 'other', 'Ignored');
      expect(await sut.lag()).toBe(2n);
      await eventually(async () => (await sut.lag()) === 0n, 'the checkpoint passed the ignored events');
      await sut.stop();
      await running;
    });

    it('finishes the batch in hand when stopped mid-run, and resumes from there', async () => {
      await appendMany(200);
      let batches = 0;
      let stopping: Promise<void> | undefined;
      const sut = runner({
        batchSize: 10,
        onProgress: () => {
          batches += 1;
          if (batches === 3) stopping = sut.stop();
        },
      });
      await sut.run();
      await stopping;
      const checkpoint = await readStore.checkpoint('counter');
      const head = await eventStore.headPosition();
      expect(checkpoint!.position).toBeLessThan(head);
      // The tables hold exactly the events up to the checkpoint.
      const upTo = (await allEvents(eventStore)).filter((e) => e.position <= checkpoint!.position);
      expect(await storedTables(readStore, projection)).toEqual(new Map(foldInMemory(projection, upTo).tables));

      await runner().catchUp();
      await expectProjected();
    });

    it('reports lag as head minus checkpoint', async () => {
      const sut = runner();
      await expect(sut.lag()).resolves.toBe(0n);
      await appendMany(3);
      await expect(sut.lag()).resolves.toBe(4n);
      await sut.catchUp();
      await expect(sut.lag()).resolves.toBe(0n);
      await appendEvent(eventStore, 'counter-1', 'Counted');
      await expect(sut.lag()).resolves.toBe(1n);
    });
  });

  describe('rebuild', () => {
    it('rebuilds into shadow tables while the live tables serve and follow, then swaps', async () => {
      await appendMany(300, 11);
      const conflicts: string[] = [];
      const live = runner({
        batchSize: 50,
        idleCheckpointMs: 50,
        onLog: (entry) => entry.level === 'warn' && conflicts.push(entry.message),
      });
      const running = live.run();
      await eventually(async () => (await live.lag()) === 0n, 'caught up');

      const rebuilder = runner({ batchSize: 25 });
      const reads: number[] = [];
      let appending = true;
      const appender = (async () => {
        for (let i = 0; appending; i++) await appendEvent(eventStore, `counter-${i % 13}`, 'Counted');
      })();
      const progress: ProjectionProgress[] = [];
      await rebuilder.rebuild({
        onProgress: async (p) => {
          progress.push(p);
          // Readers keep getting full answers from the live tables while the shadow fills.
          reads.push((await readStore.select(projection.readModels[0], { limit: 100 })).length);
        },
      });
      appending = false;
      await appender;
      // The live runner's next commit meets the swapped checkpoint: refused, it reads on from there.
      await appendMany(20, 3);

      expect(progress.length).toBeGreaterThan(10);
      expect(progress.every((p) => p.phase === 'rebuild' && p.applied <= 25)).toBe(true);
      expect(reads.every((n) => n >= 11)).toBe(true);
      await eventually(async () => (await live.lag()) === 0n, 'the live runner read on after the swap');
      await live.stop();
      await running;
      await expectProjected();
      expect(conflicts).toContain('another writer moved the checkpoint; reading on from it');
      await expect(readStore.checkpoint('counter__rebuild')).resolves.toBeUndefined();
    });

    it('rebuilds when the code is a newer version, and refuses to run older code', async () => {
      await appendMany(30);
      await runner().catchUp();
      const v2 = counterProjection('counter', { version: 2, weight: 10 });
      const sut = runner({}, v2);
      const running = sut.run();
      await eventually(async () => (await readStore.checkpoint('counter'))?.version === 2, 'rebuilt at version 2');
      await eventually(async () => (await sut.lag()) === 0n, 'caught up');
      await sut.stop();
      await running;
      await expectProjected(eventStore, v2);

      await expect(runner().run()).rejects.toBeInstanceOf(ProjectionVersionError);
    });
  });
});
