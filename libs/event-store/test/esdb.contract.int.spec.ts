import { EsdbEventStore, type EventStore } from '@harbour/event-store';
import { describeEventStoreContract, startEsdbTestCluster, startEsdbTestServer } from '@harbour/testing';

// The ESDB adapter through the real @eventstore/db-client against in-process gRPC servers speaking
// EventStoreDB's wire protocol: a single node, and a three-node cluster found through gossip;
// each once on the Append RPC, once on BatchAppend.
for (const batchAppend of [false, true]) {
  const rpc = batchAppend ? 'BatchAppend' : 'Append';
  for (const [name, start] of [
    ['esdb-double', () => startEsdbTestServer({ batchAppend })],
    ['esdb-cluster', () => startEsdbTestCluster({ nodes: 3, batchAppend })],
  ] as const) {
    const servers = new Map<EventStore, { stop(): Promise<void> }>();
    describeEventStoreContract(`${name} (${rpc} RPC)`, {
      create: async () => {
        const server = await start();
        const store = new EsdbEventStore({ connectionString: server.connectionString });
        servers.set(store, server);
        return store;
      },
      destroy: async (store) => {
        await store.close();
        await servers.get(store)?.stop();
        servers.delete(store);
      },
    });
  }
}

const connectionString = process.env.EVENTSTORE_CONNECTION_STRING;
if (connectionString) {
  // Each contract test writes to streams of its own, so a shared server holding other data is fine.
  describeEventStoreContract('esdb-real', { create: async () => new EsdbEventStore({ connectionString }) });
}
// Without a server, the contract summary at the end of the run says the real-server run was not made.
