import { createPublicKey, verify } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { witnessHead, type SignedTreeHead } from '@harbour/audit';
import { tempDir } from '@harbour/testing';
import { startApi, type ApiHarness } from './support/api-harness';
import { referral, when } from './support/pilot-path';

/**
 * Issue 18: the ledger's witness sink. Every head the API signs is also handed to a party outside
 * Harbour (a file here, `HARBOUR_LEDGER_WITNESS`), who checks it with nothing but the published key
 * and node:crypto: the signature over the documented message, written in this test from the
 * README, not with Harbour's code.
 */

interface PublishedKey {
  kid: string;
  kty: string;
  crv: string;
  x: string;
}

/** The documented message: a context line, then the head's other fields as canonical JSON (sorted keys). */
function signedMessage(head: SignedTreeHead): Buffer {
  const { format, keyId, rootHash, timestamp, treeSize, version } = head;
  const sorted = { format, keyId, rootHash, timestamp, treeSize, version };
  return Buffer.from(`harbour-tree-head:v1\n${JSON.stringify(sorted)}`, 'utf8');
}

/** What a witness checks of a head it was handed, with the keys Harbour published. */
function witnessAccepts(head: SignedTreeHead, keys: readonly PublishedKey[]): boolean {
  const key = keys.find((candidate) => candidate.kid === head.keyId);
  if (!key) return false;
  const publicKey = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: key.x }, format: 'jwk' });
  return verify(null, signedMessage(head), publicKey, Buffer.from(head.signature, 'base64url'));
}

describe('the ledger witness sink', () => {
  const witnessDir = tempDir('harbour-witness-');
  const witnessFile = join(witnessDir.path, 'heads.jsonl');
  let api: ApiHarness;
  let lead: string;

  beforeAll(async () => {
    // A head for every event the tree grows by, and none on a timer, so the heads follow the appends.
    api = await startApi({
      env: {
        HARBOUR_LEDGER_WITNESS: witnessFile,
        HARBOUR_LEDGER_HEAD_EVERY_EVENTS: '1',
        HARBOUR_LEDGER_HEAD_INTERVAL_MS: '3600000',
      },
    });
    api.clock.set(when.now);
    lead = await api.token('lead', { userId: 'lead-1' });
  });
  afterAll(async () => {
    await api.close();
    witnessDir.remove();
  });

  function witnessed(): SignedTreeHead[] {
    if (!existsSync(witnessFile)) return [];
    return readFileSync(witnessFile, 'utf8')
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as SignedTreeHead);
  }

  async function raiseCase(): Promise<void> {
    const response = await api.request('POST', '/cases', {
      token: lead,
      body: referral(),
      headers: { 'x-occurred-at': when.raised },
    });
    expect(response.status).toBe(201);
  }

  function eventsInStore(): number {
    const db = new Database(join(api.config.dataDir, 'events.db'), { readonly: true });
    try {
      return (db.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n;
    } finally {
      db.close();
    }
  }

  /** Waits until the witness file holds a head of every event in the store. */
  async function witnessHasEverything(): Promise<SignedTreeHead[]> {
    const events = eventsInStore();
    for (let tries = 0; ; tries += 1) {
      const lines = witnessed();
      if (lines.length > 0 && lines[lines.length - 1].treeSize === events) return lines;
      if (tries > 100) throw new Error(`the witness file holds no head of all ${events} events`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  it('receives every head as it is signed, one JSON line each, that a third party verifies with the published key', async () => {
    await raiseCase();
    const first = await witnessHasEverything();
    await raiseCase();
    await raiseCase();
    const lines = await witnessHasEverything();

    // The file only grows: the heads written before are still there, unchanged, and new ones follow.
    expect(lines.slice(0, first.length)).toEqual(first);
    expect(lines.length).toBeGreaterThan(first.length);

    // Every head the API signed and serves is in the file, in the order it was signed.
    const served = await api.request<{ items: SignedTreeHead[] }>('GET', '/ledger/heads', { token: lead });
    expect(lines).toEqual(served.body.items);
    const sizes = lines.map((head) => head.treeSize);
    expect(sizes).toEqual([...sizes].sort((a, b) => a - b));

    // Checked by the witness with the published key alone.
    const keys = await api.request<{ keys: PublishedKey[] }>('GET', '/ledger/keys', { token: lead });
    for (const head of lines) expect(witnessAccepts(head, keys.body.keys)).toBe(true);
    // And an edited head is refused: a larger tree, another root, or another key.
    const newest = lines[lines.length - 1];
    expect(witnessAccepts({ ...newest, treeSize: newest.treeSize + 1 }, keys.body.keys)).toBe(false);
    expect(witnessAccepts({ ...newest, rootHash: '00'.repeat(32) }, keys.body.keys)).toBe(false);
    expect(witnessAccepts({ ...newest, keyId: 'ffffffffffffffff' }, keys.body.keys)).toBe(false);

    // Each witnessed root is the root the ledger still proves for that tree size, and the oldest
    // witnessed tree is a prefix of the newest.
    const oldest = lines[0];
    const consistency = await api.request<{ fromRoot: string; toRoot: string }>(
      'GET',
      `/ledger/proofs/consistency?from=${oldest.treeSize}&to=${newest.treeSize}`,
      { token: lead },
    );
    expect(consistency.status).toBe(200);
    expect(consistency.body).toMatchObject({ fromRoot: oldest.rootHash, toRoot: newest.rootHash });
  });
});

describe('witnessHead', () => {
  const head: SignedTreeHead = {
    format: 'harbour-tree-head',
    version: 1,
    treeSize: 3,
    rootHash: 'ab'.repeat(32),
    timestamp: '2026-12-03T15:00:00.000Z',
    keyId: '0123456789abcdef',
    signature: 'c2lnbmF0dXJl',
  };

  it('writes a head to standard output as one JSON line', () => {
    const write = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      witnessHead({ kind: 'stdout' }, head);
      expect(write).toHaveBeenCalledWith(`${JSON.stringify(head)}\n`);
    } finally {
      write.mockRestore();
    }
  });

  it('appends to a file, keeping what it held', () => {
    const dir = tempDir('harbour-witness-');
    try {
      const file = join(dir.path, 'heads.jsonl');
      witnessHead({ kind: 'file', path: file }, head);
      witnessHead({ kind: 'file', path: file }, { ...head, treeSize: 4 });
      expect(readFileSync(file, 'utf8')).toBe(`${JSON.stringify(head)}\n${JSON.stringify({ ...head, treeSize: 4 })}\n`);
    } finally {
      dir.remove();
    }
  });
});
