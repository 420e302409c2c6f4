/**
 * A wire-level EventStoreDB double for tests: in-process gRPC servers that the real
 * `@eventstore/db-client` connects to, one node (`esdb://127.0.0.1:<port>?tls=false`) or a
 * cluster with gossip, a leader and followers.
 */
export { startEsdbTestServer, type EsdbTestServer, type EsdbTestServerOptions } from './esdb-test-server';
export {
  startEsdbTestCluster,
  type EsdbTestCluster,
  type EsdbTestClusterOptions,
  type EsdbTestNode,
} from './esdb-test-cluster';
export type { DoubleUser } from './node-context';
