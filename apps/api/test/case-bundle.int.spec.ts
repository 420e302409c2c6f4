import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { leafHash, ledgerEntry, recordedEventOf, verifyInclusion, type ExportedEvent } from '@harbour/audit';
import { startApi, type ApiHarness } from './support/api-harness';
import { REPO_ROOT, harbourCli } from './support/harbour-cli';
import { assessment, referral, when } from './support/pilot-path';

/**
 * Issue 18's case bundles end to end: `harbour audit export` proves every event of a case in the
 * ledger under a signed head, and the standalone verifier (one file, nothing but Node) run in an
 * empty directory checks it, and names what broke when one byte of any part is changed.
 */

function run(
  command: string,
  args: readonly string[],
  options: { cwd: string; env: NodeJS.ProcessEnv },
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(command, args, { ...options, timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr });
    });
  });
}

/**
 * The text with one character changed inside the first occurrence of `within` after `after` (at
 * its `offset`).
 */
function flipOneByte(text: string, within: string, offset: number, after = ''): string {
  const from = text.indexOf(after);
  const at = text.indexOf(within, from);
  if (from < 0 || at < 0) throw new Error(`"${within}" is not in the file after "${after}"`);
  const index = at + offset;
  const char = text[index];
  const replacement = /[0-9a-f]/.test(char) ? (char === '0' ? '1' : '0') : char === 'x' ? 'y' : 'x';
  return `${text.slice(0, index)}${replacement}${text.slice(index + 1)}`;
}

describe('a case bundle and the standalone verifier', () => {
  let api: ApiHarness;
  let empty: string;
  let bundle: string;
  let caseId: string;

  beforeAll(async () => {
    api = await startApi();
    api.clock.set(when.now);
    const lead = await api.token('lead', { userId: 'lead-1' });
    const raised = await api.request('POST', '/cases', {
      token: lead,
      body: referral(),
      headers: { 'x-occurred-at': when.raised },
    });
    expect(raised.status).toBe(201);
    caseId = String(raised.body.caseId);
    const assessed = await api.request('POST', `/cases/${caseId}/lead-assessment`, {
      token: lead,
      body: assessment(),
      headers: { 'x-occurred-at': when.assessed },
    });
    expect(assessed.status).toBe(200);

    bundle = await exportCase();

    // An empty directory far from the repository (no node_modules above it), holding only the
    // verifier, the case file and Harbour's published keys.
    empty = mkdtempSync(join(tmpdir(), 'harbour-auditor-'));
    execFileSync(process.execPath, ['scripts/build-verifier.mjs', join(empty, 'harbour-verify-export.cjs')], {
      cwd: REPO_ROOT,
    });
    const keys = await api.request('GET', '/ledger/keys', { token: lead });
    writeFileSync(join(empty, 'keys.json'), JSON.stringify(keys.body));
  }, 120_000);

  afterAll(async () => {
    rmSync(empty, { recursive: true, force: true });
    await api.close();
  });

  async function exportCase(): Promise<string> {
    const out = join(api.config.dataDir, 'case.json');
    const exported = await harbour('audit', 'export', caseId, '--out', out);
    expect(exported).toMatchObject({ code: 0, stderr: '' });
    return readFileSync(out, 'utf8');
  }

  function harbour(...args: string[]) {
    return harbourCli(api.config.dataDir, ...args);
  }

  /** Runs the verifier in the empty directory, with Node alone: no NODE_PATH, no repository. */
  async function verify(text: string) {
    writeFileSync(join(empty, 'case.json'), text);
    return run(process.execPath, ['harbour-verify-export.cjs', 'case.json', '--keys', 'keys.json'], {
      cwd: empty,
      env: { PATH: process.env.PATH ?? '' },
    });
  }

  it('carries every event with its inclusion proof, the signed head and the public key', () => {
    const file = JSON.parse(bundle) as {
      events: { position: string }[];
      ledger: { head: { treeSize: number; keyId: string }; publicKey: { kid: string }; proofs: { position: string }[] };
    };
    expect(file.ledger.proofs.map((proof) => proof.position)).toEqual(file.events.map((event) => event.position));
    expect(file.ledger.publicKey.kid).toBe(file.ledger.head.keyId);
    expect(file.ledger.head.treeSize).toBeGreaterThanOrEqual(file.events.length);
  });

  it('verifies in an empty directory with nothing but Node', async () => {
    const result = await verify(bundle);
    expect(result.stdout).toMatch(/^OK: case\.json: case [0-9a-f-]{36}, 2 events; .* \(one of the keys given\)$/m);
    expect(result.code).toBe(0);
  });

  const file = () => JSON.parse(bundle) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

  it.each([
    [
      'an event (its recorded time)',
      () => flipOneByte(bundle, `"recordedAt": "${file().events[1].recordedAt}"`, 30, '\n  "events": ['),
      /the event case-[0-9a-f-]+ revision 1 .*or its inclusion proof: it does not lead to the signed head's root/,
    ],
    [
      'an event (its data)',
      () => flipOneByte(bundle, '"policeForceArea": "', 20, '\n  "events": ['),
      /hash chain broken at case-[0-9a-f-]+ revision 0 .*hash-mismatch/,
    ],
    [
      'a proof',
      () => flipOneByte(bundle, file().ledger.proofs[1].path[0], 5),
      /the event case-[0-9a-f-]+ revision 1 .*or its inclusion proof: it does not lead to the signed head's root/,
    ],
    [
      'the head',
      () => flipOneByte(bundle, file().ledger.head.rootHash, 7),
      /the signed head: .*signature does not verify/,
    ],
    [
      'the signature',
      () => flipOneByte(bundle, file().ledger.head.signature, 10),
      /the signed head: .*signature does not verify/,
    ],
    [
      'a readable section',
      () => flipOneByte(bundle, `\n  "status": "${file().status}"`, 15),
      /the status section is not what its events derive/,
    ],
  ])('fails naming what broke when one byte of %s changes', async (_part, alter, named) => {
    const result = await verify(alter());
    expect(result.stdout).toMatch(/^BROKEN: case\.json/m);
    expect(result.stdout).toMatch(named);
    expect(result.code).toBe(1);
  });

  it('keeps every proof valid after the person’s data is crypto-shredded: the ledger hashes ciphertext', async () => {
    const before = JSON.parse(bundle) as {
      events: ExportedEvent[];
      ledger: { head: { treeSize: number; rootHash: string } };
    };
    const head = before.ledger.head;
    const subjectId = String((before.events[0].data.subject as { subjectId: string }).subjectId);
    const admin = await api.token('admin', { userId: 'admin-1' });
    const erased = await api.request('POST', `/subjects/${subjectId}/erasure`, {
      token: admin,
      body: { reason: 'Request ER-7.' },
    });
    expect(erased.status).toBe(200);

    // Exported again, the person's data reads [erased], and the file still verifies.
    const after = await exportCase();
    expect(after).toContain('[erased]');
    expect(after).not.toContain('Synthetic Person Alpha');
    expect((await verify(after)).code).toBe(0);
    // The bundle exported before the erasure verifies as it did.
    expect((await verify(bundle)).code).toBe(0);

    // Each event, as stored now, is still proven in the tree of the head signed before the erasure.
    const events = (JSON.parse(after) as { events: ExportedEvent[] }).events;
    expect(events.map((event) => event.data)).toEqual(before.events.map((event) => event.data));
    for (const event of events) {
      const proof = await api.request<{ leafIndex: number; proof: string[] }>(
        'GET',
        `/ledger/proofs/inclusion?position=${event.position}&treeSize=${head.treeSize}`,
        { token: admin },
      );
      expect(proof.status).toBe(200);
      const leaf = leafHash(ledgerEntry(recordedEventOf(event)));
      const path = proof.body.proof.map((node) => Buffer.from(node, 'hex'));
      expect(verifyInclusion(proof.body.leafIndex, head.treeSize, leaf, path, Buffer.from(head.rootHash, 'hex'))).toBe(
        true,
      );
    }
    // And the whole store still holds what that head committed to.
    const headFile = join(api.config.dataDir, 'head-before-erasure.json');
    writeFileSync(headFile, JSON.stringify(head));
    const checked = await harbour('audit', 'verify', '--against-head', headFile);
    expect(checked.stdout).toMatch(/^OK: head: /m);
    expect(checked.code).toBe(0);
  });
});
