import { randomUUID } from 'node:crypto';
import { DomainExamples } from '@harbour/domain';
import { SqliteEventStore, type JsonObject } from '@harbour/event-store';
import { PROJECTIONS, ProjectionRunner, type ProjectionProgress } from '@harbour/projections';
import { SqliteReadStore } from '@harbour/read-store';
import { storedTables } from './support/counter.projection';

/** Every example history, each as a case of its own, appended to `store`. */
async function appendExampleCases(store: SqliteEventStore): Promise<void> {
  for (const [status, history] of Object.entries(DomainExamples.historyIn)) {
    const caseId = `11111111-1111-4111-8111-${String(Object.keys(DomainExamples.historyIn).indexOf(status)).padStart(12, '0')}`;
    const events = (history as () => { type: string; data: object }[])().map((event) => ({
      id: randomUUID(),
      type: event.type,
      data: { ...event.data, caseId } as JsonObject,
      metadata: { schemaVersion: 1 } as JsonObject,
    }));
    await store.appendToStream(`case-${caseId}`, events, { expectedRevision: 'no_stream' });
  }
}

describe('ProjectionRunner.rebuildTogether: one pass over $all for every projection', () => {
  it('builds the same tables and checkpoints as rebuilding each projection alone, in any page size', async () => {
    const eventStore = new SqliteEventStore({ filename: ':memory:' });
    await appendExampleCases(eventStore);
    const head = await eventStore.headPosition();
    const alone = new SqliteReadStore({ filename: ':memory:' });
    for (const projection of PROJECTIONS) await new ProjectionRunner(eventStore, alone, projection).rebuild();

    for (const rebuildBatchSize of [1, 7, 2000]) {
      const together = new SqliteReadStore({ filename: ':memory:' });
      const progress: ProjectionProgress[] = [];
      await ProjectionRunner.rebuildTogether(
        PROJECTIONS.map((projection) => new ProjectionRunner(eventStore, together, projection, { rebuildBatchSize })),
        { onProgress: (p) => progress.push(p) },
      );
      for (const projection of PROJECTIONS) {
        const expected = await storedTables(alone, projection);
        expect([...expected.values()].some((rows) => rows.length > 0)).toBe(true);
        expect(await storedTables(together, projection)).toEqual(expected);
        expect((await together.checkpoint(projection.name))?.position).toBe(head);
        expect(await together.parkedEvents(projection.name)).toEqual(await alone.parkedEvents(projection.name));
      }
      expect(new Set(progress.map((p) => p.projection))).toEqual(new Set(PROJECTIONS.map((p) => p.name)));
      expect(progress.every((p) => p.phase === 'rebuild')).toBe(true);
      await together.close();
    }
    await alone.close();
    await eventStore.close();
  });

  it('swaps each rebuilt projection over its live tables and leaves no shadow behind', async () => {
    const eventStore = new SqliteEventStore({ filename: ':memory:' });
    await appendExampleCases(eventStore);
    const readStore = new SqliteReadStore({ filename: ':memory:' });
    for (const projection of PROJECTIONS) await new ProjectionRunner(eventStore, readStore, projection).catchUp();
    const before = await Promise.all(PROJECTIONS.map((projection) => storedTables(readStore, projection)));

    await ProjectionRunner.rebuildTogether(
      PROJECTIONS.map((projection) => new ProjectionRunner(eventStore, readStore, projection, { rebuildBatchSize: 5 })),
    );

    const after = await Promise.all(PROJECTIONS.map((projection) => storedTables(readStore, projection)));
    expect(after).toEqual(before);
    for (const projection of PROJECTIONS) {
      await expect(readStore.checkpoint(`${projection.name}__rebuild`)).resolves.toBeUndefined();
    }
    await readStore.close();
    await eventStore.close();
  });
});
