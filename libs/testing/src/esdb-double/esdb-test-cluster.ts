import { randomUUID } from 'node:crypto';
import { Server, ServerCredentials, type handleUnaryCall } from '@grpc/grpc-js';
import { StreamsService, type IStreamsServer } from '@eventstore/db-client/generated/streams_grpc_pb';
import {
  ServerFeaturesService,
  type IServerFeaturesServer,
} from '@eventstore/db-client/generated/serverfeatures_grpc_pb';
import { GossipService } from '@eventstore/db-client/generated/gossip_grpc_pb';
import { SupportedMethod, SupportedMethods } from '@eventstore/db-client/generated/serverfeatures_pb';
import type { Empty } from '@eventstore/db-client/generated/shared_pb';
import { createAppendHandler, createBatchAppendHandler } from './append-handlers';
import type { CatchUpSubscription } from './catch-up-subscription';
import { createDeleteHandler, createTombstoneHandler } from './delete-handlers';
import { createGossipHandler, type Member } from './gossip-handler';
import { InMemoryLog } from './in-memory-log';
import { admit, type DoubleUser, type NodeContext } from './node-context';
import { createReadHandler } from './read-handler';

/** Options for {@link startEsdbTestCluster} (and the single node of `startEsdbTestServer`). */
export interface EsdbTestClusterOptions {
  /** Nodes in the cluster (default 3). */
  readonly nodes?: number;
  /**
   * Answer `ServerFeatures/GetSupportedMethods` listing `Streams/BatchAppend`, which makes
   * `@eventstore/db-client` append through the bidirectional `BatchAppend` RPC, as it does against
   * any EventStoreDB from 21.10 on. With `false` the ServerFeatures service is absent (the client
   * gets `UNIMPLEMENTED`, as from a 20.x server) and the client falls back to the client-streaming
   * `Append` RPC. Default `true`.
   */
  readonly batchAppend?: boolean;
  /**
   * Start `$all` with a few system events, as a real database always has, so code reading or
   * subscribing to `$all` is tested for skipping them. Default `true`.
   */
  readonly systemEvents?: boolean;
  /** The largest append, as EventStoreDB's `MaxAppendSize` (default 1 MiB). */
  readonly maxAppendSize?: number;
  /** How long the cluster has no leader after losing one (default 300 ms). */
  readonly electionDelayMs?: number;
  /**
   * Start secure, as EventStoreDB does by default: TLS with this key and certificate (PEM, for
   * 127.0.0.1), and every call authenticated as one of `users`. Reading `$all` then takes the
   * `$admins` group or a role the `$all` stream's ACL grants (`$$$all` metadata, `$acl.$r`).
   */
  readonly secure?: {
    readonly key: Buffer;
    readonly cert: Buffer;
    readonly users: Readonly<Record<string, DoubleUser>>;
  };
}

/** One node of the double, as a test sees it. */
export interface EsdbTestNode {
  readonly port: number;
  /** This node alone (no discovery): `esdb://127.0.0.1:<port>?tls=false`. */
  readonly connectionString: string;
  readonly alive: boolean;
  readonly role: 'leader' | 'follower' | 'electing' | 'stopped';
}

/**
 * A running EventStoreDB double of one or more nodes over one shared in-memory log, that the real
 * `@eventstore/db-client` talks to over gRPC: `Streams` (read, append, batch append, delete,
 * tombstone), `ServerFeatures` and `Gossip`. One node leads; followers replicate the leader's log
 * (at once, unless paused) and serve reads of what they hold. A call that requires the leader
 * gets `NotLeader` on a follower; stopping the leader leaves the cluster without one for the
 * election delay, then the alive node holding the most of the log leads.
 */
export interface EsdbTestCluster {
  /** Every node as a gossip seed: `esdb://127.0.0.1:<p1>,127.0.0.1:<p2>,...?tls=false`. */
  readonly connectionString: string;
  /** Discovery through one node's gossip: `esdb+discover://127.0.0.1:<port>?tls=false`. */
  discoverConnectionString(node?: number): string;
  readonly nodes: readonly EsdbTestNode[];
  /** The leader's index, or undefined during an election. */
  leader(): number | undefined;
  /** Resolves with the leader's index once there is one. */
  waitForLeader(timeoutMs?: number): Promise<number>;
  /** Force-stops a node (cancelling its calls, as a crash does); a stopped leader starts an election. */
  stopNode(node: number): Promise<void>;
  /** Starts a stopped node again on its port, as a follower that catches up. */
  startNode(node: number): Promise<void>;
  /** Stops replication to a follower: its reads fall behind the leader's. */
  pauseReplication(node: number): void;
  resumeReplication(node: number): void;
  /** Ends every open subscription call with `UNAVAILABLE`, as a restart or dropped connection does. */
  dropSubscriptions(): void;
  /** The next `n` appends fail with `UNAVAILABLE`, writing nothing (`0` cancels). */
  failNextAppends(n: number): void;
  /** The next `n` appends are written but never answered: the client's deadline decides (`0` cancels). */
  hangNextAppends(n: number): void;
  /** Force-stops every node. Safe to call more than once. */
  stop(): Promise<void>;
}

// The version reported through ServerFeatures: one that supports BatchAppend and caught-up
// subscription messages, both of which the double implements.
const SERVER_VERSION = '23.10.0';

interface NodeState {
  readonly index: number;
  readonly instanceId: string;
  port: number;
  server: Server | undefined;
  replicated: number;
  paused: boolean;
  readonly subscriptions: Set<CatchUpSubscription>;
}

/** Starts a cluster double on ephemeral ports of 127.0.0.1. */
export async function startEsdbTestCluster(options: EsdbTestClusterOptions = {}): Promise<EsdbTestCluster> {
  const size = options.nodes ?? 3;
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`A cluster needs at least one node, not ${size}`);
  const quorum = Math.floor(size / 2) + 1;
  const log = new InMemoryLog();
  if (options.systemEvents ?? true) seedSystemEvents(log);
  const tls = options.secure ? 'true' : 'false';
  const states: NodeState[] = Array.from({ length: size }, (_, index) => ({
    index,
    instanceId: randomUUID(),
    port: 0,
    server: undefined,
    replicated: log.length,
    paused: false,
    subscriptions: new Set(),
  }));
  let leader: NodeState | undefined = states[0];
  let election: NodeJS.Timeout | undefined;
  let failures = 0;
  let hangs = 0;
  let stopped = false;

  // Registered before any subscription, so followers have replicated before subscriptions pump.
  log.onAppended(() => replicate());
  function replicate(): void {
    for (const state of states) if (state.server && !state.paused) state.replicated = log.length;
  }

  const alive = () => states.filter((state) => state.server !== undefined);

  function elect(): void {
    election = undefined;
    if (leader !== undefined || stopped) return;
    const candidates = alive();
    if (candidates.length < quorum) return; // no majority: no leader until a node returns
    const chosen = candidates.reduce((best, state) => (state.replicated > best.replicated ? state : best));
    // Every acknowledged write reached a majority, so the most up-to-date survivor has it all.
    if (chosen.replicated !== log.length) throw new Error('double: the elected node lacks acknowledged writes');
    leader = chosen;
    replicate();
    log.notify();
  }

  function contextOf(state: NodeState): NodeContext & { subscriptions: Set<CatchUpSubscription> } {
    const rules = {
      log,
      users: options.secure?.users,
      leader: () =>
        leader === undefined ? undefined : { isSelf: leader === state, host: '127.0.0.1', port: leader.port },
    };
    return {
      log,
      view: log.prefix(() => (state === leader ? log.length : state.replicated)),
      maxAppendSize: options.maxAppendSize ?? 1024 * 1024,
      subscriptions: state.subscriptions,
      admit: (metadata, operation) => {
        const refused = admit(rules, metadata, operation);
        if (refused !== undefined || operation.kind !== 'write') return refused;
        // A write is acknowledged only once a majority holds it.
        const replicas = alive().filter((node) => node !== leader && !node.paused).length + 1;
        return replicas >= quorum ? undefined : { code: 14, details: 'Not enough replicas for a quorum' };
      },
      takeInjectedFailure: () => (failures > 0 ? (failures--, true) : false),
      takeInjectedHang: () => (hangs > 0 ? (hangs--, true) : false),
    };
  }

  const members = (): Member[] =>
    states.map((state) => ({
      instanceId: state.instanceId,
      port: state.port,
      alive: state.server !== undefined,
      role: leader === undefined ? 'electing' : leader === state ? 'leader' : 'follower',
    }));

  async function start(state: NodeState): Promise<void> {
    const context = contextOf(state);
    const server = new Server();
    const streams: Pick<IStreamsServer, 'read' | 'append' | 'batchAppend' | 'delete' | 'tombstone'> = {
      read: createReadHandler(context),
      append: createAppendHandler(context),
      batchAppend: createBatchAppendHandler(context),
      delete: createDeleteHandler(context),
      tombstone: createTombstoneHandler(context),
    };
    server.addService(StreamsService, streams);
    server.addService(GossipService, { read: createGossipHandler(members) });
    if (options.batchAppend ?? true) {
      const features: IServerFeaturesServer = { getSupportedMethods: supportedMethodsHandler() };
      server.addService(ServerFeaturesService, features);
    }
    const credentials = options.secure
      ? ServerCredentials.createSsl(null, [{ private_key: options.secure.key, cert_chain: options.secure.cert }], false)
      : ServerCredentials.createInsecure();
    state.port = await new Promise<number>((resolve, reject) => {
      server.bindAsync(`127.0.0.1:${state.port}`, credentials, (error, port) =>
        error ? reject(error) : resolve(port),
      );
    });
    state.server = server;
  }

  async function stopNode(state: NodeState): Promise<void> {
    if (!state.server) return;
    const server = state.server;
    state.server = undefined;
    for (const subscription of [...state.subscriptions]) subscription.close();
    server.forceShutdown();
    if (state === leader) {
      leader = undefined;
      election ??= setTimeout(elect, options.electionDelayMs ?? 300);
    }
  }

  const check = (node: number): NodeState => {
    const state = states[node];
    if (state === undefined) throw new RangeError(`No node ${node} in a cluster of ${size}`);
    return state;
  };
  const count = (what: string, n: number): number => {
    if (!Number.isInteger(n) || n < 0) throw new RangeError(`${what} expects a non-negative integer, got ${n}`);
    return n;
  };

  for (const state of states) await start(state);
  const seeds = states.map((state) => `127.0.0.1:${state.port}`).join(',');

  return {
    connectionString: `esdb://${seeds}?tls=${tls}`,
    discoverConnectionString: (node = 0) => `esdb+discover://127.0.0.1:${check(node).port}?tls=${tls}`,
    nodes: states.map((state) => ({
      get port() {
        return state.port;
      },
      get connectionString() {
        return `esdb://127.0.0.1:${state.port}?tls=${tls}`;
      },
      get alive() {
        return state.server !== undefined;
      },
      get role() {
        return !state.server ? 'stopped' : leader === undefined ? 'electing' : leader === state ? 'leader' : 'follower';
      },
    })),
    leader: () => leader?.index,
    waitForLeader: async (timeoutMs = 10_000) => {
      const deadline = Date.now() + timeoutMs;
      while (leader === undefined) {
        if (Date.now() > deadline) throw new Error(`no leader elected within ${timeoutMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      return leader.index;
    },
    stopNode: (node) => stopNode(check(node)),
    startNode: async (node) => {
      const state = check(node);
      if (state.server) return;
      await start(state);
      if (!state.paused) state.replicated = log.length;
      if (leader === undefined) elect();
      log.notify();
    },
    pauseReplication: (node) => {
      const state = check(node);
      if (state === leader) throw new Error('the leader does not replicate from anyone');
      state.paused = true;
    },
    resumeReplication: (node) => {
      const state = check(node);
      state.paused = false;
      if (state.server) state.replicated = log.length;
      log.notify();
    },
    dropSubscriptions: () => {
      for (const state of states) for (const subscription of [...state.subscriptions]) subscription.drop();
    },
    failNextAppends: (n) => {
      failures = count('failNextAppends', n);
    },
    hangNextAppends: (n) => {
      hangs = count('hangNextAppends', n);
    },
    stop: async () => {
      if (stopped) return;
      stopped = true;
      clearTimeout(election);
      for (const state of states) await stopNode(state);
    },
  };
}

function supportedMethodsHandler(): handleUnaryCall<Empty, SupportedMethods> {
  // Lower-case names as EventStoreDB sends them; the client compares paths case-insensitively.
  const method = (name: string): SupportedMethod =>
    new SupportedMethod().setServiceName('event_store.client.streams.streams').setMethodName(name);
  const supported = new SupportedMethods()
    .setEventStoreServerVersion(SERVER_VERSION)
    .setMethodsList([method('read'), method('append'), method('batchappend')]);
  return (_call, callback) => callback(null, supported);
}

function seedSystemEvents(log: InMemoryLog): void {
  const json = (value: unknown): Uint8Array => Buffer.from(JSON.stringify(value), 'utf8');
  const noMetadata = new Uint8Array();
  log.append('$settings', { kind: 'any' }, [
    {
      id: '5c1e8a51-3f0c-4a6e-9a38-3b0f8f6f2e01',
      type: '$settings',
      contentType: 'application/json',
      customMetadata: noMetadata,
      data: json({
        $userStreamAcl: { $r: '$all', $w: '$all', $d: '$all', $mr: '$all', $mw: '$all' },
        $systemStreamAcl: { $r: '$admins', $w: '$admins', $d: '$admins', $mr: '$admins', $mw: '$admins' },
      }),
    },
  ]);
  log.append('$user-admin', { kind: 'any' }, [
    {
      id: '5c1e8a51-3f0c-4a6e-9a38-3b0f8f6f2e02',
      type: '$User',
      contentType: 'application/json',
      customMetadata: noMetadata,
      data: json({ loginName: 'admin', fullName: 'Event Store Administrator', groups: ['$admins'] }),
    },
  ]);
}
