import { randomUUID } from 'node:crypto';
import {
  AppendTooLargeError,
  InvalidPositionError,
  InvalidRequestError,
  appendSize,
  StreamNotFoundError,
  WrongExpectedRevisionError,
  type EventData,
  type EventFilter,
  type EventStore,
  type RecordedEvent,
  type Subscription,
} from '@harbour/event-store';

/** How the contract suite gets a store to test, and gives it back. */
export interface EventStoreContractSetup {
  readonly create: () => Promise<EventStore>;
  readonly destroy?: (store: EventStore) => Promise<void>;
}

/** A fresh event with a random id; `n` lands in the data so order can be checked. */
export function anEvent(type = 'SomethingHappened', n = 0, extra: Record<string, string> = {}): EventData {
  return { id: randomUUID(), type, data: { n, ...extra }, metadata: { by: 'contract-suite' } };
}

export async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}

/** Takes `count` events from a subscription, failing after `timeoutMs` with what it got so far. */
export async function take(subscription: Subscription, count: number, timeoutMs = 10_000): Promise<RecordedEvent[]> {
  const got: RecordedEvent[] = [];
  const iterator = subscription[Symbol.asyncIterator]();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`subscription gave ${got.length} of ${count} events in ${timeoutMs} ms`)),
      timeoutMs,
    );
  });
  try {
    while (got.length < count) {
      const next = await Promise.race([iterator.next(), timeout]);
      if (next.done) throw new Error(`subscription ended after ${got.length} of ${count} events`);
      got.push(next.value);
    }
    return got;
  } finally {
    clearTimeout(timer);
  }
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail, and it succeeded');
}

/**
 * The behaviour every EventStore adapter must have. Each test works in streams of its own (a
 * unique prefix) and reads `$all` from positions it wrote, so the suite also runs against a
 * shared real server that holds other data.
 */
export function describeEventStoreContract(adapter: string, setup: EventStoreContractSetup): void {
  describe(`event store contract: ${adapter}`, () => {
    let sut: EventStore;
    let ns: string;
    const stream = (name: string) => `${ns}${name}`;
    const onlyMine = (): EventFilter => ({ streamPrefixes: [ns] });

    beforeEach(async () => {
      sut = await setup.create();
      ns = `c${randomUUID().replace(/-/g, '').slice(0, 12)}-`;
    });
    afterEach(async () => {
      await (setup.destroy ? setup.destroy(sut) : sut.close());
    });

    describe('expected revision', () => {
      it('no_stream creates a stream and is refused once it exists', async () => {
        const created = await sut.appendToStream(stream('a'), [anEvent(), anEvent()], {
          expectedRevision: 'no_stream',
        });
        expect(created.nextRevision).toBe(1n);

        const error = await rejection(sut.appendToStream(stream('a'), [anEvent()], { expectedRevision: 'no_stream' }));
        expect(error).toBeInstanceOf(WrongExpectedRevisionError);
        expect(error).toMatchObject({ stream: stream('a'), expected: 'no_stream', actual: 1n });
      });

      it('stream_exists is refused on a missing stream and accepted on an existing one', async () => {
        const error = await rejection(
          sut.appendToStream(stream('b'), [anEvent()], { expectedRevision: 'stream_exists' }),
        );
        expect(error).toBeInstanceOf(WrongExpectedRevisionError);
        expect(error).toMatchObject({ expected: 'stream_exists', actual: 'no_stream' });

        await sut.appendToStream(stream('b'), [anEvent()], { expectedRevision: 'no_stream' });
        const result = await sut.appendToStream(stream('b'), [anEvent()], { expectedRevision: 'stream_exists' });
        expect(result.nextRevision).toBe(1n);
      });

      it('any is accepted whether or not the stream exists', async () => {
        expect((await sut.appendToStream(stream('c'), [anEvent()], { expectedRevision: 'any' })).nextRevision).toBe(0n);
        expect((await sut.appendToStream(stream('c'), [anEvent()], { expectedRevision: 'any' })).nextRevision).toBe(1n);
      });

      it('an exact revision is accepted when current and refused with expected and actual otherwise', async () => {
        await sut.appendToStream(stream('d'), [anEvent(), anEvent(), anEvent()], { expectedRevision: 'no_stream' });
        const ok = await sut.appendToStream(stream('d'), [anEvent()], { expectedRevision: 2n });
        expect(ok.nextRevision).toBe(3n);

        const stale = await rejection(sut.appendToStream(stream('d'), [anEvent()], { expectedRevision: 2n }));
        expect(stale).toBeInstanceOf(WrongExpectedRevisionError);
        expect(stale).toMatchObject({ stream: stream('d'), expected: 2n, actual: 3n });

        const onMissing = await rejection(sut.appendToStream(stream('missing'), [anEvent()], { expectedRevision: 0n }));
        expect(onMissing).toMatchObject({ expected: 0n, actual: 'no_stream' });
      });

      it('a refused append writes nothing', async () => {
        await sut.appendToStream(stream('e'), [anEvent()], { expectedRevision: 'no_stream' });
        await rejection(sut.appendToStream(stream('e'), [anEvent(), anEvent()], { expectedRevision: 5n }));
        expect(await collect(sut.readStream(stream('e')))).toHaveLength(1);
      });

      it('of concurrent appends expecting the same revision, exactly one wins', async () => {
        await sut.appendToStream(stream('race'), [anEvent()], { expectedRevision: 'no_stream' });
        const outcomes = await Promise.allSettled(
          Array.from({ length: 10 }, (_, i) =>
            sut.appendToStream(stream('race'), [anEvent('Raced', i)], { expectedRevision: 0n }),
          ),
        );
        const won = outcomes.filter((o) => o.status === 'fulfilled');
        const lost = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
        expect(won).toHaveLength(1);
        expect(lost).toHaveLength(9);
        for (const { reason } of lost) expect(reason).toMatchObject({ expected: 0n, actual: 1n });
        expect(await collect(sut.readStream(stream('race')))).toHaveLength(2);
      });
    });

    describe('reading a stream', () => {
      it('returns events in append order with contiguous revisions and every recorded field', async () => {
        const events = [anEvent('First', 0), anEvent('Second', 1), anEvent('Third', 2)];
        const before = Date.now();
        const result = await sut.appendToStream(stream('f'), events, { expectedRevision: 'no_stream' });
        const read = await collect(sut.readStream(stream('f')));

        expect(read.map((e) => e.id)).toEqual(events.map((e) => e.id));
        expect(read.map((e) => e.revision)).toEqual([0n, 1n, 2n]);
        expect(read.map((e) => e.type)).toEqual(['First', 'Second', 'Third']);
        expect(read[1].data).toEqual({ n: 1 });
        expect(read[1].metadata).toEqual({ by: 'contract-suite' });
        expect(read.every((e) => e.stream === stream('f'))).toBe(true);
        expect(read[2].position).toBe(result.position);
        expect(read[0].recordedAt).toBeInstanceOf(Date);
        expect(read[0].recordedAt.getTime()).toBeGreaterThanOrEqual(before - 5_000);
        expect(read[0].recordedAt.getTime()).toBeLessThanOrEqual(Date.now() + 5_000);
      });

      it('reads backwards, from a revision, and at most maxCount events', async () => {
        await sut.appendToStream(
          stream('g'),
          Array.from({ length: 10 }, (_, n) => anEvent('Numbered', n)),
          { expectedRevision: 'no_stream' },
        );
        const ns = async (options: Parameters<EventStore['readStream']>[1]) =>
          (await collect(sut.readStream(stream('g'), options))).map((e) => e.data.n);

        expect(await ns({ direction: 'backwards' })).toEqual([9, 8, 7, 6, 5, 4, 3, 2, 1, 0]);
        expect(await ns({ fromRevision: 7n })).toEqual([7, 8, 9]);
        expect(await ns({ fromRevision: 3n, direction: 'backwards' })).toEqual([3, 2, 1, 0]);
        expect(await ns({ fromRevision: 'end', direction: 'backwards', maxCount: 2 })).toEqual([9, 8]);
        expect(await ns({ fromRevision: 2n, maxCount: 3 })).toEqual([2, 3, 4]);
        expect(await ns({ fromRevision: 42n })).toEqual([]);
      });

      it('pages through a long stream without losing or repeating events', async () => {
        const total = 1_300;
        for (let start = 0; start < total; start += 100) {
          await sut.appendToStream(
            stream('long'),
            Array.from({ length: 100 }, (_, i) => anEvent('Numbered', start + i)),
            { expectedRevision: 'any' },
          );
        }
        const read = await collect(sut.readStream(stream('long')));
        expect(read.map((e) => e.data.n)).toEqual(Array.from({ length: total }, (_, i) => i));
      });

      it('fails with StreamNotFoundError for a stream that has no events', async () => {
        const error = await rejection(collect(sut.readStream(stream('nothing-here'))));
        expect(error).toBeInstanceOf(StreamNotFoundError);
        expect(error).toMatchObject({ stream: stream('nothing-here') });
      });
    });

    describe('reading $all', () => {
      it('orders events of every stream by strictly increasing position', async () => {
        const results = [];
        for (let i = 0; i < 6; i++) {
          results.push(
            await sut.appendToStream(stream(`s${i % 3}`), [anEvent('Numbered', i)], { expectedRevision: 'any' }),
          );
        }
        const first = results[0].position;
        const read = await collect(sut.readAll({ fromPosition: first, filter: onlyMine() }));

        expect(read.map((e) => e.data.n)).toEqual([0, 1, 2, 3, 4, 5]);
        expect(read.map((e) => e.position)).toEqual(results.map((r) => r.position));
        for (let i = 1; i < read.length; i++) expect(read[i].position > read[i - 1].position).toBe(true);
      });

      it('reads from a position inclusively, backwards, and at most maxCount events', async () => {
        const positions = [];
        for (let i = 0; i < 5; i++) {
          positions.push(
            (await sut.appendToStream(stream('h'), [anEvent('Numbered', i)], { expectedRevision: 'any' })).position,
          );
        }
        const read = async (options: Parameters<EventStore['readAll']>[0]) =>
          (await collect(sut.readAll({ filter: onlyMine(), ...options }))).map((e) => e.data.n);

        expect(await read({ fromPosition: positions[2] })).toEqual([2, 3, 4]);
        expect(await read({ fromPosition: positions[2], maxCount: 2 })).toEqual([2, 3]);
        expect(await read({ fromPosition: positions[3], direction: 'backwards' })).toEqual([3, 2, 1, 0]);
        expect(await read({ fromPosition: 'end', direction: 'backwards', maxCount: 2 })).toEqual([4, 3]);
        expect(await read({ fromPosition: 'end' })).toEqual([]);
      });

      it('filters by stream prefix and by event type', async () => {
        await sut.appendToStream(stream('case-1'), [anEvent('ReferralRaised', 1)], { expectedRevision: 'any' });
        await sut.appendToStream(stream('panel-1'), [anEvent('PanelConvened', 2)], { expectedRevision: 'any' });
        await sut.appendToStream(stream('case-2'), [anEvent('ReferralRaised', 3), anEvent('CaseClosed', 4)], {
          expectedRevision: 'any',
        });
        const byPrefix = await collect(sut.readAll({ filter: { streamPrefixes: [stream('case-')] } }));
        expect(byPrefix.map((e) => e.data.n)).toEqual([1, 3, 4]);

        const twoPrefixes = await collect(
          sut.readAll({ filter: { streamPrefixes: [stream('panel-'), stream('case-2')] } }),
        );
        expect(twoPrefixes.map((e) => e.data.n)).toEqual([2, 3, 4]);

        const first = byPrefix[0].position;
        const byType = await collect(
          sut.readAll({ fromPosition: first, filter: { eventTypes: ['ReferralRaised', 'CaseClosed'] } }),
        );
        expect(byType.filter((e) => e.stream.startsWith(ns)).map((e) => e.data.n)).toEqual([1, 3, 4]);
        expect(byType.every((e) => ['ReferralRaised', 'CaseClosed'].includes(e.type))).toBe(true);
      });

      it('reports the head position', async () => {
        const result = await sut.appendToStream(stream('head'), [anEvent()], { expectedRevision: 'any' });
        expect(await sut.headPosition()).toBe(result.position);
      });
    });

    describe('positions handed in from outside', () => {
      it("refuses a position that is not an event's with InvalidPositionError, reading either way or subscribing", async () => {
        const { position } = await sut.appendToStream(stream('pos'), [anEvent()], { expectedRevision: 'any' });
        // Inside the last record on EventStoreDB, past the head on SQLite: no event is there.
        const nowhere = position + 1n;
        await expect(collect(sut.readAll({ fromPosition: nowhere }))).rejects.toBeInstanceOf(InvalidPositionError);
        await expect(collect(sut.readAll({ fromPosition: nowhere, direction: 'backwards' }))).rejects.toMatchObject({
          position: nowhere,
        });
        const subscription = sut.subscribeToAll({ fromPosition: nowhere, filter: onlyMine() });
        try {
          await expect(subscription.ready()).rejects.toBeInstanceOf(InvalidPositionError);
          await expect(take(subscription, 1, 2_000)).rejects.toBeInstanceOf(InvalidPositionError);
        } finally {
          await subscription.close();
        }
        // An event's own position, and -1n (nothing seen yet), are fine.
        expect((await collect(sut.readAll({ fromPosition: position, maxCount: 1 })))[0]?.position).toBe(position);
        expect(await collect(sut.readAll({ fromPosition: -1n, filter: onlyMine() }))).toHaveLength(1);
      });
    });

    describe('append size', () => {
      it('writes an append of exactly maxAppendBytes and refuses one byte more with AppendTooLargeError, writing nothing', async () => {
        const limit = sut.maxAppendBytes;
        expect(limit).toBeGreaterThanOrEqual(1024);
        const sized = (bytes: number): EventData => {
          const event = anEvent('Sized', 0, { pad: '' });
          const pad = 'x'.repeat(bytes - appendSize([event]));
          return { ...event, data: { ...event.data, pad } };
        };
        const exact = sized(limit);
        expect(appendSize([exact])).toBe(limit);
        await sut.appendToStream(stream('big'), [exact], { expectedRevision: 'no_stream' });

        const over = sized(limit + 1);
        const error = await rejection(sut.appendToStream(stream('big'), [over], { expectedRevision: 0n }));
        expect(error).toBeInstanceOf(AppendTooLargeError);
        expect(error).toMatchObject({ stream: stream('big'), bytes: limit + 1, maxBytes: limit });
        expect(await collect(sut.readStream(stream('big')))).toHaveLength(1);
      });
    });

    describe('catch-up subscription', () => {
      it('from the start delivers history, then live appends, in order', async () => {
        const first = await sut.appendToStream(stream('sub'), [anEvent('Numbered', 0), anEvent('Numbered', 1)], {
          expectedRevision: 'no_stream',
        });
        const subscription = sut.subscribeToAll({ filter: onlyMine() });
        try {
          const history = await take(subscription, 2);
          expect(history.map((e) => e.data.n)).toEqual([0, 1]);
          expect(history[1].position).toBe(first.position);

          const live = take(subscription, 3);
          await sut.appendToStream(stream('sub'), [anEvent('Numbered', 2)], { expectedRevision: 1n });
          await sut.appendToStream(stream('other'), [anEvent('Numbered', 3), anEvent('Numbered', 4)], {
            expectedRevision: 'any',
          });
          expect((await live).map((e) => e.data.n)).toEqual([2, 3, 4]);
        } finally {
          await subscription.close();
        }
      });

      it('from a position delivers only what came after it, then live appends', async () => {
        const positions = [];
        for (let i = 0; i < 4; i++) {
          positions.push(
            (await sut.appendToStream(stream('p'), [anEvent('Numbered', i)], { expectedRevision: 'any' })).position,
          );
        }
        const subscription = sut.subscribeToAll({ fromPosition: positions[1], filter: onlyMine() });
        try {
          expect((await take(subscription, 2)).map((e) => e.data.n)).toEqual([2, 3]);
          const live = take(subscription, 1);
          await sut.appendToStream(stream('p'), [anEvent('Numbered', 4)], { expectedRevision: 3n });
          expect((await live).map((e) => e.data.n)).toEqual([4]);
        } finally {
          await subscription.close();
        }
      });

      it('from the end delivers only new appends, and honours an event-type filter', async () => {
        await sut.appendToStream(stream('q'), [anEvent('Wanted', 0)], { expectedRevision: 'any' });
        const subscription = sut.subscribeToAll({ fromPosition: 'end', filter: { eventTypes: [`${ns}Wanted`] } });
        try {
          const live = take(subscription, 2);
          await subscription.ready();
          await sut.appendToStream(stream('q'), [anEvent(`${ns}Unwanted`, 1), anEvent(`${ns}Wanted`, 2)], {
            expectedRevision: 'any',
          });
          await sut.appendToStream(stream('r'), [anEvent(`${ns}Wanted`, 3)], { expectedRevision: 'any' });
          const got = await live;
          expect(got.map((e) => e.data.n)).toEqual([2, 3]);
          expect(got.every((e) => e.type === `${ns}Wanted`)).toBe(true);
        } finally {
          await subscription.close();
        }
      });

      it('ends iteration when closed', async () => {
        const subscription = sut.subscribeToAll({ fromPosition: 'end', filter: onlyMine() });
        const iterated = collect(subscription);
        await new Promise((resolve) => setTimeout(resolve, 20));
        await subscription.close();
        await expect(iterated).resolves.toEqual([]);
      });
    });

    describe('idempotent retry', () => {
      it('returns the first result when the same events are appended again at the same revision', async () => {
        await sut.appendToStream(stream('i'), [anEvent()], { expectedRevision: 'no_stream' });
        const events = [anEvent('Once', 1), anEvent('Once', 2)];
        const first = await sut.appendToStream(stream('i'), events, { expectedRevision: 0n });
        const retry = await sut.appendToStream(stream('i'), events, { expectedRevision: 0n });

        expect(retry).toEqual(first);
        expect(await collect(sut.readStream(stream('i')))).toHaveLength(3);
      });

      it('returns the first result for a retried first append with no_stream', async () => {
        const events = [anEvent('Once', 1)];
        const first = await sut.appendToStream(stream('j'), events, { expectedRevision: 'no_stream' });
        const retry = await sut.appendToStream(stream('j'), events, { expectedRevision: 'no_stream' });
        expect(retry).toEqual(first);
        expect(await collect(sut.readStream(stream('j')))).toHaveLength(1);
      });
    });

    describe('bad input', () => {
      it.each([
        ['an empty stream name', '', [anEvent()]],
        ['no events', 'x', []],
        ['an id that is not a UUID', 'x', [{ id: 'not-a-uuid', type: 'T', data: {} }]],
        ['an empty type', 'x', [{ id: randomUUID(), type: '', data: {} }]],
        ['data that is not an object', 'x', [{ id: randomUUID(), type: 'T', data: 'text' as never }]],
        [
          'the same id twice',
          'x',
          (() => {
            const e = anEvent();
            return [e, e];
          })(),
        ],
      ])('refuses %s with InvalidRequestError and writes nothing', async (_, name, events) => {
        const target = name === '' ? '' : stream(name);
        await expect(
          sut.appendToStream(target, events as EventData[], { expectedRevision: 'any' }),
        ).rejects.toBeInstanceOf(InvalidRequestError);
        if (target) await expect(collect(sut.readStream(target))).rejects.toBeInstanceOf(StreamNotFoundError);
      });
    });

    describe('under load', () => {
      it('keeps all of 1,000 concurrent appends over 100 streams, none lost or duplicated', async () => {
        const streams = Array.from({ length: 100 }, (_, i) => stream(`load-${i}`));
        const start = await sut.headPosition();
        const appends = streams.flatMap((name) =>
          Array.from({ length: 10 }, (_, i) => ({ name, event: anEvent('Loaded', i, { stream: name }) })),
        );
        const results = await Promise.all(
          appends.map(({ name, event }) => sut.appendToStream(name, [event], { expectedRevision: 'any' })),
        );

        const positions = new Set(results.map((r) => r.position));
        expect(positions.size).toBe(1_000);
        for (const name of streams) {
          const read = await collect(sut.readStream(name));
          expect(read.map((e) => e.revision)).toEqual(Array.from({ length: 10 }, (_, i) => BigInt(i)));
        }
        // From the head as it was (a real position; one past it need not be), keeping what is after it.
        const read = await collect(sut.readAll({ fromPosition: start, filter: onlyMine() }));
        const all = read.filter((event) => event.position > start);
        expect(all).toHaveLength(1_000);
        expect(new Set(all.map((e) => e.id))).toEqual(new Set(appends.map((a) => a.event.id)));
        for (let i = 1; i < all.length; i++) expect(all[i].position > all[i - 1].position).toBe(true);
      });
    });
  });
}
