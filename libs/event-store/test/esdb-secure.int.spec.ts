import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EventStoreDBClient } from '@eventstore/db-client';
import { EsdbEventStore, EventStoreAccessDeniedError } from '@harbour/event-store';
import { anEvent, collect, startEsdbTestServer, take, tempDir, type EsdbTestServer } from '@harbour/testing';

/**
 * A secure server (TLS, users, access control), with certificates made by the same script the
 * secure compose file uses (docker/certs/make-certs.sh): what the connection string must carry,
 * and which user may read `$all`.
 */
describe('EsdbEventStore against a secure server', () => {
  const dir = tempDir('harbour-certs-');
  let server: EsdbTestServer;
  let ca: string;
  const stores: EsdbEventStore[] = [];
  const open = (user: string, password: string) => {
    const store = new EsdbEventStore({
      connectionString: `esdb://${user}:${password}@127.0.0.1:${server.port}?tls=true&tlsCAFile=${ca}`,
      retryBudgetMs: 300,
    });
    stores.push(store);
    return store;
  };

  beforeAll(async () => {
    execFileSync('bash', [join(__dirname, '..', '..', '..', 'docker', 'certs', 'make-certs.sh'), dir.path, 'esdb-1'], {
      stdio: 'pipe',
    });
    ca = join(dir.path, 'ca', 'ca.crt');
    server = await startEsdbTestServer({
      secure: {
        key: readFileSync(join(dir.path, 'esdb-1', 'node.key')),
        cert: readFileSync(join(dir.path, 'esdb-1', 'node.crt')),
        users: {
          admin: { password: 'changeit', groups: ['$admins'] },
          harbour: { password: 'h4rb0ur-s3cret', groups: [] },
        },
      },
    });
  });
  afterEach(async () => {
    await Promise.all(stores.splice(0).map((store) => store.close()));
  });
  afterAll(async () => {
    await server.stop();
    dir.remove();
  });

  it('writes and reads streams over TLS as a user, and refuses a wrong password', async () => {
    const sut = open('harbour', 'h4rb0ur-s3cret');
    await sut.appendToStream('case-1', [anEvent()], { expectedRevision: 'no_stream' });
    expect(await collect(sut.readStream('case-1'))).toHaveLength(1);
    await expect(
      open('harbour', 'wrong').appendToStream('case-2', [anEvent()], { expectedRevision: 'any' }),
    ).rejects.toBeInstanceOf(EventStoreAccessDeniedError);
  });

  it('lets only a user the $all ACL names read or subscribe to $all', async () => {
    const sut = open('harbour', 'h4rb0ur-s3cret');
    await expect(collect(sut.readAll())).rejects.toBeInstanceOf(EventStoreAccessDeniedError);
    const refused = sut.subscribeToAll({ fromPosition: 'start' });
    await expect(take(refused, 1, 5_000)).rejects.toBeInstanceOf(EventStoreAccessDeniedError);
    await refused.close();

    // What an administrator does once (README, "Secure clusters"): grant the user read on $all.
    const admin = EventStoreDBClient.connectionString(
      `esdb://admin:changeit@127.0.0.1:${server.port}?tls=true&tlsCAFile=${ca}`,
    );
    try {
      await admin.setStreamMetadata('$all', { acl: { readRoles: ['harbour'] } });
    } finally {
      await admin.dispose();
    }
    const granted = open('harbour', 'h4rb0ur-s3cret');
    expect((await collect(granted.readAll())).length).toBeGreaterThan(0);
    const subscription = granted.subscribeToAll({ filter: { streamPrefixes: ['case-'] } });
    try {
      expect((await take(subscription, 1)).map((event) => event.stream)).toEqual(['case-1']);
    } finally {
      await subscription.close();
    }
  });
});
