import type { CaseState } from '@harbour/domain';
import type { JsonObject, JsonValue, RecordedEvent } from '@harbour/event-store';
import { canonicalJson } from '../chain/canonical-json';
import { explainAllDecisions, type RecordedDecisionExplanation } from '../history/decision-explanation';
import { foldCase, historyEntryOf, type HistoryEntry } from '../history/case-history';

/** A decision as exported: what was decided, on what grounds, and why it stands. */
export interface ExportedDecision {
  readonly decisionId: string;
  readonly revision: string;
  readonly outcome: string;
  readonly decidedAt: string;
  readonly rationale: string;
  readonly decidedBy: JsonObject;
  readonly explanation: RecordedDecisionExplanation['explanation'];
}

/**
 * What an export shows a reader, every part of it derived from the case's events: the timeline, the
 * decisions explained, the status and the folded state. The exporter writes these and the verifier
 * re-derives them with this same code, so a file whose readable sections say anything its events do
 * not is refused.
 */
export interface ReadableSections {
  readonly status: string;
  /** Every event as a reader sees it: personal data decrypted, or `[erased]` once erased. */
  readonly timeline: readonly HistoryEntry[];
  readonly decisions: readonly ExportedDecision[];
  /** The case as it stands at the head (the domain's fold). */
  readonly state: CaseState;
}

/** The order the sections are checked and named in. */
export const READABLE_SECTIONS = ['timeline', 'decisions', 'status', 'state'] as const;

/**
 * The readable sections of a case from its events as a reader sees them (personal data opened),
 * with the domain's own fold and decision explainer.
 */
export function deriveReadableSections(caseId: string, opened: readonly RecordedEvent[]): ReadableSections {
  const state = foldCase(opened);
  return {
    status: state.status,
    timeline: opened.map(historyEntryOf),
    decisions: explainAllDecisions({ caseId, events: opened, stored: opened, state }).map(
      ({ decision, explanation }) => ({
        decisionId: explanation.decisionId,
        revision: decision.revision,
        outcome: explanation.outcome,
        decidedAt: explanation.decidedAt,
        rationale: String(decision.data.rationale ?? ''),
        decidedBy: (decision.data.decidedBy ?? {}) as JsonObject,
        explanation,
      }),
    ),
    state,
  };
}

/** What a reader is shown where personal data was, once its key is destroyed. */
const ERASED = '[erased]';
/** An encrypted field value as the write path stores it (`@harbour/privacy`). */
const CIPHERTEXT = /^enc:v1:[A-Za-z0-9-]{1,64}:[A-Za-z0-9_-]+$/;

/**
 * The events as the file's reader was shown them, and where its timeline strays from its events.
 *
 * Offline there is no key to decrypt with, so the timeline's data stands in for the plaintext, but
 * only where the stored event holds a ciphertext (the decrypted value) or where the reader was shown
 * `[erased]`. Everywhere else the stored (hash-covered) value is used, so a falsified cleartext field
 * in the timeline changes nothing that is derived and is named as a difference.
 */
export function openedFromTimeline(
  stored: readonly RecordedEvent[],
  timeline: readonly unknown[],
): { readonly opened: RecordedEvent[]; readonly strays: string[] } {
  const strays: string[] = [];
  const opened = stored.map((event, index) => {
    const shown = (timeline[index] as { data?: unknown } | undefined)?.data;
    const place = `revision ${event.revision} (${event.type})`;
    if (!isObject(shown)) {
      strays.push(`${place} has no data`);
      return event;
    }
    const data = merge(event.data, shown, '', (pointer) => strays.push(`${place} differs at /data${pointer}`));
    return { ...event, data: data as JsonObject };
  });
  return { opened, strays };
}

function merge(stored: JsonValue, shown: unknown, pointer: string, stray: (pointer: string) => void): JsonValue {
  if (typeof stored === 'string' && CIPHERTEXT.test(stored)) return shown as JsonValue;
  if (shown === ERASED) return ERASED;
  if (Array.isArray(stored) && Array.isArray(shown) && stored.length === shown.length) {
    return stored.map((item, index) => merge(item, shown[index], `${pointer}/${index}`, stray));
  }
  if (isObject(stored) && isObject(shown) && sameKeys(stored, shown)) {
    return Object.fromEntries(
      Object.keys(stored).map((key) => [key, merge(stored[key], shown[key], `${pointer}/${escape(key)}`, stray)]),
    );
  }
  if (!Array.isArray(stored) && !isObject(stored) && stored === shown) return stored;
  stray(pointer || '/');
  return stored;
}

/**
 * Re-derives every readable section from the file's events and names each that differs, with the
 * first place it differs. Empty when every section is exactly what the events derive.
 */
export function readableSectionProblems(
  caseId: string,
  stored: readonly RecordedEvent[],
  file: Readonly<Record<string, unknown>>,
): string[] {
  const timeline = Array.isArray(file.timeline) ? (file.timeline as unknown[]) : [];
  const { opened, strays } = openedFromTimeline(stored, timeline);
  let derived: Record<string, unknown>;
  try {
    derived = JSON.parse(JSON.stringify(deriveReadableSections(caseId, opened))) as Record<string, unknown>;
  } catch (error) {
    return [`the readable sections cannot be derived from its events: ${(error as Error).message}`];
  }
  const problems: string[] = [];
  for (const section of READABLE_SECTIONS) {
    const stated = file[section];
    const difference =
      section === 'timeline' && strays.length > 0 ? strays[0] : firstDifference(derived[section], stated, '');
    if (difference !== undefined) {
      problems.push(`the ${section} section is not what its events derive: ${difference}`);
    }
  }
  return problems;
}

/** A file whose readable sections are not what its events derive. */
export class ReadableSectionsMismatchError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`The export's readable sections do not follow from its events: ${problems.join('; ')}`);
    this.name = 'ReadableSectionsMismatchError';
  }
}

/**
 * The readable sections derived afresh from an export's events, for anything that shows them to a
 * person (the HTML page): never the sections as the file states them.
 * @throws ReadableSectionsMismatchError when the file states anything else.
 */
export function verifiedReadableSections(
  caseId: string,
  stored: readonly RecordedEvent[],
  file: Readonly<Record<string, unknown>>,
): ReadableSections {
  const problems = readableSectionProblems(caseId, stored, file);
  if (problems.length > 0) throw new ReadableSectionsMismatchError(problems);
  const timeline = Array.isArray(file.timeline) ? (file.timeline as unknown[]) : [];
  return deriveReadableSections(caseId, openedFromTimeline(stored, timeline).opened);
}

/** Where two JSON values first differ, as a JSON pointer; undefined when they are the same. */
function firstDifference(expected: unknown, actual: unknown, pointer: string): string | undefined {
  if (Array.isArray(expected) && Array.isArray(actual)) {
    for (let index = 0; index < Math.max(expected.length, actual.length); index += 1) {
      const found = firstDifference(expected[index], actual[index], `${pointer}/${index}`);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  if (isObject(expected as JsonValue) && isObject(actual)) {
    const keys = new Set([...Object.keys(expected as object), ...Object.keys(actual)]);
    for (const key of [...keys].sort()) {
      const found = firstDifference(
        (expected as Record<string, unknown>)[key],
        actual[key],
        `${pointer}/${escape(key)}`,
      );
      if (found !== undefined) return found;
    }
    return undefined;
  }
  if (sameJson(expected, actual)) return undefined;
  return `at ${pointer || '/'} the events give ${describe(expected)} but the file says ${describe(actual)}`;
}

function sameJson(a: unknown, b: unknown): boolean {
  try {
    return canonicalJson(a ?? null) === canonicalJson(b ?? null) && (a === undefined) === (b === undefined);
  } catch {
    return false;
  }
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function sameKeys(a: object, b: object): boolean {
  const left = Object.keys(a).sort();
  const right = Object.keys(b).sort();
  return left.length === right.length && left.every((key, index) => key === right[index]);
}

function escape(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}

function isObject(value: unknown): value is Record<string, JsonValue> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
