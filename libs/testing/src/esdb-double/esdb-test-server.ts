import { Server, ServerCredentials, type handleUnaryCall } from '@grpc/grpc-js';
import { StreamsService, type IStreamsServer } from '@eventstore/db-client/generated/streams_grpc_pb';
import {
  ServerFeaturesService,
  type IServerFeaturesServer,
} from '@eventstore/db-client/generated/serverfeatures_grpc_pb';
import { SupportedMethod, SupportedMethods } from '@eventstore/db-client/generated/serverfeatures_pb';
import type { Empty } from '@eventstore/db-client/generated/shared_pb';
import { createAppendHandler, createBatchAppendHandler, type AppendContext } from './append-handlers';
import type { CatchUpSubscription } from './catch-up-subscription';
import { InMemoryLog } from './in-memory-log';
import { createReadHandler } from './read-handler';

/** Options for {@link startEsdbTestServer}. */
export interface EsdbTestServerOptions {
  /**
   * Answer `ServerFeatures/GetSupportedMethods` listing `Streams/BatchAppend`, which makes
   * `@eventstore/db-client` append through the bidirectional `BatchAppend` RPC, as it does against
   * any EventStoreDB from 21.10 on. With `false` the ServerFeatures service is absent (the client
   * gets `UNIMPLEMENTED`, as from a 20.x server) and the client falls back to the client-streaming
   * `Append` RPC. Default `true`.
   */
  readonly batchAppend?: boolean;
  /**
   * Start `$all` with a few system events (`$settings` in stream `$settings`, `$User` in stream
   * `$user-admin`), as a real database always has, so code reading or subscribing to `$all` is
   * tested for skipping them. Default `true`.
   */
  readonly systemEvents?: boolean;
}

/**
 * A running in-process EventStoreDB double that the real `@eventstore/db-client` talks to over
 * gRPC. It keeps a single in-memory log and serves `Streams/Read`, `Streams/Append`,
 * `Streams/BatchAppend` and (optionally) `ServerFeatures/GetSupportedMethods`.
 */
export interface EsdbTestServer {
  /** `esdb://127.0.0.1:<port>?tls=false`, ready for `EventStoreDBClient.connectionString`. */
  readonly connectionString: string;
  /** The ephemeral TCP port the server is bound to on 127.0.0.1. */
  readonly port: number;
  /**
   * Ends every open subscription call with gRPC status `UNAVAILABLE`, the way a server restart
   * or dropped connection appears to the client; the client surfaces it as an `UnavailableError`
   * on the subscription's `error` event. Later subscriptions are unaffected.
   */
  dropSubscriptions(): void;
  /**
   * Makes the next `n` appends fail with `UNAVAILABLE` without writing anything (the client
   * reports an `UnavailableError`). On the `BatchAppend` path the whole bidirectional call is
   * ended, so any other append in flight on it fails too, exactly as on a real drop. Replaces any
   * count still pending from an earlier call; `0` cancels it.
   */
  failNextAppends(n: number): void;
  /** Force-shuts the gRPC server down, cancelling open calls. Safe to call more than once. */
  stop(): Promise<void>;
}

// The version reported through ServerFeatures: one that supports BatchAppend and caught-up
// subscription messages, both of which the double implements.
const SERVER_VERSION = '23.10.0';

/** Starts an EventStoreDB double on an ephemeral port of 127.0.0.1, without TLS. */
export async function startEsdbTestServer(options: EsdbTestServerOptions = {}): Promise<EsdbTestServer> {
  const log = new InMemoryLog();
  if (options.systemEvents ?? true) seedSystemEvents(log);

  const subscriptions = new Set<CatchUpSubscription>();
  let appendFailuresToInject = 0;
  const appendContext: AppendContext = {
    log,
    takeInjectedFailure: () => {
      if (appendFailuresToInject === 0) return false;
      appendFailuresToInject -= 1;
      return true;
    },
  };

  const server = new Server();
  // Delete and Tombstone are left out: grpc-js answers methods without a handler with UNIMPLEMENTED.
  const streams: Pick<IStreamsServer, 'read' | 'append' | 'batchAppend'> = {
    read: createReadHandler({ log, subscriptions }),
    append: createAppendHandler(appendContext),
    batchAppend: createBatchAppendHandler(appendContext),
  };
  server.addService(StreamsService, streams);
  if (options.batchAppend ?? true) {
    const features: IServerFeaturesServer = { getSupportedMethods: supportedMethodsHandler() };
    server.addService(ServerFeaturesService, features);
  }

  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (error, boundPort) =>
      error ? reject(error) : resolve(boundPort),
    );
  });

  let stopped = false;
  return {
    connectionString: `esdb://127.0.0.1:${port}?tls=false`,
    port,
    dropSubscriptions: () => {
      for (const subscription of [...subscriptions]) subscription.drop();
    },
    failNextAppends: (n) => {
      if (!Number.isInteger(n) || n < 0)
        throw new RangeError(`failNextAppends expects a non-negative integer, got ${n}`);
      appendFailuresToInject = n;
    },
    stop: async () => {
      if (stopped) return;
      stopped = true;
      for (const subscription of [...subscriptions]) subscription.close();
      server.forceShutdown();
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
