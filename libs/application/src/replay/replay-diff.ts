import { escapeHtml } from '@harbour/audit';
import {
  decodeEvent,
  replayCaseUnder,
  type Actor,
  type CaseEvent,
  type CaseReplay,
  type NotReconstructable,
  type RecordedStep,
  type ReplayDifference,
  type WorkflowDefinition,
} from '@harbour/domain';
import type { EventStore, RecordedEvent } from '@harbour/event-store';
import { panelDirectoryFor } from '../panels/panel-registry';

/** Opens personal data for a reader allowed to see it (the `PersonalDataProtector`). */
export interface PersonalDataOpener {
  open(event: RecordedEvent, cache?: Map<string, unknown>): Promise<RecordedEvent>;
}

export interface ReplayDiffDeps {
  readonly store: EventStore;
  readonly personalData: PersonalDataOpener;
}

/** Which cases to replay: by default every case started under a version of the definition's workflow. */
export interface ReplayDiffSelection {
  /** Only these cases. */
  readonly caseIds?: readonly string[];
  /** Only cases of this region. */
  readonly region?: string;
}

/** One row of the summary: how many cases a rule would have stopped, at which command. */
export interface ReplayDiffSummaryRow {
  readonly rule: string;
  readonly command: string;
  readonly kind: ReplayDifference['kind'];
  readonly cases: number;
}

export interface ReplayDiffReport {
  readonly definition: { readonly id: string; readonly version: number };
  readonly casesReplayed: number;
  readonly commandsReplayed: number;
  readonly eventsRead: number;
  /** Steps folded as recorded without being re-decided, by reason (see `NotReconstructable`). */
  readonly notReconstructed: Readonly<Partial<Record<NotReconstructable, number>>>;
  /** Per case that would have gone differently, its first differing step; by case id. */
  readonly differences: readonly ReplayDifference[];
  readonly summary: readonly ReplayDiffSummaryRow[];
}

/**
 * Replay-diff: re-decides every past command of the selected cases under `definition`, in order,
 * and reports per case the first step that would have gone differently, with the rule and its
 * facts, and a summary by rule. Answers "which past decisions would this changed rule have
 * changed?" before a definition is rolled out. Reads the store once, in order; writes nothing.
 */
export async function replayDiff(
  deps: ReplayDiffDeps,
  definition: WorkflowDefinition,
  selection: ReplayDiffSelection = {},
): Promise<ReplayDiffReport> {
  const wanted = selection.caseIds ? new Set(selection.caseIds) : undefined;
  const streams = new Map<string, RecordedEvent[]>();
  const skippedStreams = new Set<string>();
  let eventsRead = 0;
  for await (const event of deps.store.readAll()) {
    if (!event.stream.startsWith('case-') || skippedStreams.has(event.stream)) continue;
    let events = streams.get(event.stream);
    if (events === undefined) {
      if (!selected(event, definition, selection, wanted)) {
        skippedStreams.add(event.stream);
        continue;
      }
      events = [];
      streams.set(event.stream, events);
    }
    events.push(event);
    eventsRead += 1;
  }

  const panelIds = new Set<string>();
  for (const events of streams.values()) {
    for (const event of events) {
      if (event.type === 'CaseListedForPanel') panelIds.add(String(event.data.panelId));
    }
  }
  const panels = await panelDirectoryFor(deps.store, [...panelIds]);

  const replays: CaseReplay[] = [];
  for (const [stream, events] of streams) {
    const steps = await stepsOf(events, deps.personalData);
    replays.push(replayCaseUnder(definition, stream.slice('case-'.length), steps, { panels }));
  }
  return reportOf(definition, replays, eventsRead);
}

function selected(
  first: RecordedEvent,
  definition: WorkflowDefinition,
  selection: ReplayDiffSelection,
  wanted: ReadonlySet<string> | undefined,
): boolean {
  if (first.type !== 'ReferralRaised') return false;
  const { caseId, region, workflow } = first.data as {
    caseId?: unknown;
    region?: unknown;
    workflow?: { id?: unknown };
  };
  if (wanted && !wanted.has(String(caseId))) return false;
  if (selection.region !== undefined && region !== selection.region) return false;
  return workflow?.id === definition.id;
}

/** The stream's events as the steps that recorded them: consecutive events of one command id. */
async function stepsOf(events: readonly RecordedEvent[], personalData: PersonalDataOpener): Promise<RecordedStep[]> {
  const cache = new Map<string, unknown>();
  const steps: {
    revision: bigint;
    commandId: string;
    actor: RecordedStep['actor'];
    occurredAt: string;
    events: CaseEvent[];
  }[] = [];
  for (const stored of events) {
    const opened = await personalData.open(stored, cache);
    const event = decodeEvent<CaseEvent>(opened);
    const commandId = String(stored.metadata.commandId);
    const last = steps[steps.length - 1];
    if (last?.commandId === commandId) {
      last.events.push(event);
      continue;
    }
    steps.push({
      revision: stored.revision,
      commandId,
      actor: stored.metadata.actor as unknown as Actor,
      occurredAt: String(stored.metadata.occurredAt),
      events: [event],
    });
  }
  return steps;
}

function reportOf(
  definition: WorkflowDefinition,
  replays: readonly CaseReplay[],
  eventsRead: number,
): ReplayDiffReport {
  const notReconstructed: Partial<Record<NotReconstructable, number>> = {};
  let commandsReplayed = 0;
  const differences: ReplayDifference[] = [];
  for (const replay of replays) {
    commandsReplayed += replay.replayed;
    for (const [reason, count] of Object.entries(replay.skipped) as [NotReconstructable, number][]) {
      notReconstructed[reason] = (notReconstructed[reason] ?? 0) + count;
    }
    if (replay.difference) differences.push(replay.difference);
  }
  differences.sort((a, b) => (a.caseId < b.caseId ? -1 : a.caseId > b.caseId ? 1 : 0));
  const rows = new Map<string, ReplayDiffSummaryRow>();
  for (const { rule, command, kind } of differences) {
    const key = `${rule}\u0000${command}\u0000${kind}`;
    const row = rows.get(key);
    rows.set(key, { rule, command, kind, cases: (row?.cases ?? 0) + 1 });
  }
  const summary = [...rows.values()].sort((a, b) => b.cases - a.cases || a.rule.localeCompare(b.rule));
  return {
    definition: { id: definition.id, version: definition.version },
    casesReplayed: replays.length,
    commandsReplayed,
    eventsRead,
    notReconstructed,
    differences,
    summary,
  };
}

/** The report as a self-contained HTML page: the summary table, then each case's first difference. */
export function renderReplayDiffHtml(report: ReplayDiffReport): string {
  const { id, version } = report.definition;
  const summary = report.summary
    .map(
      (row) =>
        `<tr><td>${escapeHtml(row.rule)}</td><td>${escapeHtml(row.command)}</td><td>${escapeHtml(row.kind)}</td><td>${row.cases}</td></tr>`,
    )
    .join('\n');
  const cases = report.differences
    .map(
      (d) =>
        `<tr><td><code>${escapeHtml(d.caseId)}</code></td><td>${escapeHtml(d.revision)}</td><td>${escapeHtml(d.command)}</td>` +
        `<td>${escapeHtml(d.occurredAt)}</td><td>${escapeHtml(d.rule)}</td><td>${escapeHtml(d.facts)}</td></tr>`,
    )
    .join('\n');
  const skipped = Object.entries(report.notReconstructed)
    .map(([reason, count]) => `${escapeHtml(reason)}: ${count}`)
    .join(', ');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Replay-diff under ${escapeHtml(id)}@${version}</title>
<style>body{font:14px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:70rem;padding:0 1rem}table{border-collapse:collapse;width:100%;margin:.5rem 0 1rem}th,td{border:1px solid #999;padding:.25rem .4rem;text-align:left;vertical-align:top}th{background:#eee}</style>
</head><body>
<h1>Replay-diff under ${escapeHtml(id)}@${version}</h1>
<p>${report.casesReplayed} cases replayed, ${report.commandsReplayed} commands re-decided, ${report.differences.length} cases would have gone differently. Not re-decided: ${skipped || 'none'}.</p>
<h2>Summary</h2>
<table><thead><tr><th>Rule</th><th>Command</th><th>Kind</th><th>Cases</th></tr></thead><tbody>
${summary}
</tbody></table>
<h2>First difference per case</h2>
<table><thead><tr><th>Case</th><th>Revision</th><th>Command</th><th>Business time</th><th>Rule</th><th>Facts</th></tr></thead><tbody>
${cases}
</tbody></table>
</body></html>
`;
}

/**
 * The definition `<id>@<version>` names, among those this build knows (a new version is added to
 * the code before any region is routed to it, so it can be diffed first); or what is wrong.
 */
export function definitionNamed(text: string, known: readonly WorkflowDefinition[]): WorkflowDefinition | string {
  const match = /^([a-z0-9-]+)@([1-9][0-9]{0,5})$/.exec(text);
  if (!match) return `definition must be <id>@<version>, e.g. nrm-pilot-2015@1 (got "${text}")`;
  const found = known.find((definition) => definition.id === match[1] && definition.version === Number(match[2]));
  if (found) return found;
  const names = known.map((definition) => `${definition.id}@${definition.version}`).join(', ');
  return `no workflow definition ${text}; this build knows ${names}`;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Parses a case filter: `all`, `region:<region>`, or case ids separated by commas; or what is wrong. */
export function caseSelectionOf(text: string | undefined): ReplayDiffSelection | string {
  if (text === undefined || text === 'all') return {};
  if (text.startsWith('region:')) {
    const region = text.slice('region:'.length);
    return /^[a-z-]{1,40}$/.test(region) ? { region } : `cases: "${region}" is not a region`;
  }
  const caseIds = text.split(',').map((id) => id.trim());
  const bad = caseIds.find((id) => !UUID.test(id));
  if (bad !== undefined) return `cases must be all, region:<region> or case ids separated by commas ("${bad}" is none)`;
  return { caseIds };
}
