import fc from 'fast-check';
import { SqliteEventStore } from '@harbour/event-store';
import { ProjectionRunner, foldInMemory } from '@harbour/projections';
import { SqliteReadStore } from '@harbour/read-store';
import {
  allEvents,
  appendEvent,
  counterProjection,
  storedTables,
  type CounterEventType,
} from './support/counter.projection';

const eventArbitrary = fc.record({
  stream: fc.constantFrom('counter-a', 'counter-b', 'counter-c', 'counter-ü'),
  type: fc.constantFrom<CounterEventType>(
    'Counted',
    'Counted',
    'Counted',
    'Tagged',
    'Reset',
    'Poison',
    'Unchanged',
    'Ignored',
  ),
  tag: fc.constantFrom('x', 'y'),
});

describe('projection fold (property)', () => {
  it('gives the same tables incrementally, in any batch size, by rebuild, and in memory', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(eventArbitrary, { maxLength: 60 }),
        fc.integer({ min: 1, max: 15 }),
        fc.integer({ min: 1, max: 9 }),
        fc.nat(),
        async (events, batchSize, rebuildBatchSize, splitSeed) => {
          const eventStore = new SqliteEventStore({ filename: ':memory:' });
          const incremental = new SqliteReadStore({ filename: ':memory:' });
          const rebuilt = new SqliteReadStore({ filename: ':memory:' });
          const projection = counterProjection('prop');
          try {
            // Incremental: catch up after a first part of the history, then after the rest.
            const split = events.length === 0 ? 0 : splitSeed % (events.length + 1);
            for (const [i, event] of events.entries()) {
              if (i === split) {
                await new ProjectionRunner(eventStore, incremental, projection, { batchSize }).catchUp();
                await new ProjectionRunner(eventStore, rebuilt, projection, { batchSize }).catchUp();
              }
              await appendEvent(eventStore, event.stream, event.type, { tag: event.tag });
            }
            await new ProjectionRunner(eventStore, incremental, projection, { batchSize }).catchUp();

            // Rebuild: over live tables that hold the first part (rows and parked events), swapped in at the end.
            const rebuilder = new ProjectionRunner(eventStore, rebuilt, projection, { batchSize: rebuildBatchSize });
            await rebuilder.rebuild();

            const fold = foldInMemory(projection, await allEvents(eventStore));
            const expected = new Map(fold.tables);
            expect(await storedTables(incremental, projection)).toEqual(expected);
            expect(await storedTables(rebuilt, projection)).toEqual(expected);
            for (const store of [incremental, rebuilt]) {
              expect((await store.parkedEvents('prop')).map((p) => [p.position, p.error])).toEqual(
                fold.parked.map((p) => [p.position, p.error]),
              );
            }
          } finally {
            await incremental.close();
            await rebuilt.close();
            await eventStore.close();
          }
        },
      ),
      { numRuns: 40 },
    );
  });
});
