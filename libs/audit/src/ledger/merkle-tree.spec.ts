import { createHash } from 'node:crypto';
import {
  MerkleAppender,
  consistencyProof,
  inclusionProof,
  leafHash,
  treeRoot,
  verifyConsistency,
  verifyInclusion,
  type NodeReader,
} from './merkle-tree';

/*
 * An independent implementation of RFC 9162, written here from the RFC's text and sharing no code
 * with Harbour's: the tree hash of §2.1.1 by its recursive definition over the leaf list, and the
 * verification algorithms of §2.1.3.2 (inclusion) and §2.1.4.2 (consistency) step by step, on
 * bigints. Harbour's proofs must satisfy it.
 */
const sha = (...parts: Buffer[]): Buffer => createHash('sha256').update(Buffer.concat(parts)).digest();
const HASH_CHILDREN = (left: Buffer, right: Buffer) => sha(Buffer.of(1), left, right);
const LSB = (value: bigint) => (value & 1n) === 1n;

/** MTH(D[n]) of §2.1.1, over the leaf entries themselves. */
function rfcMth(entries: readonly Buffer[]): Buffer {
  if (entries.length === 0) return sha();
  if (entries.length === 1) return sha(Buffer.of(0), entries[0]);
  let k = 1;
  while (k * 2 < entries.length) k *= 2;
  return HASH_CHILDREN(rfcMth(entries.slice(0, k)), rfcMth(entries.slice(k)));
}

/** §2.1.3.2, numbered as the RFC numbers its steps. */
function rfcVerifyInclusion(
  leafIndex: bigint,
  treeSize: bigint,
  hash: Buffer,
  inclusionPath: readonly Buffer[],
  rootHash: Buffer,
): boolean {
  // 1. leaf_index must be below tree_size.
  if (leafIndex >= treeSize) return false;
  // 2. fn = leaf_index, sn = tree_size - 1. 3. r = hash.
  let fn = leafIndex;
  let sn = treeSize - 1n;
  let r = hash;
  // 4. For each p in inclusion_path:
  for (const p of inclusionPath) {
    // a. sn = 0: fail.
    if (sn === 0n) return false;
    // b. LSB(fn) set, or fn = sn:
    if (LSB(fn) || fn === sn) {
      r = HASH_CHILDREN(p, r);
      if (!LSB(fn)) {
        while (!LSB(fn) && fn !== 0n) {
          fn >>= 1n;
          sn >>= 1n;
        }
      }
    } else {
      r = HASH_CHILDREN(r, p);
    }
    // c. right-shift both once.
    fn >>= 1n;
    sn >>= 1n;
  }
  // 5. sn = 0 and r = root_hash.
  return sn === 0n && r.equals(rootHash);
}

/** §2.1.4.2, numbered as the RFC numbers its steps. */
function rfcVerifyConsistency(
  first: bigint,
  second: bigint,
  firstHash: Buffer,
  secondHash: Buffer,
  consistencyPath: readonly Buffer[],
): boolean {
  // 1. An empty path fails.
  if (consistencyPath.length === 0) return false;
  // 2. first an exact power of 2: prepend first_hash.
  const path = (first & (first - 1n)) === 0n ? [firstHash, ...consistencyPath] : [...consistencyPath];
  // 3. fn = first - 1, sn = second - 1.
  let fn = first - 1n;
  let sn = second - 1n;
  // 4. While LSB(fn) set, right-shift both.
  while (LSB(fn)) {
    fn >>= 1n;
    sn >>= 1n;
  }
  // 5. fr = sr = the first value.
  let fr = path[0];
  let sr = path[0];
  // 6. For each subsequent value c:
  for (const c of path.slice(1)) {
    if (sn === 0n) return false;
    if (LSB(fn) || fn === sn) {
      fr = HASH_CHILDREN(c, fr);
      sr = HASH_CHILDREN(c, sr);
      if (!LSB(fn)) {
        while (!LSB(fn) && fn !== 0n) {
          fn >>= 1n;
          sn >>= 1n;
        }
      }
    } else {
      sr = HASH_CHILDREN(sr, c);
    }
    fn >>= 1n;
    sn >>= 1n;
  }
  // 7. fr = first_hash, sr = second_hash, sn = 0.
  return fr.equals(firstHash) && sr.equals(secondHash) && sn === 0n;
}

/** Harbour's tree over `entries`, nodes kept in a map as the ledger store keeps them in a table. */
function harbourTree(entries: readonly Buffer[]): { read: NodeReader; reads: () => number } {
  const nodes = new Map<string, Buffer>();
  let reads = 0;
  const read: NodeReader = (level, index) => {
    reads += 1;
    const hash = nodes.get(`${level}/${index}`);
    if (!hash) throw new Error(`no node ${level}/${index}`);
    return hash;
  };
  const appender = new MerkleAppender(0, read);
  for (const entry of entries) {
    for (const node of appender.append(leafHash(entry))) nodes.set(`${node.level}/${node.index}`, node.hash);
  }
  return { read, reads: () => reads };
}

const hex = (buffer: Buffer) => buffer.toString('hex');
const unhex = (text: string) => Buffer.from(text, 'hex');

// The Certificate Transparency reference leaves and roots (RFC 6962 test vectors, as published by
// transparency-dev/merkle's testonly data), used as data only.
const CT_ENTRIES = [
  '',
  '00',
  '10',
  '2021',
  '3031',
  '40414243',
  '5051525354555657',
  '606162636465666768696a6b6c6d6e6f',
].map(unhex);
const CT_ROOTS = [
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];

describe('the ledger Merkle tree (RFC 9162 §2.1)', () => {
  it('gives the published Certificate Transparency roots, built one leaf at a time', () => {
    const { read } = harbourTree(CT_ENTRIES);
    for (let size = 1; size <= 8; size += 1) expect(hex(treeRoot(read, size))).toBe(CT_ROOTS[size - 1]);
    expect(hex(treeRoot(read, 0))).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  it('gives the published inclusion and consistency proofs', () => {
    const { read } = harbourTree(CT_ENTRIES);
    expect(inclusionProof(read, 0, 8).map(hex)).toEqual([
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ]);
    expect(inclusionProof(read, 5, 8).map(hex)).toEqual([
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ]);
    expect(consistencyProof(read, 2, 8).map(hex)).toEqual([
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ]);
    expect(consistencyProof(read, 2, 5).map(hex)).toEqual([
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
    ]);
  });

  const entries = Array.from({ length: 40 }, (_, i) => Buffer.from(`event ${i}`));
  const { read } = harbourTree(entries);

  it('roots match MTH by its definition for every size, from stored nodes and from the right edge alone', () => {
    const streaming = new MerkleAppender(0, () => {
      throw new Error('an append reads no stored node');
    });
    for (let n = 0; n <= entries.length; n += 1) {
      const expected = hex(rfcMth(entries.slice(0, n)));
      expect(hex(treeRoot(read, n))).toBe(expected);
      expect(hex(streaming.root())).toBe(expected);
      if (n < entries.length) streaming.append(leafHash(entries[n]));
    }
  });

  it("every leaf's inclusion proof passes the RFC's verifier, and a wrong leaf, index or path does not", () => {
    for (let n = 1; n <= entries.length; n += 1) {
      const root = rfcMth(entries.slice(0, n));
      for (let m = 0; m < n; m += 1) {
        const proof = inclusionProof(read, m, n);
        const leaf = leafHash(entries[m]);
        expect(rfcVerifyInclusion(BigInt(m), BigInt(n), leaf, proof, root)).toBe(true);
        expect(verifyInclusion(m, n, leaf, proof, root)).toBe(true);
        // An index past the tree's end proves nothing, whatever the path.
        expect(verifyInclusion(n, n, leaf, proof, root)).toBe(false);
        if (n > 1) {
          const other = leafHash(entries[(m + 1) % n]);
          expect(rfcVerifyInclusion(BigInt(m), BigInt(n), other, proof, root)).toBe(false);
          expect(verifyInclusion(m, n, other, proof, root)).toBe(false);
          const flipped = proof.map((node, i) =>
            i === 0 ? Buffer.from(node.map((b, j) => (j === 0 ? b ^ 1 : b))) : node,
          );
          expect(verifyInclusion(m, n, leaf, flipped, root)).toBe(false);
          expect(verifyInclusion(m, n, leaf, proof.slice(1), root)).toBe(false);
        }
      }
    }
  });

  it('every consistency proof passes the RFC verifier, and a proof for another pair does not', () => {
    for (let n = 1; n <= entries.length; n += 1) {
      const second = rfcMth(entries.slice(0, n));
      for (let m = 1; m < n; m += 1) {
        const first = rfcMth(entries.slice(0, m));
        const proof = consistencyProof(read, m, n);
        expect(rfcVerifyConsistency(BigInt(m), BigInt(n), first, second, proof)).toBe(true);
        expect(verifyConsistency(m, n, first, second, proof)).toBe(true);
        const forked = rfcMth([...entries.slice(0, m - 1), Buffer.from('rewritten'), ...entries.slice(m, n)]);
        expect(rfcVerifyConsistency(BigInt(m), BigInt(n), first, forked, proof)).toBe(false);
        expect(verifyConsistency(m, n, first, forked, proof)).toBe(false);
      }
    }
  });

  it('reads O(log n) stored nodes per proof', () => {
    const big = harbourTree(Array.from({ length: 5000 }, (_, i) => Buffer.from(String(i))));
    const before = big.reads();
    inclusionProof(big.read, 1234, 4999);
    consistencyProof(big.read, 3001, 4999);
    // log2(5000) ≈ 12.3: a proof with its right-edge range is at most about 2·log2(n) nodes.
    expect(big.reads() - before).toBeLessThanOrEqual(4 * 13);
  });
});
