import Database from 'better-sqlite3';
import type { EventStore, RecordedEvent } from '@harbour/event-store';
import {
  MerkleAppender,
  consistencyProof,
  inclusionProof,
  leafHash,
  ledgerEntry,
  treeRoot,
  type NodeReader,
} from './merkle-tree';
import type { LedgerSigningKey, SignedTreeHead } from './tree-head';

/** A leaf as the ledger recorded it: which event, when the store said it was recorded, its hash. */
export interface LedgerLeaf {
  readonly index: number;
  readonly position: bigint;
  readonly stream: string;
  readonly revision: bigint;
  readonly eventId: string;
  readonly recordedAt: string;
  readonly hash: Buffer;
}

interface LeafRow {
  leaf_index: number;
  position: string;
  stream: string;
  revision: string;
  event_id: string;
  recorded_at: string;
  hash: Buffer;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS ledger_leaves (
  leaf_index  INTEGER PRIMARY KEY,
  position    TEXT    NOT NULL UNIQUE,
  stream      TEXT    NOT NULL,
  revision    TEXT    NOT NULL,
  event_id    TEXT    NOT NULL,
  recorded_at TEXT    NOT NULL,
  hash        BLOB    NOT NULL
);
CREATE TABLE IF NOT EXISTS ledger_nodes (
  level INTEGER NOT NULL,
  idx   INTEGER NOT NULL,
  hash  BLOB    NOT NULL,
  PRIMARY KEY (level, idx)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS ledger_heads (
  id        INTEGER PRIMARY KEY AUTOINCREMENT,
  tree_size INTEGER NOT NULL,
  head      TEXT    NOT NULL
);
`;

/** How many events one ledger transaction takes. */
const BATCH = 1000;

/**
 * The ledger's tree in its own SQLite file (`ledger.db` beside `events.db`): one row per leaf
 * (which event, its recorded time, its leaf hash) and one per interior perfect subtree.
 *
 * It is kept behind the writers, never on the append path: {@link catchUp} reads the global log
 * from the last leaf on and appends leaves in batches, each batch one immediate (write-locked)
 * transaction that first re-reads the tree size. Two processes catching up at once therefore take
 * turns and neither writes a leaf twice: the leaf count is the checkpoint, and the write lock is
 * the single leader.
 */
export class SqliteLedger {
  private readonly db: Database.Database;
  private readonly statements;

  constructor(filename: string) {
    this.db = new Database(filename);
    this.db.pragma('busy_timeout = 5000');
    if (filename !== ':memory:') this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.exec(SCHEMA);
    this.statements = {
      // The last leaf's index plus one, read from the end of the primary key (not a count: O(log n)).
      size: this.db.prepare<[], { size: number }>(
        'SELECT coalesce(max(leaf_index), -1) + 1 AS size FROM ledger_leaves',
      ),
      leaf: this.db.prepare<[number], LeafRow>('SELECT * FROM ledger_leaves WHERE leaf_index = ?'),
      leafAt: this.db.prepare<[string], LeafRow>('SELECT * FROM ledger_leaves WHERE position = ?'),
      leaves: this.db.prepare<[number, number], LeafRow>(
        'SELECT * FROM ledger_leaves WHERE leaf_index >= ? ORDER BY leaf_index LIMIT ?',
      ),
      node: this.db.prepare<[number, number], { hash: Buffer }>(
        'SELECT hash FROM ledger_nodes WHERE level = ? AND idx = ?',
      ),
      insertLeaf: this.db.prepare(
        'INSERT INTO ledger_leaves (leaf_index, position, stream, revision, event_id, recorded_at, hash) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ),
      insertNode: this.db.prepare('INSERT INTO ledger_nodes (level, idx, hash) VALUES (?, ?, ?)'),
      insertHead: this.db.prepare('INSERT INTO ledger_heads (tree_size, head) VALUES (?, ?)'),
      latestHead: this.db.prepare<[], { head: string }>('SELECT head FROM ledger_heads ORDER BY id DESC LIMIT 1'),
      heads: this.db.prepare<[number, number], { id: number; head: string }>(
        'SELECT id, head FROM ledger_heads WHERE id > ? ORDER BY id LIMIT ?',
      ),
    };
  }

  /** Leaves in the tree. */
  size(): number {
    return this.statements.size.get()!.size;
  }

  /** Stored node reads, for roots and proofs. */
  readonly read: NodeReader = (level, index) => {
    if (level === 0) {
      const leaf = this.statements.leaf.get(index);
      if (!leaf) throw new Error(`The ledger has no leaf ${index}`);
      return leaf.hash;
    }
    const node = this.statements.node.get(level, index);
    if (!node) throw new Error(`The ledger has no node ${level}/${index}: its file is damaged`);
    return node.hash;
  };

  /** The leaf at tree index `index`, if the tree has one. */
  leaf(index: number): LedgerLeaf | undefined {
    const row = this.statements.leaf.get(index);
    return row && leafOf(row);
  }

  /** The leaf of the event at global position `position`, if the tree has it. */
  leafAtPosition(position: bigint): LedgerLeaf | undefined {
    const row = this.statements.leafAt.get(String(position));
    return row && leafOf(row);
  }

  /** `limit` leaves from tree index `from` on. */
  leaves(from: number, limit: number): LedgerLeaf[] {
    return this.statements.leaves.all(from, limit).map(leafOf);
  }

  root(size: number): Buffer {
    this.checkSize(size);
    return treeRoot(this.read, size);
  }

  inclusionProof(index: number, size: number): Buffer[] {
    this.checkSize(size);
    return inclusionProof(this.read, index, size);
  }

  consistencyProof(from: number, to: number): Buffer[] {
    this.checkSize(to);
    return consistencyProof(this.read, from, to);
  }

  private checkSize(size: number): void {
    const current = this.size();
    if (size > current) throw new RangeError(`The ledger holds ${current} leaves, not ${size}`);
  }

  /** Adds leaves for these events (the next ones of the global log, in order) in one transaction. */
  appendEvents(events: readonly RecordedEvent[]): number {
    return this.db
      .transaction(() => {
        const size = this.size();
        const last = size === 0 ? undefined : this.leaf(size - 1);
        const fresh = events.filter((event) => last === undefined || event.position > last.position);
        const appender = new MerkleAppender(size, this.read);
        for (const event of fresh) {
          const created = appender.append(leafHash(ledgerEntry(event)));
          const leaf = created[0];
          this.statements.insertLeaf.run(
            leaf.index,
            String(event.position),
            event.stream,
            String(event.revision),
            event.id,
            event.recordedAt.toISOString(),
            leaf.hash,
          );
          for (const node of created.slice(1)) this.statements.insertNode.run(node.level, node.index, node.hash);
        }
        return fresh.length;
      })
      .immediate();
  }

  /**
   * Brings the tree up to the end of the global log, from its last leaf on, in batches; stops
   * early when `signal` aborts. Returns the leaves added.
   */
  async catchUp(store: EventStore, signal?: AbortSignal): Promise<number> {
    let added = 0;
    for (;;) {
      const size = this.size();
      const last = size === 0 ? undefined : this.leaf(size - 1);
      const batch: RecordedEvent[] = [];
      for await (const event of store.readAll({ fromPosition: last?.position ?? 'start', maxCount: BATCH + 1 })) {
        if (last === undefined || event.position > last.position) batch.push(event);
      }
      if (batch.length === 0 || signal?.aborted) return added;
      added += this.appendEvents(batch);
    }
  }

  /** Signs a head of the tree as it stands and keeps it. */
  signHead(key: LedgerSigningKey, at: Date): SignedTreeHead {
    return this.db
      .transaction(() => {
        const size = this.size();
        const head = key.sign(size, this.root(size), at);
        this.statements.insertHead.run(size, JSON.stringify(head));
        return head;
      })
      .immediate();
  }

  /** The newest signed head, if any. */
  latestHead(): SignedTreeHead | undefined {
    const row = this.statements.latestHead.get();
    return row && (JSON.parse(row.head) as SignedTreeHead);
  }

  /** Signed heads oldest first, after the `after`-th (a cursor), at most `limit`. */
  heads(after: number, limit: number): { heads: SignedTreeHead[]; next: number | null } {
    const rows = this.statements.heads.all(after, limit + 1);
    const page = rows.slice(0, limit);
    return {
      heads: page.map((row) => JSON.parse(row.head) as SignedTreeHead),
      next: rows.length > limit ? page[page.length - 1].id : null,
    };
  }

  close(): void {
    this.db.close();
  }
}

function leafOf(row: LeafRow): LedgerLeaf {
  return {
    index: row.leaf_index,
    position: BigInt(row.position),
    stream: row.stream,
    revision: BigInt(row.revision),
    eventId: row.event_id,
    recordedAt: row.recorded_at,
    hash: row.hash,
  };
}
