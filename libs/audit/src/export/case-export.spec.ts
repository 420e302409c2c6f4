import { DomainExamples, schemaVersionOf } from '@harbour/domain';
import type { JsonObject, RecordedEvent } from '@harbour/event-store';
import { GENESIS_HASH, chainEvents } from '../chain/hash-chain';
import { foldCase, type LoadedCase } from '../history/case-history';
import { buildCaseExport, renderCaseExportJson, verifyCaseExport } from './case-export';
import { escapeHtml, renderCaseExportHtml } from './case-export.html';

const { ids, historyIn } = DomainExamples;

/** The example decided case as stored events, chained as the write path chains them. */
function loadedCase(): LoadedCase {
  const domainEvents = historyIn['decided-negative']();
  const chained = chainEvents(
    GENESIS_HASH,
    domainEvents.map((event, index) => ({
      type: event.type,
      data: event.data as unknown as JsonObject,
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

  it('renders HTML with every string escaped', () => {
    expect(escapeHtml(`<b onclick="x">'&\`</b>`)).toBe('&#60;b onclick=&#34;x&#34;&#62;&#39;&#38;&#96;&#60;/b&#62;');
    const hostile = { ...file, exportedBy: '<script>alert(1)</script>' };
    const html = renderCaseExportHtml(hostile);
    expect(html).not.toContain('<script>');
    expect(html).toContain('&#60;script&#62;alert(1)&#60;/script&#62;');
  });
});
