import { startEsdbTestCluster, type EsdbTestClusterOptions } from './esdb-test-cluster';

/** Options for {@link startEsdbTestServer}: those of a cluster, less its size and elections. */
export type EsdbTestServerOptions = Omit<EsdbTestClusterOptions, 'nodes' | 'electionDelayMs'>;

/**
 * A running single-node EventStoreDB double that the real `@eventstore/db-client` talks to over
 * gRPC, with `esdb://127.0.0.1:<port>?tls=false` (no discovery).
 */
export interface EsdbTestServer {
  /** `esdb://127.0.0.1:<port>?tls=false` (`tls=true` when started secure). */
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
  /**
   * Makes the next `n` appends be written but never answered, as when a server commits and then
   * the answer is lost: the client's deadline decides. `0` cancels it.
   */
  hangNextAppends(n: number): void;
  /** Force-shuts the gRPC server down, cancelling open calls. Safe to call more than once. */
  stop(): Promise<void>;
}

/** Starts a single-node EventStoreDB double on an ephemeral port of 127.0.0.1. */
export async function startEsdbTestServer(options: EsdbTestServerOptions = {}): Promise<EsdbTestServer> {
  const cluster = await startEsdbTestCluster({ ...options, nodes: 1 });
  const [node] = cluster.nodes;
  return {
    connectionString: node.connectionString,
    port: node.port,
    dropSubscriptions: () => cluster.dropSubscriptions(),
    failNextAppends: (n) => cluster.failNextAppends(n),
    hangNextAppends: (n) => cluster.hangNextAppends(n),
    stop: () => cluster.stop(),
  };
}
