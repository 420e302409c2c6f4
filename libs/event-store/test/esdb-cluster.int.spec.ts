import { EventStoreDBClient, FORWARDS, START } from '@eventstore/db-client';
import { EsdbEventStore, EventStoreUnavailableError, WrongExpectedRevisionError } from '@harbour/event-store';
import { anEvent, collect, startEsdbTestCluster, take, type EsdbTestCluster } from '@harbour/testing';

/** What only a cluster shows: discovery, the leader, followers that lag, and losing the leader. */
describe('EsdbEventStore against a three-node cluster', () => {
  let cluster: EsdbTestCluster;
  const stores: EsdbEventStore[] = [];
  const open = (connectionString: string, options: { retryBudgetMs?: number } = {}) => {
    const store = new EsdbEventStore({ connectionString, resubscribeDelayMs: { first: 20, max: 200 }, ...options });
    stores.push(store);
    return store;
  };
  const follower = () => [0, 1, 2].find((node) => node !== cluster.leader())!;

  beforeEach(async () => {
    cluster = await startEsdbTestCluster({ nodes: 3, electionDelayMs: 200 });
  });
  afterEach(async () => {
    await Promise.all(stores.splice(0).map((store) => store.close()));
    await cluster.stop();
  });

  it("finds the leader through a follower's gossip (esdb+discover://) and writes there", async () => {
    const sut = open(cluster.discoverConnectionString(follower()));
    const result = await sut.appendToStream('case-1', [anEvent()], { expectedRevision: 'no_stream' });
    expect(result.nextRevision).toBe(0n);
    expect((await collect(sut.readStream('case-1'))).map((e) => e.position)).toEqual([result.position]);
  });

  it('follows NotLeader from a follower to the leader for appends and for reads a decision rests on', async () => {
    const lagging = follower();
    cluster.pauseReplication(lagging);
    const writer = open(cluster.nodes[lagging].connectionString);
    await writer.appendToStream('case-1', [anEvent('Numbered', 0)], { expectedRevision: 'no_stream' });
    await writer.appendToStream('case-1', [anEvent('Numbered', 1)], { expectedRevision: 0n });
    // A fresh client on the follower whose first call is the read.
    const sut = open(cluster.nodes[lagging].connectionString);

    // A plain read on the lagging follower sees nothing yet; the adapter's read requires the leader.
    const raw = EventStoreDBClient.connectionString(cluster.nodes[lagging].connectionString);
    try {
      await expect(collect(raw.readStream('case-1', { fromRevision: START, direction: FORWARDS }))).rejects.toThrow(
        /not found/,
      );
    } finally {
      await raw.dispose();
    }
    expect((await collect(sut.readStream('case-1'))).map((e) => e.data.n)).toEqual([0, 1]);
  });

  it('never lets a decision on a stale follower read after an election be written: the append is a conflict', async () => {
    const leaderStore = open(cluster.connectionString);
    await leaderStore.appendToStream('case-1', [anEvent()], { expectedRevision: 'no_stream' });
    const lagging = follower();
    cluster.pauseReplication(lagging);
    await leaderStore.appendToStream('case-1', [anEvent()], { expectedRevision: 0n });
    // The leader goes; the up-to-date follower is elected; the lagging one still lags.
    const old = cluster.leader()!;
    await cluster.stopNode(old);
    const elected = await cluster.waitForLeader();
    expect([elected === old, elected === lagging]).toEqual([false, false]);

    // Decided on what the follower holds (revision 0), then appended: refused, not written.
    const raw = EventStoreDBClient.connectionString(cluster.nodes[lagging].connectionString);
    let staleRevision: bigint;
    try {
      const stale = await collect(raw.readStream('case-1', { fromRevision: START, direction: FORWARDS }));
      staleRevision = stale[stale.length - 1].event!.revision;
    } finally {
      await raw.dispose();
    }
    expect(staleRevision).toBe(0n);
    // The follower catches up (the new leader has a quorum again) while the stale decision is sent.
    cluster.resumeReplication(lagging);
    await expect(
      leaderStore.appendToStream('case-1', [anEvent()], { expectedRevision: staleRevision }),
    ).rejects.toMatchObject({ constructor: WrongExpectedRevisionError, actual: 1n });
    expect(await collect(leaderStore.readStream('case-1'))).toHaveLength(2);
  });

  it('rides out the loss of the leader: appends wait for the election, a subscription resumes where it was', async () => {
    const sut = open(cluster.connectionString);
    const subscription = sut.subscribeToAll({ filter: { streamPrefixes: ['case-'] } });
    try {
      await sut.appendToStream('case-1', [anEvent('Numbered', 0)], { expectedRevision: 'no_stream' });
      expect((await take(subscription, 1)).map((e) => e.data.n)).toEqual([0]);

      const old = cluster.leader()!;
      await cluster.stopNode(old);
      // Sent while there is no leader: retried with back-off until the new one answers.
      const during = sut.appendToStream('case-1', [anEvent('Numbered', 1)], { expectedRevision: 0n });
      await expect(during).resolves.toMatchObject({ nextRevision: 1n });
      expect(cluster.leader()).not.toBe(old);
      expect((await take(subscription, 1)).map((e) => e.data.n)).toEqual([1]);

      await cluster.startNode(old);
      expect(cluster.nodes[old].role).toBe('follower');
      await sut.appendToStream('case-1', [anEvent('Numbered', 2)], { expectedRevision: 1n });
      expect((await take(subscription, 1)).map((e) => e.data.n)).toEqual([2]);
      expect((await collect(sut.readStream('case-1'))).map((e) => e.data.n)).toEqual([0, 1, 2]);
    } finally {
      await subscription.close();
    }
  });

  it('cannot discover through a stopped seed alone: why esdb+discover:// takes one DNS name, and esdb:// lists every node', async () => {
    const seed = follower();
    await cluster.stopNode(seed);
    const alone = open(cluster.discoverConnectionString(seed), { retryBudgetMs: 300 });
    await expect(alone.appendToStream('case-1', [anEvent()], { expectedRevision: 'any' })).rejects.toBeInstanceOf(
      EventStoreUnavailableError,
    );
    const everyNode = open(cluster.connectionString);
    await expect(everyNode.appendToStream('case-1', [anEvent()], { expectedRevision: 'any' })).resolves.toBeDefined();
  });
});
