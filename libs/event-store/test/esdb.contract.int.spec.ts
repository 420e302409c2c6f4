import { EsdbEventStore, type EventStore } from '@harbour/event-store';
import { describeEventStoreContract, startEsdbTestServer, type EsdbTestServer } from '@harbour/testing';

// The ESDB adapter against an in-process gRPC server speaking EventStoreDB's wire protocol, through
// the real @eventstore/db-client: once on the Append RPC, once on BatchAppend.
for (const batchAppend of [false, true]) {
  const servers = new Map<EventStore, EsdbTestServer>();
  describeEventStoreContract(`esdb-double (${batchAppend ? 'BatchAppend' : 'Append'} RPC)`, {
    create: async () => {
      const server = await startEsdbTestServer({ batchAppend });
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

const connectionString = process.env.EVENTSTORE_CONNECTION_STRING;
if (connectionString) {
  // Each contract test writes to streams of its own, so a shared server holding other data is fine.
  describeEventStoreContract('esdb-real', { create: async () => new EsdbEventStore({ connectionString }) });
}
// Without a server, the contract summary at the end of the run says the real-server run was not made.
