/**
 * Finds personal data in rows, by the event schemas' own marking (`x-personal-data`), so a spec
 * needs no hand-kept list of what is personal: a field newly marked in a schema is checked too.
 * For specs only.
 */
import { EventSchemaRegistry } from '@harbour/application';
import type { RecordedEvent } from '@harbour/event-store';

const registry = new EventSchemaRegistry();

// Shorter strings ("ro", "ROU") are compared whole: as substrings they would be found everywhere.
const SUBSTRING_MIN_LENGTH = 8;

/**
 * Every string of personal data in `events`, read at the paths their schemas mark. A string the
 * events also carry in an unmarked field is left out: a marked object may hold a value that is
 * not personal on its own (a child's local authority contact names the same council that
 * referred the case), and a row may show it from the unmarked field.
 */
export function personalValuesIn(events: readonly RecordedEvent[]): Set<string> {
  const personal = new Set<string>();
  const open = new Set<string>();
  for (const event of events) {
    const paths = registry
      .personalDataPaths(event.type, Number(event.metadata.schemaVersion))
      .map((path) => path.split('/').slice(1));
    for (const segments of paths) {
      for (const value of valuesAt(event.data, segments)) for (const text of stringsIn(value)) personal.add(text);
    }
    const unmarked = structuredClone(event.data);
    for (const segments of paths) removeAt(unmarked, segments);
    for (const text of stringsIn(unmarked)) open.add(text);
  }
  return new Set([...personal].filter((text) => !open.has(text)));
}

/** The personal values found anywhere in `value` (a row or a column). */
export function personalDataIn(value: unknown, personal: ReadonlySet<string>): string[] {
  const found: string[] = [];
  for (const text of stringsIn(value)) {
    for (const candidate of personal) {
      const hit = text === candidate || (candidate.length >= SUBSTRING_MIN_LENGTH && text.includes(candidate));
      if (hit) found.push(candidate);
    }
  }
  return found;
}

// JSON pointer segments, `*` for every element of an array.
function valuesAt(value: unknown, segments: readonly string[]): unknown[] {
  if (segments.length === 0) return value === undefined ? [] : [value];
  const [head, ...rest] = segments;
  if (head === '*') return Array.isArray(value) ? value.flatMap((item) => valuesAt(item, rest)) : [];
  if (typeof value !== 'object' || value === null) return [];
  const name = head.replace(/~1/g, '/').replace(/~0/g, '~');
  return valuesAt((value as Record<string, unknown>)[name], rest);
}

function removeAt(value: unknown, segments: readonly string[]): void {
  if (typeof value !== 'object' || value === null || segments.length === 0) return;
  const [head, ...rest] = segments;
  if (head === '*') {
    if (Array.isArray(value)) for (const item of value) removeAt(item, rest);
    return;
  }
  const record = value as Record<string, unknown>;
  const name = head.replace(/~1/g, '/').replace(/~0/g, '~');
  if (rest.length === 0) delete record[name];
  else removeAt(record[name], rest);
}

/** Every string inside `value`, however deeply nested. */
export function stringsIn(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(stringsIn);
  if (typeof value === 'object' && value !== null) return Object.values(value).flatMap(stringsIn);
  return [];
}
