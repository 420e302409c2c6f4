import { EsdbEventStore } from '@harbour/event-store';
import { anEvent, collect, startEsdbTestServer, take, type EsdbTestServer } from '@harbour/testing';

describe('EsdbEventStore (what only the EventStoreDB adapter promises)', () => {
  let server: EsdbTestServer;
  let sut: EsdbEventStore;
  beforeEach(async () => {
    server = await startEsdbTestServer();
    sut = new EsdbEventStore({ connectionString: server.connectionString, resubscribeDelayMs: { first: 10, max: 50 } });
  });
  afterEach(async () => {
    await sut.close();
    await server.stop();
  });

  it('resubscribes after a dropped subscription from the last delivered position: no gap, no repeat', async () => {
    for (let n = 0; n < 3; n++)
      await sut.appendToStream('case-1', [anEvent('Numbered', n)], { expectedRevision: 'any' });
    const subscription = sut.subscribeToAll();
    try {
      expect((await take(subscription, 3)).map((e) => e.data.n)).toEqual([0, 1, 2]);

      server.dropSubscriptions();
      await sut.appendToStream('case-1', [anEvent('Numbered', 3)], { expectedRevision: 2n });
      server.dropSubscriptions();
      await sut.appendToStream('case-2', [anEvent('Numbered', 4), anEvent('Numbered', 5)], { expectedRevision: 'any' });

      const after = await take(subscription, 3);
      expect(after.map((e) => e.data.n)).toEqual([3, 4, 5]);
    } finally {
      await subscription.close();
    }
  });

  it('hides EventStoreDB system events from reads and subscriptions', async () => {
    await sut.appendToStream('case-1', [anEvent('ReferralRaised', 1)], { expectedRevision: 'no_stream' });
    const all = await collect(sut.readAll());
    expect(all.map((e) => e.type)).toEqual(['ReferralRaised']);
    const subscription = sut.subscribeToAll();
    try {
      expect((await take(subscription, 1)).map((e) => e.type)).toEqual(['ReferralRaised']);
    } finally {
      await subscription.close();
    }
  });

  it('ends open subscriptions and disposes the client on close', async () => {
    const subscription = sut.subscribeToAll({ filter: { streamPrefixes: ['case-'] } });
    const iterated = collect(subscription);
    await subscription.ready();
    await sut.appendToStream('case-1', [anEvent()], { expectedRevision: 'any' });
    await sut.close();
    await expect(iterated).resolves.toHaveLength(1);
    await expect(sut.appendToStream('case-1', [anEvent()], { expectedRevision: 'any' })).rejects.toThrow('closed');
  });

  it('lets a transient append failure reach the caller, and the next append succeed', async () => {
    server.failNextAppends(1);
    await expect(sut.appendToStream('case-1', [anEvent()], { expectedRevision: 'no_stream' })).rejects.toThrow();
    await expect(sut.appendToStream('case-1', [anEvent()], { expectedRevision: 'no_stream' })).resolves.toMatchObject({
      nextRevision: 0n,
    });
  });
});
