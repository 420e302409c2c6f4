import { recordedEventOf, type CaseExport } from './case-export';
import { verifiedReadableSections } from './readable-sections';

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"'`]/g, (char) => `&#${char.charCodeAt(0)};`);
}

const STYLE = `
  body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: #111; margin: 2rem auto; max-width: 70rem; padding: 0 1rem; }
  h1 { font-size: 1.5rem; margin-bottom: 0.25rem; } h2 { font-size: 1.2rem; border-bottom: 2px solid #333; margin-top: 2rem; }
  h3 { font-size: 1.05rem; margin-bottom: 0.25rem; }
  table { border-collapse: collapse; width: 100%; margin: 0.5rem 0 1rem; }
  th, td { border: 1px solid #999; padding: 0.25rem 0.4rem; text-align: left; vertical-align: top; }
  th { background: #eee; }
  code, .hash { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 0.8em; word-break: break-all; }
  .ok { color: #05620b; font-weight: bold; } .broken { color: #a40000; font-weight: bold; }
  .meta { color: #444; } .rationale { white-space: pre-wrap; border-left: 3px solid #999; padding-left: 0.75rem; }
  pre { white-space: pre-wrap; word-break: break-word; font-size: 0.8em; background: #f6f6f6; padding: 0.5rem; margin: 0; }
  @media print {
    body { margin: 0; max-width: none; font-size: 10pt; }
    h2 { break-after: avoid; } tr, .decision { break-inside: avoid; }
    th { background: none; } pre { background: none; border: 1px solid #ccc; }
    a { color: inherit; text-decoration: none; }
  }
`;

/**
 * A case export as one self-contained HTML page (no script, no external resource): summary and
 * verification, timeline, decisions with their rationale and rule checks, and the hash chain.
 * Every string from the file is escaped. It prints cleanly; the JSON export is what verifies.
 *
 * The timeline, decisions and status shown are derived afresh from the file's events, never taken
 * from its readable sections as stated.
 * @throws ReadableSectionsMismatchError when the file's readable sections say anything its events do not.
 */
export function renderCaseExportHtml(exported: CaseExport): string {
  const sections = verifiedReadableSections(
    exported.caseId,
    exported.events.map(recordedEventOf),
    exported as unknown as Record<string, unknown>,
  );
  const file: CaseExport = { ...exported, ...sections };
  const e = escapeHtml;
  const verdict = file.verification.ok
    ? `<span class="ok">Intact</span>: all ${e(file.verification.events)} events hash and link correctly.`
    : `<span class="broken">BROKEN</span>: ${e(brokenText(file))}`;
  const timeline = file.timeline
    .map(
      (entry) => `<tr>
  <td>${e(entry.revision)}</td><td>${e(entry.recordedAt)}</td><td>${e(entry.occurredAt ?? '')}${entry.backdated ? '<br><span class="meta">back-dated</span>' : ''}</td>
  <td>${e(entry.type)}</td>
  <td>${entry.who ? `${e(entry.who.userId)}<br><span class="meta">${e(entry.who.role)}, ${e(entry.who.agency)}</span>` : ''}</td>
  <td>${entry.why.map((reason) => `<strong>${e(reason.field)}</strong>: ${e(reason.text)}`).join('<br>')}</td>
</tr>`,
    )
    .join('\n');
  const decisions = file.decisions.length
    ? file.decisions
        .map(
          (decision) => `<section class="decision">
<h3>Decision ${e(decision.decisionId)}: ${e(decision.outcome)}</h3>
<p class="meta">Decided at ${e(decision.decidedAt)} by ${e(decision.decidedBy.kind)} ${e(
            decision.decidedBy.chairId ?? '',
          )} (revision ${e(decision.revision)}); standard: ${e(decision.explanation.standard.standardOfProof)}, ${e(
            decision.explanation.standard.guidanceVersion,
          )}.</p>
<p class="rationale">${e(decision.rationale)}</p>
<table><thead><tr><th>Rule</th><th>Met</th><th>Facts</th></tr></thead><tbody>
${decision.explanation.rules
  .map(
    (rule) =>
      `<tr><td><code>${e(rule.rule)}</code></td><td class="${rule.satisfied ? 'ok' : 'broken'}">${rule.satisfied ? 'yes' : 'NO'}</td><td>${e(rule.explanation)}</td></tr>`,
  )
  .join('\n')}
</tbody></table>
</section>`,
        )
        .join('\n')
    : '<p>No decision has been recorded.</p>';
  const chain = file.events
    .map(
      (event) => `<tr>
  <td>${e(event.revision)}</td><td>${e(event.position)}</td><td>${e(event.type)}</td>
  <td class="hash">${e(event.metadata.prevHash ?? '')}</td><td class="hash">${e(event.metadata.hash ?? '')}</td>
</tr>`,
    )
    .join('\n');
  // The events as a reader sees them (the stored ones hold personal data encrypted).
  const events = file.timeline
    .map(
      (event) =>
        `<tr><td>${e(event.revision)}</td><td>${e(event.type)}</td><td><pre>${e(JSON.stringify(event.data, null, 2))}</pre></td></tr>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>Case file ${e(file.caseId)}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>Case file ${e(file.caseId)}</h1>
<p class="meta">Exported ${e(file.exportedAt)} by ${e(file.exportedBy)} from stream <code>${e(file.stream)}</code>. Status: <strong>${e(
    file.status,
  )}</strong>. Contains personal data: handle as OFFICIAL-SENSITIVE.</p>

<h2>Verification</h2>
<p>${verdict}</p>
<p class="meta">Each event's hash is SHA-256 over the canonical JSON (RFC 8785) of its type, data, metadata (without the hash) and the previous event's hash; the first links to <code>${e(
    file.verification.genesisHash,
  )}</code>. Head: revision ${e(file.head.revision)}, hash <code>${e(file.head.hash ?? '')}</code>. File digest (JSON export): <code>${e(
    file.digest.value,
  )}</code>.</p>

<h2>Timeline</h2>
<table><thead><tr><th>Rev</th><th>Recorded</th><th>Occurred</th><th>Event</th><th>Who</th><th>Why</th></tr></thead><tbody>
${timeline}
</tbody></table>

<h2>Decisions</h2>
${decisions}

<h2>Hash chain</h2>
<table><thead><tr><th>Rev</th><th>Position</th><th>Event</th><th>prevHash</th><th>hash</th></tr></thead><tbody>
${chain}
</tbody></table>

<h2>Events</h2>
<table><thead><tr><th>Rev</th><th>Event</th><th>Data</th></tr></thead><tbody>
${events}
</tbody></table>
</body>
</html>
`;
}

function brokenText(file: CaseExport): string {
  const broken = file.verification.firstBroken;
  return broken
    ? `revision ${broken.revision} (position ${broken.position}, ${broken.type}): ${broken.problem}: ${broken.detail}`
    : 'the chain is not intact';
}
