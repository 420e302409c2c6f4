import { randomUUID } from 'node:crypto';
import {
  ANY,
  BACKWARDS,
  END,
  EventStoreDBClient,
  FORWARDS,
  NO_STREAM,
  START,
  STREAM_EXISTS,
  StreamNotFoundError,
  UnavailableError,
  WrongExpectedVersionError,
  binaryEvent,
  eventTypeFilter,
  excludeSystemEvents,
  jsonEvent,
  streamNameFilter,
  type AllStreamResolvedEvent,
  type AppendExpectedRevision,
  type CurrentRevision,
  type Position,
  type ReadableSubscription,
  type ResolvedEvent,
} from '@eventstore/db-client';
import { startEsdbTestServer, type EsdbTestServer, type EsdbTestServerOptions } from './index';

interface Harness {
  server: EsdbTestServer;
  client: EventStoreDBClient;
}

const harnesses: Harness[] = [];

async function startHarness(options?: EsdbTestServerOptions): Promise<Harness> {
  const server = await startEsdbTestServer(options);
  const client = EventStoreDBClient.connectionString(server.connectionString);
  const harness = { server, client };
  harnesses.push(harness);
  return harness;
}

afterAll(async () => {
  for (const { server, client } of harnesses.splice(0)) {
    await client.dispose();
    await server.stop();
  }
});

const unique = (prefix: string): string => `${prefix}-${randomUUID().slice(0, 8)}`;

const event = (type: string, data: Record<string, unknown> = {}) => jsonEvent({ type, data });

async function collect<E>(source: AsyncIterable<E>): Promise<E[]> {
  const items: E[] = [];
  for await (const item of source) items.push(item);
  return items;
}

async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected the promise to reject');
    },
    (error: unknown) => error,
  );
}

async function expectWrongExpectedVersion(
  append: Promise<unknown>,
  streamName: string,
  expected: AppendExpectedRevision,
  actual: CurrentRevision,
): Promise<void> {
  const error = await rejectionOf(append);
  expect(error).toBeInstanceOf(WrongExpectedVersionError);
  const wrong = error as WrongExpectedVersionError;
  expect(wrong.streamName).toBe(streamName);
  expect(wrong.expectedVersion).toBe(expected);
  expect(wrong.actualVersion).toBe(actual);
}

async function waitFor(condition: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Records what a subscription delivers, in order, including the client's lifecycle events. */
class Probe<E extends ResolvedEvent | AllStreamResolvedEvent> {
  readonly received: E[] = [];
  readonly errors: Error[] = [];
  /** `event:<type>`, `caughtUp` and `end` markers in arrival order. */
  readonly timeline: string[] = [];
  confirmed = false;

  constructor(readonly subscription: ReadableSubscription<E>) {
    subscription.on('data', (resolved) => {
      this.received.push(resolved);
      this.timeline.push(`event:${resolved.event?.type}`);
    });
    subscription.on('error', (error) => this.errors.push(error));
    subscription.on('confirmation', () => {
      this.confirmed = true;
    });
    subscription.on('caughtUp', () => this.timeline.push('caughtUp'));
    subscription.on('end', () => this.timeline.push('end'));
  }

  types(): string[] {
    return this.received.map((resolved) => resolved.event?.type ?? '<none>');
  }

  async waitForCount(count: number): Promise<void> {
    await waitFor(() => this.received.length >= count, `${count} events (got ${this.types().join(', ')})`);
  }
}

describe.each([
  { batchAppend: true, rpc: 'BatchAppend' },
  { batchAppend: false, rpc: 'Append' },
])('appendToStream through the $rpc RPC', ({ batchAppend, rpc }) => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({ batchAppend });
  });

  it(`uses ${rpc}: an injected failure names that RPC and writes nothing`, async () => {
    const { server, client } = harness;
    const stream = unique('faulty');
    server.failNextAppends(1);

    const error = await rejectionOf(client.appendToStream(stream, event('Lost'), { expectedRevision: NO_STREAM }));
    expect(error).toBeInstanceOf(UnavailableError);
    expect((error as Error).message).toContain(`: ${rpc} dropped by failNextAppends`);
    expect(await rejectionOf(collect(client.readStream(stream)))).toBeInstanceOf(StreamNotFoundError);

    // The client reconnects after UNAVAILABLE; the next append goes through.
    const result = await client.appendToStream(stream, event('Kept'), { expectedRevision: NO_STREAM });
    expect(result.nextExpectedRevision).toBe(0n);
    const events = await collect(client.readStream(stream));
    expect(events.map((resolved) => resolved.event?.type)).toEqual(['Kept']);
  });

  it('NO_STREAM creates the stream, then fails with the actual revision', async () => {
    const { client } = harness;
    const stream = unique('no-stream');
    const created = await client.appendToStream(stream, [event('A'), event('B')], { expectedRevision: NO_STREAM });
    expect(created.success).toBe(true);
    expect(created.nextExpectedRevision).toBe(1n);
    expect(created.position).toBeDefined();
    expect(created.position?.commit).toBe(created.position?.prepare);

    await expectWrongExpectedVersion(
      client.appendToStream(stream, event('C'), { expectedRevision: NO_STREAM }),
      stream,
      NO_STREAM,
      1n,
    );
  });

  it('an exact revision succeeds when right and reports both revisions when wrong', async () => {
    const { client } = harness;
    const stream = unique('exact');
    await client.appendToStream(stream, [event('A'), event('B')], { expectedRevision: NO_STREAM });

    const next = await client.appendToStream(stream, event('C'), { expectedRevision: 1n });
    expect(next.nextExpectedRevision).toBe(2n);

    await expectWrongExpectedVersion(
      client.appendToStream(stream, event('D'), { expectedRevision: 1n }),
      stream,
      1n,
      2n,
    );
    const missing = unique('missing');
    await expectWrongExpectedVersion(
      client.appendToStream(missing, event('D'), { expectedRevision: 5n }),
      missing,
      5n,
      NO_STREAM,
    );
    const events = await collect(client.readStream(stream));
    expect(events.map((resolved) => resolved.event?.type)).toEqual(['A', 'B', 'C']);
  });

  it('STREAM_EXISTS fails on a missing stream and succeeds on an existing one', async () => {
    const { client } = harness;
    const stream = unique('exists');
    await expectWrongExpectedVersion(
      client.appendToStream(stream, event('A'), { expectedRevision: STREAM_EXISTS }),
      stream,
      STREAM_EXISTS,
      NO_STREAM,
    );
    await client.appendToStream(stream, event('A'), { expectedRevision: NO_STREAM });
    const result = await client.appendToStream(stream, event('B'), { expectedRevision: STREAM_EXISTS });
    expect(result.nextExpectedRevision).toBe(1n);
  });

  it('ANY appends whether or not the stream exists, with strictly increasing positions', async () => {
    const { client } = harness;
    const stream = unique('any');
    const first = await client.appendToStream(stream, event('A'), { expectedRevision: ANY });
    const second = await client.appendToStream(stream, [event('B'), event('C')], { expectedRevision: ANY });
    expect(first.nextExpectedRevision).toBe(0n);
    expect(second.nextExpectedRevision).toBe(2n);
    expect(second.position?.commit).toBeGreaterThan(first.position?.commit ?? Infinity);

    // The append result's position is the position of the last event written.
    const events = await collect(client.readStream(stream));
    expect(events.map((resolved) => resolved.event?.position)).toEqual([
      first.position,
      expect.objectContaining({}),
      second.position,
    ]);
  });

  it('a retried append with the same event ids succeeds with the same result and writes nothing', async () => {
    const { client } = harness;
    const stream = unique('retry');
    await client.appendToStream(stream, event('A'), { expectedRevision: NO_STREAM });
    const batch = [event('B'), event('C')];
    const original = await client.appendToStream(stream, batch, { expectedRevision: 0n });
    const retried = await client.appendToStream(stream, batch, { expectedRevision: 0n });
    const retriedWithAny = await client.appendToStream(stream, batch, { expectedRevision: ANY });
    expect(retried).toEqual(original);
    expect(retriedWithAny).toEqual(original);

    // A stale retry that no longer lines up is a conflict, never a duplicate.
    await client.appendToStream(stream, event('D'), { expectedRevision: 2n });
    await expectWrongExpectedVersion(
      client.appendToStream(stream, [batch[1] as ReturnType<typeof event>, event('E')], { expectedRevision: 3n }),
      stream,
      3n,
      3n,
    );
    const events = await collect(client.readStream(stream));
    expect(events.map((resolved) => resolved.event?.type)).toEqual(['A', 'B', 'C', 'D']);
  });

  it('loses nothing under 200 concurrent appends across 20 streams', async () => {
    const { client } = harness;
    const prefix = unique('burst');
    const streams = Array.from({ length: 20 }, (_, index) => `${prefix}-${index}`);
    const appends = Array.from({ length: 200 }, (_, index) => {
      const stream = streams[index % streams.length] as string;
      const proposed = jsonEvent({ id: randomUUID(), type: 'Burst', data: { index } });
      return client
        .appendToStream(stream, proposed, { expectedRevision: ANY })
        .then((result) => ({ stream, proposed, result }));
    });
    const results = await Promise.all(appends);

    for (const stream of streams) {
      const ours = results.filter((entry) => entry.stream === stream);
      const revisions = ours.map((entry) => entry.result.nextExpectedRevision).sort((a, b) => (a < b ? -1 : 1));
      expect(revisions).toEqual(Array.from({ length: 10 }, (_, index) => BigInt(index)));

      const stored = await collect(client.readStream(stream));
      expect(stored.map((resolved) => resolved.event?.revision)).toEqual(revisions);
      expect(new Set(stored.map((resolved) => resolved.event?.id))).toEqual(
        new Set(ours.map((entry) => entry.proposed.id)),
      );
    }

    const all = (await collect(harness.client.readAll())).filter((resolved) =>
      resolved.event?.streamId.startsWith(prefix),
    );
    expect(all).toHaveLength(200);
    const positions = all.map((resolved) => resolved.event?.position?.commit ?? -1n);
    expect(positions.every((position, index) => index === 0 || position > (positions[index - 1] as bigint))).toBe(true);
  });
});

describe('readStream', () => {
  let harness: Harness;
  let stream: string;
  const startedAt = Date.now();

  beforeAll(async () => {
    harness = await startHarness();
    stream = unique('read');
    await harness.client.appendToStream(
      stream,
      ['E0', 'E1', 'E2', 'E3', 'E4'].map((type, index) =>
        jsonEvent({ type, data: { index }, metadata: { correlation: `c-${index}` } }),
      ),
      { expectedRevision: NO_STREAM },
    );
  });

  const types = (events: ResolvedEvent[]): string[] => events.map((resolved) => resolved.event?.type ?? '<none>');

  it('reads forwards with data, metadata, revision, position and created time', async () => {
    const events = await collect(harness.client.readStream(stream, { direction: FORWARDS, fromRevision: START }));
    expect(types(events)).toEqual(['E0', 'E1', 'E2', 'E3', 'E4']);
    const third = events[2]?.event;
    expect(third).toMatchObject({
      streamId: stream,
      revision: 2n,
      isJson: true,
      data: { index: 2 },
      metadata: { correlation: 'c-2' },
    });
    expect(third?.created.getTime()).toBeGreaterThanOrEqual(startedAt - 1);
    expect(third?.created.getTime()).toBeLessThanOrEqual(Date.now());
    expect(third?.position?.commit).toBeGreaterThan(events[1]?.event?.position?.commit ?? Infinity);
  });

  it('reads backwards from the end', async () => {
    const events = await collect(harness.client.readStream(stream, { direction: BACKWARDS, fromRevision: END }));
    expect(types(events)).toEqual(['E4', 'E3', 'E2', 'E1', 'E0']);
  });

  it('reads from a revision, inclusive, in both directions', async () => {
    expect(types(await collect(harness.client.readStream(stream, { fromRevision: 2n })))).toEqual(['E2', 'E3', 'E4']);
    expect(types(await collect(harness.client.readStream(stream, { fromRevision: 2n, direction: BACKWARDS })))).toEqual(
      ['E2', 'E1', 'E0'],
    );
    expect(types(await collect(harness.client.readStream(stream, { fromRevision: 9n })))).toEqual([]);
    expect(types(await collect(harness.client.readStream(stream, { fromRevision: END })))).toEqual([]);
  });

  it('honours maxCount', async () => {
    expect(types(await collect(harness.client.readStream(stream, { maxCount: 2 })))).toEqual(['E0', 'E1']);
    expect(
      types(await collect(harness.client.readStream(stream, { maxCount: 1, direction: BACKWARDS, fromRevision: END }))),
    ).toEqual(['E4']);
  });

  it('keeps binary events binary', async () => {
    const binary = unique('binary');
    const payload = Uint8Array.from([0, 1, 2, 250]);
    await harness.client.appendToStream(binary, binaryEvent({ type: 'Blob', data: payload }));
    const [resolved] = await collect(harness.client.readStream(binary));
    expect(resolved?.event?.isJson).toBe(false);
    expect(Buffer.from(resolved?.event?.data as Uint8Array)).toEqual(Buffer.from(payload));
  });

  it('fails iteration with StreamNotFoundError for a missing stream', async () => {
    const missing = unique('missing');
    const error = await rejectionOf(collect(harness.client.readStream(missing)));
    expect(error).toBeInstanceOf(StreamNotFoundError);
    expect((error as StreamNotFoundError).streamName).toBe(missing);
  });
});

describe('readAll', () => {
  let harness: Harness;
  let prefix: string;
  let ours: AllStreamResolvedEvent[];

  beforeAll(async () => {
    harness = await startHarness();
    prefix = unique('all');
    await harness.client.appendToStream(`${prefix}-a`, [event('A0'), event('A1')]);
    await harness.client.appendToStream(`${prefix}-b`, [event('B0')]);
    await harness.client.appendToStream(`${prefix}-a`, [event('A2')]);
    ours = await collect(harness.client.readAll());
  });

  const types = (events: AllStreamResolvedEvent[]): string[] =>
    events.map((resolved) => resolved.event?.type ?? '<none>');

  it('reads forwards from the start, system events first', async () => {
    expect(types(ours)).toEqual(['$settings', '$User', 'A0', 'A1', 'B0', 'A2']);
    expect(ours.every((resolved) => resolved.event?.position !== undefined)).toBe(true);
    expect(ours[0]?.event?.streamId).toBe('$settings');
  });

  it('reads forwards from a position, including the event at it', async () => {
    const from = ours[3]?.event?.position as Position;
    expect(types(await collect(harness.client.readAll({ fromPosition: from })))).toEqual(['A1', 'B0', 'A2']);
    expect(types(await collect(harness.client.readAll({ fromPosition: from, maxCount: 2 })))).toEqual(['A1', 'B0']);
  });

  it('reads backwards from the end and from a position, excluding the event at it', async () => {
    expect(
      types(await collect(harness.client.readAll({ direction: BACKWARDS, fromPosition: END, maxCount: 3 }))),
    ).toEqual(['A2', 'B0', 'A1']);
    const from = ours[4]?.event?.position as Position;
    expect(types(await collect(harness.client.readAll({ direction: BACKWARDS, fromPosition: from })))).toEqual([
      'A1',
      'A0',
      '$User',
      '$settings',
    ]);
    expect(types(await collect(harness.client.readAll({ direction: BACKWARDS, fromPosition: START })))).toEqual([]);
    expect(types(await collect(harness.client.readAll({ fromPosition: END })))).toEqual([]);
  });

  it('starts with user events only when systemEvents is off', async () => {
    const bare = await startHarness({ systemEvents: false });
    await bare.client.appendToStream('only', event('Only'));
    expect(types(await collect(bare.client.readAll()))).toEqual(['Only']);
  });
});

describe('subscriptions', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness();
  });

  it('subscribeToAll from the start with a stream prefix filter: history, caughtUp, then live events', async () => {
    const { client } = harness;
    const prefix = unique('sub');
    await client.appendToStream(`${prefix}-1`, [event('H1'), event('H2')]);
    await client.appendToStream(unique('noise'), event('Noise'));
    await client.appendToStream(`${prefix}-2`, event('H3'));

    const probe = new Probe(
      client.subscribeToAll({ fromPosition: START, filter: streamNameFilter({ prefixes: [prefix] }) }),
    );
    await probe.waitForCount(3);
    await waitFor(() => probe.timeline.includes('caughtUp'), 'caughtUp');

    await client.appendToStream(unique('noise'), event('Noise'));
    await client.appendToStream(`${prefix}-1`, event('L1'));
    await client.appendToStream(`${prefix}-3`, event('L2'));
    await probe.waitForCount(5);

    expect(probe.confirmed).toBe(true);
    expect(probe.timeline).toEqual(['event:H1', 'event:H2', 'event:H3', 'caughtUp', 'event:L1', 'event:L2']);
    expect(probe.errors).toEqual([]);
    await probe.subscription.unsubscribe();
  });

  it('subscribeToAll from a position with an event type filter starts after that position', async () => {
    const { client } = harness;
    const typePrefix = `${unique('Type')}.`;
    const stream = unique('typed');
    await client.appendToStream(stream, [
      event(`${typePrefix}One`),
      event(`${typePrefix}Two`),
      event('Other'),
      event(`${typePrefix}Three`),
    ]);
    const [, second] = await collect(client.readStream(stream));
    const from = second?.event?.position as Position;

    const probe = new Probe(
      client.subscribeToAll({ fromPosition: from, filter: eventTypeFilter({ prefixes: [typePrefix] }) }),
    );
    await probe.waitForCount(1);
    await client.appendToStream(unique('elsewhere'), [event('Other'), event(`${typePrefix}Four`)]);
    await probe.waitForCount(2);

    expect(probe.types()).toEqual([`${typePrefix}Three`, `${typePrefix}Four`]);
    await probe.subscription.unsubscribe();
  });

  it('applies regex filters and the client excludeSystemEvents() filter', async () => {
    const { client } = harness;
    const prefix = unique('rx');
    await client.appendToStream(`${prefix}-keep`, event('Kept'));
    await client.appendToStream(`${prefix}-drop`, event('Dropped'));

    const regex = new Probe(client.subscribeToAll({ filter: streamNameFilter({ regex: `^${prefix}-k` }) }));
    const unfiltered = new Probe(client.subscribeToAll());
    const userOnly = new Probe(client.subscribeToAll({ filter: excludeSystemEvents() }));
    await regex.waitForCount(1);
    await waitFor(() => unfiltered.timeline.includes('caughtUp'), 'unfiltered caughtUp');
    await waitFor(() => userOnly.timeline.includes('caughtUp'), 'filtered caughtUp');

    expect(regex.types()).toEqual(['Kept']);
    expect(unfiltered.types().slice(0, 2)).toEqual(['$settings', '$User']);
    expect(userOnly.types().some((type) => type.startsWith('$'))).toBe(false);
    expect(userOnly.types()).toEqual(expect.arrayContaining(['Kept', 'Dropped']));
    await Promise.all([regex, unfiltered, userOnly].map((probe) => probe.subscription.unsubscribe()));
  });

  it('reports checkpoints while a filter skips many events, and they are safe to resume from', async () => {
    const { client } = harness;
    const wanted = `${unique('Rare')}`;
    const checkpoints: Position[] = [];
    const probe = new Probe(
      client.subscribeToAll({
        fromPosition: END,
        filter: eventTypeFilter({
          prefixes: [wanted],
          checkpointInterval: 1,
          checkpointReached: (_subscription, position) => {
            checkpoints.push(position);
          },
        }),
      }),
    );
    await waitFor(() => probe.confirmed, 'confirmation');
    const stream = unique('checkpointed');
    await client.appendToStream(
      stream,
      Array.from({ length: 70 }, () => event('Common')),
    );
    await client.appendToStream(stream, event(wanted));
    await probe.waitForCount(1);
    // 71 examined events with the default window of 32: two checkpoints.
    await waitFor(() => checkpoints.length >= 2, 'two checkpoints');
    expect(checkpoints.every((position) => position.commit === position.prepare)).toBe(true);
    expect(checkpoints[1]?.commit).toBeGreaterThan(checkpoints[0]?.commit ?? Infinity);

    const resumed = new Probe(
      client.subscribeToAll({
        fromPosition: checkpoints[1] as Position,
        filter: eventTypeFilter({ prefixes: [wanted] }),
      }),
    );
    await resumed.waitForCount(1);
    expect(resumed.types()).toEqual([wanted]);
    await Promise.all([probe, resumed].map((each) => each.subscription.unsubscribe()));
  });

  it('dropSubscriptions surfaces UNAVAILABLE on the subscription; resuming from the last position loses nothing', async () => {
    const { server, client } = harness;
    const prefix = unique('drop');
    await client.appendToStream(`${prefix}-1`, [event('Before1'), event('Before2')]);
    const filter = streamNameFilter({ prefixes: [prefix] });

    const first = new Probe(client.subscribeToAll({ filter }));
    await first.waitForCount(2);
    server.dropSubscriptions();
    await waitFor(() => first.errors.length > 0, 'the subscription error');
    expect(first.errors[0]).toBeInstanceOf(UnavailableError);

    await client.appendToStream(`${prefix}-1`, event('During'));
    const last = first.received[first.received.length - 1]?.event?.position as Position;
    const second = new Probe(client.subscribeToAll({ fromPosition: last, filter }));
    await second.waitForCount(1);
    await client.appendToStream(`${prefix}-2`, event('After'));
    await second.waitForCount(2);

    expect([...first.types(), ...second.types()]).toEqual(['Before1', 'Before2', 'During', 'After']);
    expect(second.errors).toEqual([]);
    await second.subscription.unsubscribe();
  });

  it('subscribeToAll from the end delivers only new events', async () => {
    const { client } = harness;
    const prefix = unique('tail');
    await client.appendToStream(`${prefix}-1`, event('Old'));
    const probe = new Probe(
      client.subscribeToAll({ fromPosition: END, filter: streamNameFilter({ prefixes: [prefix] }) }),
    );
    await waitFor(() => probe.confirmed, 'confirmation');
    await client.appendToStream(`${prefix}-1`, event('New'));
    await probe.waitForCount(1);
    expect(probe.types()).toEqual(['New']);
    await probe.subscription.unsubscribe();
  });

  it('subscribeToStream delivers history then live events, and starts after a given revision', async () => {
    const { client } = harness;
    const stream = unique('stream-sub');
    await client.appendToStream(stream, [event('S0'), event('S1'), event('S2')]);

    const fromStart = new Probe(client.subscribeToStream(stream, { fromRevision: START }));
    const afterOne = new Probe(client.subscribeToStream(stream, { fromRevision: 1n }));
    const notYetCreated = new Probe(client.subscribeToStream(unique('later'), { fromRevision: START }));
    await fromStart.waitForCount(3);
    await afterOne.waitForCount(1);
    await client.appendToStream(stream, event('S3'));
    await fromStart.waitForCount(4);
    await afterOne.waitForCount(2);

    expect(fromStart.types()).toEqual(['S0', 'S1', 'S2', 'S3']);
    expect(afterOne.types()).toEqual(['S2', 'S3']);
    expect(afterOne.received.map((resolved) => resolved.event?.revision)).toEqual([2n, 3n]);
    expect(notYetCreated.received).toEqual([]);
    expect(notYetCreated.errors).toEqual([]);
    await Promise.all([fromStart, afterOne, notYetCreated].map((probe) => probe.subscription.unsubscribe()));
  });
});
