import { createHash } from 'node:crypto';
import { DomainExamples } from '@harbour/domain';
import type { JsonObject, RecordedEvent } from '@harbour/event-store';
import { canonicalJson } from '../chain/canonical-json';
import { GENESIS_HASH, chainEvents } from '../chain/hash-chain';
import { foldCase, type LoadedCase } from '../history/case-history';
import { buildCaseExport, renderCaseExportJson, verifyCaseExport } from './case-export';
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

/** What anyone editing a file can do: change its content, then recompute the digest over it. */
function forge(text: string, edit: (file: ForgedFile) => void): string {
  const file = JSON.parse(text) as ForgedFile;
  edit(file);
  const { digest: _digest, ...body } = file;
  file.digest.value = createHash('sha256').update(canonicalJson(body)).digest('hex');
  return renderCaseExportJson(file);
}

describe('case export', () => {
  const file = buildCaseExport(loadedCase(), new Date('2015-08-01T10:00:00.000Z'), 'auditor-1');
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
      const sealed = renderCaseExportJson(
        buildCaseExport(encryptedCase(), new Date('2015-08-01T10:00:00.000Z'), 'a-1'),
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

  it('renders HTML with every string escaped', () => {
    expect(escapeHtml(`<b onclick="x">'&\`</b>`)).toBe('&#60;b onclick=&#34;x&#34;&#62;&#39;&#38;&#96;&#60;/b&#62;');
    const hostile = { ...file, exportedBy: '<script>alert(1)</script>' };
    const html = renderCaseExportHtml(hostile);
    expect(html).not.toContain('<script>');
    expect(html).toContain('&#60;script&#62;alert(1)&#60;/script&#62;');
  });
});
