import { PostgresIdempotencyStore } from '@harbour/application';
import {
  DATABASE_URL,
  createTestSchema,
  describeWithPostgres,
  type TestSchema,
} from '../../read-store/test/support/postgres-test-database';

describeWithPostgres('PostgresIdempotencyStore (shared by API replicas)', () => {
  let schema: TestSchema;
  const stores: PostgresIdempotencyStore[] = [];
  let now = new Date('2026-12-01T09:00:00.000Z');
  const open = () => {
    const store = new PostgresIdempotencyStore({
      connectionString: DATABASE_URL,
      schema: schema.schema,
      now: () => now,
    });
    stores.push(store);
    return store;
  };
  const answer = { status: 201, headers: { etag: '"0"' }, body: { caseId: 'c-1' } };

  beforeEach(async () => {
    schema = await createTestSchema();
  });
  afterEach(async () => {
    await Promise.all(stores.splice(0).map((store) => store.close()));
    await schema.drop();
  });

  it('lets one of two replicas claim a key; the other sees it in flight, then replays the answer', async () => {
    const [a, b] = [open(), open()];
    const claims = await Promise.all([a.claim('user\nk1', 'hash-1'), b.claim('user\nk1', 'hash-1')]);
    expect(claims.map((claim) => claim.kind).sort()).toEqual(['claimed', 'in-flight']);
    await a.complete('user\nk1', answer);
    expect(await b.claim('user\nk1', 'hash-1')).toEqual({ kind: 'replay', response: answer });
    expect(await b.claim('user\nk1', 'hash-2')).toEqual({ kind: 'mismatch' });
  });

  it('gives a released key, or one abandoned by a replica that died, to the next claim', async () => {
    const [a, b] = [open(), open()];
    await a.claim('user\nk1', 'hash-1');
    await a.release('user\nk1');
    expect(await b.claim('user\nk1', 'hash-1')).toEqual({ kind: 'claimed' });

    await a.claim('user\nk2', 'hash-2');
    expect(await b.claim('user\nk2', 'hash-2')).toEqual({ kind: 'in-flight' });
    now = new Date(now.getTime() + 31_000);
    expect(await b.claim('user\nk2', 'hash-2')).toEqual({ kind: 'claimed' });
  });
});
