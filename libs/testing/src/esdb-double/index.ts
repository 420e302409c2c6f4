/**
 * A wire-level EventStoreDB double for tests: an in-process gRPC server that the real
 * `@eventstore/db-client` connects to with `esdb://127.0.0.1:<port>?tls=false`.
 */
export { startEsdbTestServer, type EsdbTestServer, type EsdbTestServerOptions } from './esdb-test-server';
