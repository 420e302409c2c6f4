import { createHash } from 'node:crypto';
import type { RecordedEvent } from '@harbour/event-store';
import { canonicalJson } from '../chain/canonical-json';

/**
 * The Merkle tree of RFC 9162 §2.1 over the global log, one leaf per event in position order:
 * leaf hash = SHA-256(0x00 ‖ entry), interior node = SHA-256(0x01 ‖ left ‖ right), and the tree of
 * n leaves splits at the largest power of two below n. The same hashing as Certificate
 * Transparency, so any RFC 9162 verifier checks Harbour's proofs.
 *
 * Nodes are stored as the perfect subtrees they are: node (level, index) covers leaves
 * [index·2^level, (index+1)·2^level). Appending a leaf writes it and the perfect subtrees it
 * completes (one more on average); every root and proof for any tree size is then built from at
 * most O(log n) stored nodes.
 */

const LEAF_PREFIX = Buffer.from([0x00]);
const NODE_PREFIX = Buffer.from([0x01]);

/** SHA-256(0x00 ‖ entry). */
export function leafHash(entry: Buffer | string): Buffer {
  return createHash('sha256').update(LEAF_PREFIX).update(entry).digest();
}

/** SHA-256(0x01 ‖ left ‖ right). */
export function nodeHash(left: Buffer, right: Buffer): Buffer {
  return createHash('sha256').update(NODE_PREFIX).update(left).update(right).digest();
}

/** The root of the empty tree: SHA-256 of nothing. */
export const EMPTY_ROOT = createHash('sha256').digest();

/**
 * The ledger entry of a stored event: the canonical JSON (RFC 8785) of the event as stored, the
 * store's recorded time, global position, stream and revision included. What `asOf` relies on
 * (the recorded time) and where the event sits are inside the leaf, not only its content.
 */
export function ledgerEntry(event: RecordedEvent): string {
  return canonicalJson({
    v: 1,
    position: String(event.position),
    stream: event.stream,
    revision: String(event.revision),
    id: event.id,
    type: event.type,
    data: event.data,
    metadata: event.metadata,
    recordedAt: event.recordedAt.toISOString(),
  });
}

/** A stored node: the perfect subtree at `level` (0 = a leaf) numbered `index` from the left. */
export interface MerkleNode {
  readonly level: number;
  readonly index: number;
  readonly hash: Buffer;
}

/** Reads stored nodes; asked only for nodes of perfect subtrees inside the tree. */
export type NodeReader = (level: number, index: number) => Buffer;

/**
 * Appends leaves and names the nodes to store. Holds the right edge of the tree (one node per set
 * bit of its size), so each append hashes once per subtree it completes and reads nothing.
 */
export class MerkleAppender {
  private readonly edge: (Buffer | undefined)[];

  constructor(
    private count: number,
    read: NodeReader,
  ) {
    this.edge = [];
    for (let level = 0; 2 ** level <= count; level += 1) {
      if (Math.floor(count / 2 ** level) % 2 === 1) this.edge[level] = read(level, Math.floor(count / 2 ** level) - 1);
    }
  }

  get size(): number {
    return this.count;
  }

  /** The root of the tree so far, from its right edge alone. */
  root(): Buffer {
    let root: Buffer | undefined;
    for (const node of this.edge) {
      if (node !== undefined) root = root === undefined ? node : nodeHash(node, root);
    }
    return root ?? EMPTY_ROOT;
  }

  /** Adds one leaf hash; returns the nodes it created (the leaf first). */
  append(leaf: Buffer): MerkleNode[] {
    const created: MerkleNode[] = [{ level: 0, index: this.count, hash: leaf }];
    let hash = leaf;
    let level = 0;
    let index = this.count;
    while (index % 2 === 1) {
      hash = nodeHash(this.edge[level]!, hash);
      this.edge[level] = undefined;
      level += 1;
      index = (index - 1) / 2;
      created.push({ level, index, hash });
    }
    this.edge[level] = hash;
    this.count += 1;
    return created;
  }
}

/** The largest power of two strictly below n (n ≥ 2). */
function split(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/**
 * MTH(D[start:end]) from stored nodes, for a range that starts on a multiple of a power of two at
 * least as large as itself (every range RFC 9162's recursion asks for).
 */
export function rangeHash(read: NodeReader, start: number, end: number): Buffer {
  const n = end - start;
  if (n <= 0) return EMPTY_ROOT;
  if ((n & (n - 1)) === 0) {
    const level = Math.log2(n);
    return read(level, start / n);
  }
  const k = split(n);
  return nodeHash(rangeHash(read, start, start + k), rangeHash(read, start + k, end));
}

/** The root of the tree of the first `size` leaves. */
export function treeRoot(read: NodeReader, size: number): Buffer {
  return rangeHash(read, 0, size);
}

/**
 * PATH(m, D[0:n]) of RFC 9162 §2.1.3.1: the audit path of leaf `m` in the tree of `n` leaves,
 * nearest the leaf first.
 */
export function inclusionProof(read: NodeReader, m: number, n: number): Buffer[] {
  if (!(Number.isInteger(m) && Number.isInteger(n) && m >= 0 && m < n)) {
    throw new RangeError(`leaf ${m} is not in a tree of ${n} leaves`);
  }
  return path(read, m, 0, n);
}

function path(read: NodeReader, m: number, start: number, end: number): Buffer[] {
  const n = end - start;
  if (n === 1) return [];
  const k = split(n);
  return m < k
    ? [...path(read, m, start, start + k), rangeHash(read, start + k, end)]
    : [...path(read, m - k, start + k, end), rangeHash(read, start, start + k)];
}

/**
 * PROOF(m, D[0:n]) of RFC 9162 §2.1.4.1: that the tree of `m` leaves is a prefix of the tree of `n`.
 * Empty when m = n (nothing to prove) or m = 0.
 */
export function consistencyProof(read: NodeReader, m: number, n: number): Buffer[] {
  if (!(Number.isInteger(m) && Number.isInteger(n) && m >= 0 && m <= n)) {
    throw new RangeError(`a tree of ${m} leaves is not a prefix of one of ${n}`);
  }
  if (m === 0 || m === n) return [];
  return subproof(read, m, 0, n, true);
}

function subproof(read: NodeReader, m: number, start: number, end: number, whole: boolean): Buffer[] {
  const n = end - start;
  if (m === n) return whole ? [] : [rangeHash(read, start, end)];
  const k = split(n);
  return m <= k
    ? [...subproof(read, m, start, start + k, whole), rangeHash(read, start + k, end)]
    : [...subproof(read, m - k, start + k, end, false), rangeHash(read, start, start + k)];
}

/** RFC 9162 §2.1.3.2: whether `proof` proves leaf `leafIndex` with hash `leaf` in the tree `root` of `treeSize`. */
export function verifyInclusion(
  leafIndex: number,
  treeSize: number,
  leaf: Buffer,
  proof: readonly Buffer[],
  root: Buffer,
): boolean {
  if (!(leafIndex >= 0 && leafIndex < treeSize)) return false;
  let fn = leafIndex;
  let sn = treeSize - 1;
  let r = leaf;
  for (const p of proof) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(p, r);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && r.equals(root);
}

/** RFC 9162 §2.1.4.2: whether `proof` shows the tree `firstRoot` of `first` leaves is a prefix of `secondRoot`. */
export function verifyConsistency(
  first: number,
  second: number,
  firstRoot: Buffer,
  secondRoot: Buffer,
  proof: readonly Buffer[],
): boolean {
  if (!(first >= 0 && first <= second)) return false;
  if (first === second) return proof.length === 0 && firstRoot.equals(secondRoot);
  if (first === 0) return proof.length === 0;
  if (proof.length === 0) return false;
  const path = (first & (first - 1)) === 0 ? [firstRoot, ...proof] : [...proof];
  let fn = first - 1;
  let sn = second - 1;
  while (fn % 2 === 1) {
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  let fr = path[0];
  let sr = path[0];
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && fr.equals(firstRoot) && sr.equals(secondRoot);
}
