import { createHash, generateKeyPairSync } from 'node:crypto';
import { DomainExamples, schemaVersionOf } from '@harbour/domain';
import type { JsonObject, RecordedEvent } from '@harbour/event-store';
import { canonicalJson } from '../chain/canonical-json';
import { GENESIS_HASH, chainEvents } from '../chain/hash-chain';
import { foldCase, type LoadedCase } from '../history/case-history';
import {
  MerkleAppender,
  inclusionProof,
  leafHash,
  ledgerEntry,
  treeRoot,
  type NodeReader,
} from '../ledger/merkle-tree';
import { LedgerSigningKey, publicJwkOf } from '../ledger/tree-head';
import { buildCaseExport, renderCaseExportJson, verifyCaseExport, type CaseExportAnchor } from './case-export';
import { escapeHtml, renderCaseExportHtml } from './case-export.html';

const { ids, historyIn } = DomainExamples;

/** The example decided case as stored events, chained as the write path chains them. */
function loadedCase(seal: (type: string, data: JsonObject) => JsonObject = (_type, data) => data): LoadedCase {
  const domainEvents = historyIn['decided-negative']();
  const chained = chainEvents(
    GENESIS_HASH,
    domainEvents.map((event, index) => ({
      type: event.type,
      data: seal(event.type, event.data as unknown as JsonObject),
      metadata: {
        actor: { userId: `user-${index}`, role: 'lead', agency: 'a' },
        occurredAt: '2015-07-20T12:00:00.000Z',
        schemaVersion: schemaVersionOf(event.type),
      },
    })),
  );
  const events: RecordedEvent[] = chained.map((event, index) => ({
    ...event,
    id: `00000000-0000-4000-8000-${String(index).padStart(12, '0')}`,
    stream: `case-${ids.caseId}`,
    revision: BigInt(index),
    position: BigInt(100 + index),
    recordedAt: new Date(Date.UTC(2015, 6, 21, 9, 0, index)),
  }));
  return { caseId: ids.caseId, events, stored: events, state: foldCase(events) };
}

/**
 * The same case with the decision's rationale stored encrypted, as the write path stores personal
 * data: `stored` holds the ciphertext the chain covers, `events` the plaintext a reader sees.
 */
function encryptedCase(): LoadedCase {
  const plain = loadedCase();
  const stored = loadedCase((type, data) =>
    type === 'DecisionRecorded' ? { ...data, rationale: 'enc:v1:subject-1:c2VhbGVkLXJhdGlvbmFsZQ' } : data,
  ).stored;
  const events = stored.map((event, index) => ({ ...event, data: plain.events[index].data }));
  return { caseId: ids.caseId, events, stored, state: foldCase(events) };
}

/** The parts of an export a forger edits. */
interface ForgedFile {
  decisions: { outcome: string; explanation: { outcome: string } }[];
  timeline: { data: JsonObject }[];
  status: string;
  state: { status: string };
  digest: { value: string };
}

const SIGNING_KEY = new LedgerSigningKey(generateKeyPairSync('ed25519').privateKey, 'test key');

/**
 * The events' place in a ledger: a tree with other streams' events before and after them, a head
 * signed over it, and each event's inclusion proof, as `harbour audit export` takes them from
 * the ledger.
 */
function anchorFor(stored: readonly RecordedEvent[], key = SIGNING_KEY): CaseExportAnchor {
  const nodes = new Map<string, Buffer>();
  const read: NodeReader = (level, index) => nodes.get(`${level}/${index}`)!;
  const tree = new MerkleAppender(0, read);
  const add = (leaf: Buffer) => {
    for (const node of tree.append(leaf)) nodes.set(`${node.level}/${node.index}`, node.hash);
  };
  for (let i = 0; i < 5; i += 1) add(leafHash(`another stream's event ${i}`));
  const indices = stored.map((event) => {
    const index = tree.size;
    add(leafHash(ledgerEntry(event)));
    return index;
  });
  add(leafHash('a later event'));
  return {
    head: key.sign(tree.size, treeRoot(read, tree.size), new Date('2015-08-01T10:00:00.000Z')),
    publicKey: publicJwkOf(key.publicKey),
    proofs: stored.map((event, i) => ({
      position: String(event.position),
      leafIndex: indices[i],
      path: inclusionProof(read, indices[i], tree.size).map((node) => node.toString('hex')),
    })),
  };
}

/** What anyone editing a file can do: change its content, then recompute the digest over it. */
function forge(text: string, edit: (file: ForgedFile) => void): string {
  const file = JSON.parse(text) as ForgedFile;
  edit(file);
  const { digest: _digest, ...body } = file;
  file.digest.value = createHash('sha256').update(canonicalJson(body)).digest('hex');
  return renderCaseExportJson(file);
}

describe('case export', () => {
  const loaded = loadedCase();
  const file = buildCaseExport(loaded, new Date('2015-08-01T10:00:00.000Z'), 'auditor-1', anchorFor(loaded.stored));
  const text = renderCaseExportJson(file);

  it('holds the timeline, the decisions explained, the chain and its verification', () => {
    expect(file).toMatchObject({
      caseId: ids.caseId,
      status: 'decided-negative',
      verification: { ok: true, firstBroken: null },
      decisions: [{ decisionId: ids.decisionId, outcome: 'negative', explanation: { allSatisfied: false } }],
    });
    // The synthetic actor is not the presiding chair: the explanation says so.
    const rules = file.decisions[0].explanation.rules.filter((rule) => !rule.satisfied).map((rule) => rule.rule);
    expect(rules).toEqual(['decision-by-presiding-chair']);
    expect(file.timeline).toHaveLength(file.events.length);
    expect(file.head.hash).toBe(file.events[file.events.length - 1].metadata.hash);
  });

  it('verifies as written, and not after any single byte changes', () => {
    expect(verifyCaseExport(text)).toMatchObject({ ok: true, problems: [], caseId: ids.caseId });
    // Every 97th byte: letters, digits, quotes, whitespace and hashes alike.
    let checked = 0;
    for (let at = 0; at < text.length; at += 97) {
      const replacement = text[at] === 'x' ? 'y' : 'x';
      const altered = `${text.slice(0, at)}${replacement}${text.slice(at + 1)}`;
      expect({ at, ok: verifyCaseExport(altered).ok }).toEqual({ at, ok: false });
      checked += 1;
    }
    expect(checked).toBeGreaterThan(50);
  });

  it('names a broken chain, a cut-off end and a file that is not an export', () => {
    const parsed = JSON.parse(text) as { events: { data: JsonObject }[]; head: unknown };
    parsed.events[1].data = { ...parsed.events[1].data, provider: 'someone-else' };
    const tampered = verifyCaseExport(renderCaseExportJson(parsed));
    expect(tampered.firstBroken).toMatchObject({ revision: '1', problem: 'hash-mismatch' });
    expect(tampered.problems).toEqual(
      expect.arrayContaining([expect.stringMatching(/^digest mismatch/), expect.stringMatching(/^hash chain broken/)]),
    );

    const cut = JSON.parse(text) as { events: unknown[] };
    cut.events.pop();
    expect(verifyCaseExport(renderCaseExportJson(cut)).problems).toEqual(
      expect.arrayContaining([expect.stringMatching(/events were removed from its end/)]),
    );
    expect(verifyCaseExport('{"not": "an export"}').problems).toEqual(['not a Harbour case export']);
    expect(verifyCaseExport('{').ok).toBe(false);
  });

  describe('refuses readable sections that its events do not derive (a falsified outcome)', () => {
    const decisionIndex = file.timeline.findIndex((entry) => entry.type === 'DecisionRecorded');
    const edits: Record<string, (forged: ForgedFile) => void> = {
      decisions: (forged) => {
        forged.decisions[0].outcome = 'positive';
        forged.decisions[0].explanation.outcome = 'positive';
      },
      timeline: (forged) => {
        forged.timeline[decisionIndex].data.outcome = 'positive';
      },
      status: (forged) => {
        forged.status = 'decided-positive';
      },
      state: (forged) => {
        forged.state.status = 'decided-positive';
      },
    };
    it.each(Object.keys(edits))('names the %s section when it is edited and the digest recomputed', (section) => {
      const forged = forge(text, edits[section]);
      const result = verifyCaseExport(forged);
      expect(result.ok).toBe(false);
      // The digest and the chain hold: only the derivation gives the lie away.
      expect(result.firstBroken).toBeNull();
      expect(result.problems).toEqual([expect.stringContaining(`the ${section} section`)]);
    });

    it('names every section when all four tell the same lie', () => {
      const forged = forge(text, (file) => Object.values(edits).forEach((edit) => edit(file)));
      const problems = verifyCaseExport(forged).problems.join('\n');
      for (const section of Object.keys(edits)) expect(problems).toContain(`the ${section} section`);
    });

    it('verifies personal data shown decrypted over the ciphertext its chain covers', () => {
      const encrypted = encryptedCase();
      const sealed = renderCaseExportJson(
        buildCaseExport(encrypted, new Date('2015-08-01T10:00:00.000Z'), 'a-1', anchorFor(encrypted.stored)),
      );
      expect(verifyCaseExport(sealed)).toMatchObject({ ok: true, problems: [] });
      const parsed = JSON.parse(sealed) as { timeline: { data: JsonObject }[]; events: { data: JsonObject }[] };
      expect(parsed.events[decisionIndex].data.rationale).toMatch(/^enc:v1:/);
      expect(parsed.timeline[decisionIndex].data.rationale).not.toMatch(/^enc:v1:/);
      // A field stored in the clear is not the reader's to change, encrypted neighbours or not.
      const forged = forge(sealed, (file) => {
        file.timeline[decisionIndex].data.outcome = 'positive';
      });
      expect(verifyCaseExport(forged).problems).toEqual([
        expect.stringMatching(/the timeline section .*revision \d+.*\/outcome/),
      ]);
    });

    it('will not render a falsified file as HTML', () => {
      const forged = JSON.parse(forge(text, edits.decisions)) as Parameters<typeof renderCaseExportHtml>[0];
      expect(() => renderCaseExportHtml(forged)).toThrow(/the decisions section/);
      expect(renderCaseExportHtml(file)).toContain('negative');
    });
  });

  describe('its anchor in the ledger', () => {
    it("names the signing key and head it was proven against, and verifies with Harbour's keys given", () => {
      const keys = [publicJwkOf(SIGNING_KEY.publicKey)];
      expect(verifyCaseExport(text, { keys })).toMatchObject({
        ok: true,
        anchoredBy: { keyId: SIGNING_KEY.keyId, treeSize: file.ledger!.head.treeSize },
      });
      const other = new LedgerSigningKey(generateKeyPairSync('ed25519').privateKey, 'another key');
      expect(verifyCaseExport(text, { keys: [publicJwkOf(other.publicKey)] }).problems).toEqual([
        expect.stringMatching(/^the public key [0-9a-f]{16} is not one of the keys given/),
      ]);
    });

    it("refuses a file re-anchored with another key when Harbour's keys are given, and one with no anchor", () => {
      const other = new LedgerSigningKey(generateKeyPairSync('ed25519').privateKey, 'a forger');
      const forged = renderCaseExportJson(buildCaseExport(loaded, new Date(), 'x', anchorFor(loaded.stored, other)));
      expect(verifyCaseExport(forged).ok).toBe(true);
      expect(verifyCaseExport(forged, { keys: [publicJwkOf(SIGNING_KEY.publicKey)] }).ok).toBe(false);
      const bare = renderCaseExportJson(buildCaseExport(loaded, new Date(), 'x'));
      expect(verifyCaseExport(bare).problems).toEqual([expect.stringMatching(/carries no signed tree head/)]);
    });

    it('names the head, a proof and an event whose recorded time changed, even with the digest and chain recomputed', () => {
      const resigned = forge(text, (forged) => {
        (forged as unknown as { ledger: { head: { treeSize: number } } }).ledger.head.treeSize += 1;
      });
      expect(verifyCaseExport(resigned).problems).toEqual([
        expect.stringMatching(/^the signed head: .*signature does not verify/),
      ]);
      const badProof = forge(text, (forged) => {
        const proofs = (forged as unknown as { ledger: { proofs: { path: string[] }[] } }).ledger.proofs;
        proofs[2].path[0] = proofs[2].path[0].replace(/^./, (c) => (c === '0' ? '1' : '0'));
      });
      expect(verifyCaseExport(badProof).problems).toEqual([
        expect.stringMatching(/revision 2 .*or its inclusion proof: it does not lead to the signed head's root/),
      ]);
      // Proofs swapped between events: each is named as another event's, not as a path that fails.
      const swapped = forge(text, (forged) => {
        const proofs = (forged as unknown as { ledger: { proofs: unknown[] } }).ledger.proofs;
        [proofs[1], proofs[2]] = [proofs[2], proofs[1]];
      });
      expect(verifyCaseExport(swapped).problems).toEqual([
        expect.stringMatching(/^the inclusion proof of .* revision 1 .*: it is for another event, or malformed$/),
        expect.stringMatching(/^the inclusion proof of .* revision 2 .*: it is for another event, or malformed$/),
      ]);
      // Recorded time is outside the chain's hash but inside the leaf.
      const retimed = forge(text, (forged) => {
        const events = (forged as unknown as { events: { recordedAt: string }[] }).events;
        events[1].recordedAt = '2015-07-21T09:00:59.000Z';
        (forged as unknown as { timeline: { recordedAt: string }[] }).timeline[1].recordedAt = events[1].recordedAt;
      });
      expect(verifyCaseExport(retimed).problems).toEqual([
        expect.stringMatching(/^the event case-.* revision 1 .*does not lead to the signed head's root/),
      ]);
    });
  });

  it('renders HTML with every string escaped', () => {
    expect(escapeHtml(`<b onclick="x">'&\`</b>`)).toBe('&#60;b onclick=&#34;x&#34;&#62;&#39;&#38;&#96;&#60;/b&#62;');
    const hostile = { ...file, exportedBy: '<script>alert(1)</script>' };
    const html = renderCaseExportHtml(hostile);
    expect(html).not.toContain('<script>');
    expect(html).toContain('&#60;script&#62;alert(1)&#60;/script&#62;');
  });
});
