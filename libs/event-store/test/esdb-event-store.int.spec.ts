import { EventStoreDBClient, jsonEvent } from '@eventstore/db-client';
import {
  AppendOutcomeUnknownError,
  AppendTooLargeError,
  EsdbEventStore,
  StreamDeletedError,
  StreamNotFoundError,
} from '@harbour/event-store';
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

  it('retries an append the server dropped, with the same ids: written once', async () => {
    server.failNextAppends(2);
    const event = anEvent();
    await expect(sut.appendToStream('case-1', [event], { expectedRevision: 'no_stream' })).resolves.toMatchObject({
      nextRevision: 0n,
    });
    expect((await collect(sut.readStream('case-1'))).map((e) => e.id)).toEqual([event.id]);
  });

  describe('an append written but never answered', () => {
    let impatient: EsdbEventStore;
    beforeEach(() => {
      impatient = new EsdbEventStore({
        connectionString: server.connectionString,
        deadlineMs: 150,
        retryBudgetMs: 600,
      });
    });
    afterEach(() => impatient.close());

    it('fails with AppendOutcomeUnknownError, and the same append retried later returns the first result', async () => {
      await impatient.appendToStream('case-1', [anEvent()], { expectedRevision: 'no_stream' });
      server.hangNextAppends(1_000);
      const events = [anEvent('Once', 1)];
      const unknown = impatient.appendToStream('case-1', events, { expectedRevision: 0n });
      await expect(unknown).rejects.toBeInstanceOf(AppendOutcomeUnknownError);
      await expect(unknown).rejects.toMatchObject({ stream: 'case-1' });

      // What the error says to do: retry with the same ids and expected revision.
      server.hangNextAppends(0);
      const retried = await impatient.appendToStream('case-1', events, { expectedRevision: 0n });
      const stored = await collect(impatient.readStream('case-1'));
      expect(stored.map((e) => e.id)).toEqual([stored[0].id, events[0].id]);
      expect(retried).toEqual({ nextRevision: 1n, position: stored[1].position });
    });
  });

  it('maps the server refusing an append over its own limit to AppendTooLargeError', async () => {
    const small = await startEsdbTestServer({ maxAppendSize: 2048 });
    const store = new EsdbEventStore({ connectionString: small.connectionString });
    try {
      const big = { ...anEvent(), data: { text: 'x'.repeat(4096) } };
      await expect(store.appendToStream('case-1', [big], { expectedRevision: 'any' })).rejects.toMatchObject({
        constructor: AppendTooLargeError,
        maxBytes: 2048,
      });
      await expect(collect(store.readStream('case-1'))).rejects.toBeInstanceOf(StreamNotFoundError);
    } finally {
      await store.close();
      await small.stop();
    }
  });

  describe('streams changed outside Harbour', () => {
    let raw: EventStoreDBClient;
    beforeEach(() => {
      raw = EventStoreDBClient.connectionString(server.connectionString);
    });
    afterEach(() => raw.dispose());

    it('reports a tombstoned stream as StreamDeletedError to readers and writers', async () => {
      await sut.appendToStream('case-1', [anEvent()], { expectedRevision: 'no_stream' });
      await raw.tombstoneStream('case-1');
      await expect(collect(sut.readStream('case-1'))).rejects.toBeInstanceOf(StreamDeletedError);
      await expect(sut.appendToStream('case-1', [anEvent()], { expectedRevision: 'any' })).rejects.toMatchObject({
        constructor: StreamDeletedError,
        stream: 'case-1',
      });
    });

    it('finds a soft-deleted stream gone, and honours maxCount and truncateBefore on reads', async () => {
      await sut.appendToStream('gone-1', [anEvent(), anEvent()], { expectedRevision: 'no_stream' });
      await raw.deleteStream('gone-1');
      await expect(collect(sut.readStream('gone-1'))).rejects.toBeInstanceOf(StreamNotFoundError);
      // Started again, it goes on from the next revision.
      await expect(sut.appendToStream('gone-1', [anEvent()], { expectedRevision: 'no_stream' })).resolves.toMatchObject(
        {
          nextRevision: 2n,
        },
      );

      await sut.appendToStream(
        'kept-1',
        Array.from({ length: 6 }, (_, n) => anEvent('Numbered', n)),
        { expectedRevision: 'no_stream' },
      );
      await raw.setStreamMetadata('kept-1', { maxCount: 3 });
      expect((await collect(sut.readStream('kept-1'))).map((e) => e.revision)).toEqual([3n, 4n, 5n]);
      await raw.setStreamMetadata('kept-1', { truncateBefore: 5 });
      expect((await collect(sut.readStream('kept-1', { direction: 'backwards' }))).map((e) => e.data.n)).toEqual([5]);
      await raw.appendToStream('aged-1', jsonEvent({ type: 'Old', data: {} }));
      await raw.setStreamMetadata('aged-1', { maxAge: 1 });
      await new Promise((resolve) => setTimeout(resolve, 1_100));
      await expect(collect(sut.readStream('aged-1'))).rejects.toBeInstanceOf(StreamNotFoundError);
    });
  });
});
