import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SqliteEventStore, type EventStore } from '@harbour/event-store';
import { tempDir } from '@harbour/testing';
import {
  MerkleAppender,
  SqliteLedger,
  checkStoreAgainstLedger,
  leafHash,
  ledgerEntry,
  verifyConsistency,
  verifyInclusion,
} from '@harbour/audit';

/**
 * The ledger's tree in SQLite, against a real SQLite event store: built from the log by more than
 * one process at once without a leaf twice, the same root as hashing the log afresh, and the store
 * checked against it.
 */
describe('the SQLite ledger', () => {
  let dir: ReturnType<typeof tempDir>;
  let store: EventStore;

  beforeEach(() => {
    dir = tempDir('harbour-ledger-');
    store = new SqliteEventStore({ filename: join(dir.path, 'events.db'), synchronous: 'NORMAL' });
  });
  afterEach(async () => {
    await store.close();
    dir.remove();
  });

  let streamsMade = 0;
  async function append(streams: number, perStream: number): Promise<void> {
    for (let s = 0; s < streams; s += 1) {
      const stream = `stream-${(streamsMade += 1)}`;
      for (let e = 0; e < perStream; e += 1) {
        await store.appendToStream(
          stream,
          [{ id: crypto.randomUUID(), type: 'Something', data: { s, e }, metadata: {} }],
          { expectedRevision: e === 0 ? 'no_stream' : BigInt(e - 1) },
        );
      }
    }
  }

  /** The root of the whole log, hashed afresh with nothing stored. */
  async function freshRoot(): Promise<{ root: Buffer; size: number }> {
    const tree = new MerkleAppender(0, () => {
      throw new Error('unreachable');
    });
    for await (const event of store.readAll()) tree.append(leafHash(ledgerEntry(event)));
    return { root: tree.root(), size: tree.size };
  }

  it('is extended by two processes at once with every event once, in order, and the same root', async () => {
    await append(30, 40);
    const one = new SqliteLedger(join(dir.path, 'ledger.db'));
    const two = new SqliteLedger(join(dir.path, 'ledger.db'));
    try {
      const added = await Promise.all([one.catchUp(store), two.catchUp(store), one.catchUp(store)]);
      expect(added.reduce((sum, n) => sum + n, 0)).toBe(1200);
      expect(one.size()).toBe(1200);
      const fresh = await freshRoot();
      expect(one.root(1200).equals(fresh.root)).toBe(true);
      expect(two.root(1200).equals(fresh.root)).toBe(true);
      const positions = one.leaves(0, 2000).map((leaf) => leaf.position);
      expect(positions).toEqual([...positions].sort((a, b) => (a < b ? -1 : 1)));

      // It picks up where it left off, and proofs between then and now hold.
      const before = one.root(1200);
      await append(1, 7);
      expect(await two.catchUp(store)).toBe(7);
      expect(verifyConsistency(1200, 1207, before, one.root(1207), one.consistencyProof(1200, 1207))).toBe(true);
      const leaf = one.leaf(1100)!;
      expect(verifyInclusion(1100, 1207, leaf.hash, one.inclusionProof(1100, 1207), one.root(1207))).toBe(true);
      expect(await checkStoreAgainstLedger(store, one)).toMatchObject({ ok: true, checked: 1207, notYetInLedger: 0 });
    } finally {
      one.close();
      two.close();
    }
  });

  it('names an event put into the log below events the ledger holds, and counts events it has not reached', async () => {
    await append(2, 3);
    const db = new Database(join(dir.path, 'events.db'));
    const third = (
      db.prepare('SELECT position FROM events ORDER BY position LIMIT 1 OFFSET 2').get() as {
        position: number;
      }
    ).position;
    // A gap the ledger passes over (as EventStoreDB's positions have)...
    db.prepare('DELETE FROM events WHERE position = ?').run(third);
    const ledger = new SqliteLedger(join(dir.path, 'ledger.db'));
    try {
      expect(await ledger.catchUp(store)).toBe(5);
      // ...where an event is later slipped in, below leaves the ledger already holds.
      db.prepare(
        `INSERT INTO events (position, id, stream, revision, type, data, metadata, recorded_at)
         VALUES (?, 'f0000000-0000-4000-8000-000000000000', 'forged', 0, 'Forged', '{}', '{}', '2015-01-01T00:00:00.000Z')`,
      ).run(third);
      db.close();
      await append(1, 7);
      const check = await checkStoreAgainstLedger(store, ledger);
      expect(check.problems).toEqual([
        expect.objectContaining({ kind: 'event-inserted', stream: 'forged', position: String(third) }),
      ]);
      expect(check).toMatchObject({ ok: false, checked: 5, notYetInLedger: 7 });
    } finally {
      ledger.close();
    }
  });
});
