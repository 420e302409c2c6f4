import { createPublicKey, verify } from 'node:crypto';
import { copyFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import {
  SqliteLedger,
  canonicalJson,
  leafHash,
  ledgerEntry,
  verifyConsistency,
  verifyInclusion,
  type SignedTreeHead,
} from '@harbour/audit';
import type { JsonObject } from '@harbour/event-store';
import { tempDir } from '@harbour/testing';
import { startApi, type ApiHarness } from './support/api-harness';
import { harbourCli } from './support/harbour-cli';
import { referral, when } from './support/pilot-path';

/**
 * Issue 18 over the real API and CLI against real SQLite files: the API keeps the ledger's Merkle
 * tree behind its writers, and `harbour audit verify` names what the hash chains cannot see.
 */

/** Runs the `harbour` CLI against the harness's data directory; never rejects. */
function harbour(api: ApiHarness, ...args: string[]) {
  return harbourCli(api.config.dataDir, ...args);
}

/** `harbour audit sign-head`: signs a head of the whole log now (on demand), printed as JSON. */
async function signHead(dataDir: string): Promise<SignedTreeHead> {
  const signed = await harbourCli(dataDir, 'audit', 'sign-head');
  expect(signed).toMatchObject({ code: 0, stderr: '' });
  return JSON.parse(signed.stdout) as SignedTreeHead;
}

describe('the ledger', () => {
  let api: ApiHarness;
  let lead: string;

  beforeAll(async () => {
    // Heads on their own only at start-up here, so the newest is the one a test signed.
    api = await startApi({ env: { HARBOUR_LEDGER_HEAD_INTERVAL_MS: '3600000' } });
    api.clock.set(when.now);
    lead = await api.token('lead', { userId: 'lead-1' });
  });
  afterAll(() => api.close());

  const eventsFile = () => join(api.config.dataDir, 'events.db');

  it('serves a signed head from start-up, before the keeper has caught up once', async () => {
    // A fresh API on a fresh store: the head signed at boot covers the tree as it stood then.
    const fresh = await startApi({ env: { HARBOUR_LEDGER_HEAD_INTERVAL_MS: '3600000' } });
    try {
      const head = await fresh.request<SignedTreeHead>('GET', '/ledger/head', { token: await fresh.token('analyst') });
      expect(head.status).toBe(200);
      expect(head.body).toMatchObject({ format: 'harbour-tree-head', treeSize: 0 });
    } finally {
      await fresh.close();
    }
  });

  async function raiseCase(): Promise<string> {
    const response = await api.request('POST', '/cases', {
      token: lead,
      body: referral(),
      headers: { 'x-occurred-at': when.raised },
    });
    expect(response.status).toBe(201);
    return String(response.body.caseId);
  }

  /** Waits until the API's ledger holds a leaf for every event in the store. */
  async function ledgerCaughtUp(): Promise<void> {
    const db = new Database(eventsFile(), { readonly: true });
    const events = (db.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n;
    db.close();
    const ledger = new SqliteLedger(api.config.ledger.filename);
    try {
      for (let tries = 0; ledger.size() < events; tries += 1) {
        if (tries > 100) throw new Error(`the ledger holds ${ledger.size()} of ${events} events`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    } finally {
      ledger.close();
    }
  }

  it('is built behind the writers, and the intact store verifies against it', async () => {
    await raiseCase();
    await ledgerCaughtUp();
    const result = await harbour(api, 'audit', 'verify');
    expect(result.stdout).toMatch(/^OK: ledger: all \d+ leaves match their events/m);
    expect(result.code).toBe(0);
    // The API signed a head of its own when it started.
    expect((await api.request('GET', '/ledger/head', { token: lead })).status).toBe(200);
  });

  it('names an event whose recorded time was edited in events.db, though every hash chain still holds', async () => {
    const caseId = await raiseCase();
    await ledgerCaughtUp();
    const db = new Database(eventsFile());
    const row = db
      .prepare('SELECT position, recorded_at FROM events WHERE stream = ? AND revision = 0')
      .get(`case-${caseId}`) as { position: number; recorded_at: string };
    db.prepare(`UPDATE events SET recorded_at = '2001-01-01T00:00:00.000Z' WHERE position = ?`).run(row.position);
    db.close();

    const result = await harbour(api, 'audit', 'verify');
    expect(result.stdout).toMatch(/streams, every link intact/);
    expect(result.stdout).toContain(
      `recorded-time-changed: the recorded time of case-${caseId} revision 0 (position ${row.position}) was changed: ` +
        `the ledger recorded ${row.recorded_at}, the store now says 2001-01-01T00:00:00.000Z`,
    );
    expect(result.code).toBe(1);

    // Put back, it verifies again.
    const restore = new Database(eventsFile());
    restore.prepare('UPDATE events SET recorded_at = ? WHERE position = ?').run(row.recorded_at, row.position);
    restore.close();
    expect((await harbour(api, 'audit', 'verify')).code).toBe(0);
  });

  it('signs heads on demand (harbour audit sign-head), serves them and the keys that verify them, to every authenticated role', async () => {
    await raiseCase();
    const analyst = await api.token('analyst', { userId: 'analyst-1' });
    const head = await signHead(api.config.dataDir);
    expect(head).toMatchObject({ format: 'harbour-tree-head', version: 1, treeSize: expect.any(Number) });

    const latest = await api.request<SignedTreeHead>('GET', '/ledger/head', { token: analyst });
    expect(latest.body).toEqual(head);
    const listed = await api.request<{ items: SignedTreeHead[] }>('GET', '/ledger/heads', { token: lead });
    expect(listed.body.items).toContainEqual(head);
    expect((await api.request('GET', '/ledger/head')).status).toBe(401);

    // The signature checked with node:crypto alone, from the documented message.
    const keys = await api.request<{ keys: { kid: string; x: string }[] }>('GET', '/ledger/keys', { token: analyst });
    const key = keys.body.keys.find((candidate) => candidate.kid === head.keyId)!;
    const { signature, ...unsigned } = head;
    const message = Buffer.from(`harbour-tree-head:v1\n${canonicalJson(unsigned)}`);
    const publicKey = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: key.x }, format: 'jwk' });
    expect(verify(null, message, publicKey, Buffer.from(signature, 'base64url'))).toBe(true);
    expect(
      verify(null, Buffer.concat([message, Buffer.from(' ')]), publicKey, Buffer.from(signature, 'base64url')),
    ).toBe(false);
  });

  it("proves an event's inclusion to a reader in the case's scope only, logging the read; and consistency to anyone", async () => {
    const caseId = await raiseCase();
    const auditor = await api.token('auditor', { userId: 'auditor-2' });
    const first = await signHead(api.config.dataDir);
    await raiseCase();
    const second = await signHead(api.config.dataDir);
    expect(second.treeSize).toBeGreaterThan(first.treeSize);

    const db = new Database(eventsFile(), { readonly: true });
    const row = db.prepare('SELECT * FROM events WHERE stream = ? AND revision = 0').get(`case-${caseId}`) as {
      position: number;
      id: string;
      stream: string;
      revision: number;
      type: string;
      data: string;
      metadata: string;
      recorded_at: string;
    };
    db.close();
    const entry = ledgerEntry({
      id: row.id,
      stream: row.stream,
      revision: BigInt(row.revision),
      position: BigInt(row.position),
      type: row.type,
      data: JSON.parse(row.data) as JsonObject,
      metadata: JSON.parse(row.metadata) as JsonObject,
      recordedAt: new Date(row.recorded_at),
    });
    const path = `/ledger/proofs/inclusion?position=${row.position}&treeSize=${second.treeSize}`;
    const proof = await api.request<{ leafIndex: number; leafHash: string; proof: string[] }>('GET', path, {
      token: lead,
    });
    expect(proof.status).toBe(200);
    expect(proof.body.leafHash).toBe(leafHash(entry).toString('hex'));
    const nodes = proof.body.proof.map((node) => Buffer.from(node, 'hex'));
    expect(
      verifyInclusion(
        proof.body.leafIndex,
        second.treeSize,
        leafHash(entry),
        nodes,
        Buffer.from(second.rootHash, 'hex'),
      ),
    ).toBe(true);

    // Another region's lead, and an analyst, learn nothing of the event.
    const otherLead = await api.token('lead', { userId: 'lead-9', region: 'london' });
    expect((await api.request('GET', path, { token: otherLead })).status).toBe(404);
    expect((await api.request('GET', path, { token: await api.token('analyst') })).status).toBe(403);
    const log = await api.request<{ items: { endpoint: string; viewerId: string }[] }>(
      'GET',
      `/audit/access?caseId=${caseId}`,
      { token: auditor },
    );
    expect(log.body.items).toContainEqual(
      expect.objectContaining({ endpoint: 'GET /ledger/proofs/inclusion', viewerId: 'lead-1' }),
    );

    const consistency = await api.request<{ proof: string[] }>(
      'GET',
      `/ledger/proofs/consistency?from=${first.treeSize}&to=${second.treeSize}`,
      { token: await api.token('analyst') },
    );
    expect(consistency.status).toBe(200);
    expect(
      verifyConsistency(
        first.treeSize,
        second.treeSize,
        Buffer.from(first.rootHash, 'hex'),
        Buffer.from(second.rootHash, 'hex'),
        consistency.body.proof.map((node) => Buffer.from(node, 'hex')),
      ),
    ).toBe(true);
    expect((await api.request('GET', '/ledger/proofs/consistency?from=5&to=2', { token: lead })).status).toBe(400);
  });

  it('names the last event of a stream deleted from events.db, which no chain can see, also against a saved head', async () => {
    const caseId = await raiseCase();
    await ledgerCaughtUp();
    const head = await signHead(api.config.dataDir);
    const headFile = join(api.config.dataDir, 'saved-head.json');
    writeFileSync(headFile, JSON.stringify(head));
    expect((await harbour(api, 'audit', 'verify', '--against-head', headFile)).stdout).toMatch(/^OK: head: /m);
    const db = new Database(eventsFile());
    const last = db
      .prepare('SELECT position, revision FROM events WHERE stream = ? ORDER BY revision DESC LIMIT 1')
      .get(`case-${caseId}`) as { position: number; revision: number };
    db.prepare('DELETE FROM events WHERE position = ?').run(last.position);
    db.close();

    const result = await harbour(api, 'audit', 'verify');
    expect(result.stdout).toMatch(/streams, every link intact/);
    expect(result.stdout).toContain(
      `event-missing: case-${caseId} revision ${last.revision} (position ${last.position}`,
    );
    expect(result.code).toBe(1);

    const againstHead = await harbour(api, 'audit', 'verify', '--against-head', headFile);
    expect(againstHead.stdout).toContain(
      `commits to ${head.treeSize} events, but the store holds only ${head.treeSize - 1}`,
    );
    expect(againstHead.code).toBe(1);

    // A head whose signature no longer matches is refused before anything else.
    writeFileSync(headFile, JSON.stringify({ ...head, treeSize: head.treeSize - 1 }));
    const forged = await harbour(api, 'audit', 'verify', '--against-head', headFile);
    expect(forged.stdout).toContain("the head's signature does not verify");
    expect(forged.code).toBe(1);
  });
});

describe('the ledger against a store put back to an older copy', () => {
  it('names the events the saved head covers that the older copy lacks', async () => {
    const dir = tempDir('harbour-ledger-rollback-');
    try {
      let api = await startApi({ dataDir: dir.path });
      api.clock.set(when.now);
      const lead = await api.token('lead', { userId: 'lead-1' });
      const raise = async () =>
        expect(
          (
            await api.request('POST', '/cases', {
              token: lead,
              body: referral(),
              headers: { 'x-occurred-at': when.raised },
            })
          ).status,
        ).toBe(201);
      await raise();
      // The older copy: a consistent snapshot, as a backup would take.
      const backup = join(dir.path, 'events-backup.db');
      const db = new Database(join(dir.path, 'events.db'));
      db.exec(`VACUUM INTO '${backup}'`);
      const backedUp = (db.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n;
      db.close();
      await raise();
      await raise();
      const head = await signHead(dir.path);
      expect(head.treeSize).toBeGreaterThan(backedUp);
      const headFile = join(dir.path, 'head.json');
      writeFileSync(headFile, JSON.stringify(head));
      const keysFile = join(dir.path, 'keys.json');
      writeFileSync(keysFile, JSON.stringify((await api.request('GET', '/ledger/keys', { token: lead })).body));
      await api.close();

      // Every file of the event store replaced by the backup, and the ledger's own file gone too.
      for (const suffix of ['', '-wal', '-shm']) rmSync(join(dir.path, `events.db${suffix}`), { force: true });
      for (const suffix of ['', '-wal', '-shm']) rmSync(join(dir.path, `ledger.db${suffix}`), { force: true });
      copyFileSync(backup, join(dir.path, 'events.db'));
      api = { config: { dataDir: dir.path } } as unknown as ApiHarness;
      const result = await harbour(api, 'audit', 'verify', '--against-head', headFile, '--keys', keysFile);
      expect(result.stdout).toContain('every link intact');
      expect(result.stdout).toContain(
        `commits to ${head.treeSize} events, but the store holds only ${backedUp}: ${head.treeSize - backedUp} are missing`,
      );
      expect(result.code).toBe(1);
    } finally {
      dir.remove();
    }
  });
});
