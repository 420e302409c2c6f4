import { createHash } from 'node:crypto';
import type { JsonObject, RecordedEvent } from '@harbour/event-store';
import { canonicalJson } from '../chain/canonical-json';
import { ChainVerifier, GENESIS_HASH, type ChainBreak } from '../chain/hash-chain';
import type { LoadedCase } from '../history/case-history';
import { deriveReadableSections, readableSectionProblems, type ReadableSections } from './readable-sections';

export const CASE_EXPORT_FORMAT = 'harbour-case-export';

/** An event exactly as stored, positions and revisions as decimal strings. */
export interface ExportedEvent {
  readonly id: string;
  readonly stream: string;
  readonly revision: string;
  readonly position: string;
  readonly type: string;
  readonly data: JsonObject;
  readonly metadata: JsonObject;
  readonly recordedAt: string;
}

/**
 * Everything an exported case file holds except its digest. The readable sections (timeline,
 * decisions, status, state) are derived from the events by {@link deriveReadableSections}.
 */
export interface CaseExportBody extends ReadableSections {
  readonly format: typeof CASE_EXPORT_FORMAT;
  readonly formatVersion: 1;
  readonly caseId: string;
  readonly stream: string;
  readonly exportedAt: string;
  readonly exportedBy: string;
  /** The last event when exported: a file cut short of it no longer matches. */
  readonly head: { readonly revision: string; readonly position: string; readonly hash: string | null };
  /**
   * The hash chain: the events exactly as stored (personal data encrypted), enough to recompute
   * every hash offline.
   */
  readonly events: readonly ExportedEvent[];
  readonly verification: {
    readonly hash: 'sha256';
    readonly canonicalization: 'RFC 8785 (JCS)';
    readonly covers: string;
    readonly genesisHash: string;
    readonly ok: boolean;
    readonly events: number;
    readonly headHash: string;
    readonly firstBroken: ChainBreak | null;
  };
}

export interface CaseExport extends CaseExportBody {
  /** SHA-256 of the canonical JSON of everything else in the file. */
  readonly digest: { readonly algorithm: 'sha256'; readonly covers: string; readonly value: string };
}

/**
 * Builds the export of a loaded case: timeline, decisions explained, the chain and its check. The
 * timeline, decisions and state carry the personal data as the reader sees it (decrypted, or
 * `[erased]`); `events` are the events as stored (personal data encrypted), as the chain covers.
 */
export function buildCaseExport(loaded: LoadedCase, exportedAt: Date, exportedBy: string): CaseExport {
  const verifier = new ChainVerifier();
  for (const event of loaded.stored) verifier.add(event);
  const chain = verifier.stream(loaded.stored[0]?.stream ?? '');
  const last = loaded.stored[loaded.stored.length - 1];
  const body: CaseExportBody = {
    format: CASE_EXPORT_FORMAT,
    formatVersion: 1,
    caseId: loaded.caseId,
    stream: last.stream,
    exportedAt: exportedAt.toISOString(),
    exportedBy,
    head: {
      revision: String(last.revision),
      position: String(last.position),
      hash: typeof last.metadata.hash === 'string' ? last.metadata.hash : null,
    },
    ...deriveReadableSections(loaded.caseId, loaded.events),
    events: loaded.stored.map((event) => ({
      id: event.id,
      stream: event.stream,
      revision: String(event.revision),
      position: String(event.position),
      type: event.type,
      data: event.data,
      metadata: event.metadata,
      recordedAt: event.recordedAt.toISOString(),
    })),
    verification: {
      hash: 'sha256',
      canonicalization: 'RFC 8785 (JCS)',
      covers: '{ type, data, metadata without hash, prevHash } of each event',
      genesisHash: GENESIS_HASH,
      ok: chain.ok,
      events: chain.events,
      headHash: chain.headHash,
      firstBroken: chain.firstBroken,
    },
  };
  return { ...body, digest: digestOf(body) };
}

function digestOf(body: CaseExportBody | Record<string, unknown>): CaseExport['digest'] {
  return {
    algorithm: 'sha256',
    covers: 'the canonical JSON (RFC 8785) of the file without its digest',
    value: createHash('sha256').update(canonicalJson(body)).digest('hex'),
  };
}

/**
 * The file text of an export: keys sorted at every depth, two-space indents, a final newline.
 * The layout follows from the content alone, so a verifier can rebuild it and notice any byte
 * that changed, whitespace included, on top of the digest over the content.
 */
export function renderCaseExportJson(value: unknown): string {
  return `${JSON.stringify(sortKeys(value), null, 2)}\n`;
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (typeof value === 'object' && value !== null) {
    const record = value as Record<string, unknown>;
    return Object.fromEntries(
      Object.keys(record)
        .sort()
        .map((key) => [key, sortKeys(record[key])]),
    );
  }
  return value;
}

/** The outcome of checking an exported file. */
export interface ExportVerification {
  readonly ok: boolean;
  readonly caseId: string | null;
  readonly events: number;
  /** What is wrong, in words; empty when ok. */
  readonly problems: readonly string[];
  readonly firstBroken: ChainBreak | null;
}

/**
 * Checks an exported case file offline: it is byte-for-byte as written, its digest matches its
 * content, every event's hash recomputes and links to the one before, the chain ends at the head
 * the file names, and every readable section (timeline, decisions, status, state) is exactly what
 * its events derive. A digest anyone can recompute proves nothing about the sections people read.
 */
export function verifyCaseExport(text: string): ExportVerification {
  const problems: string[] = [];
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(text) as Record<string, unknown>;
  } catch (error) {
    return {
      ok: false,
      caseId: null,
      events: 0,
      problems: [`not JSON: ${(error as Error).message}`],
      firstBroken: null,
    };
  }
  if (typeof parsed !== 'object' || parsed === null || parsed.format !== CASE_EXPORT_FORMAT) {
    return { ok: false, caseId: null, events: 0, problems: ['not a Harbour case export'], firstBroken: null };
  }
  const caseId = typeof parsed.caseId === 'string' ? parsed.caseId : null;
  if (renderCaseExportJson(parsed) !== text) {
    problems.push('the file is not byte-for-byte as exported (its layout or encoding was changed)');
  }
  const { digest, ...body } = parsed;
  const stated = (digest as { value?: unknown } | undefined)?.value;
  let recomputed: CaseExport['digest'] | undefined;
  try {
    recomputed = digestOf(body);
  } catch (error) {
    problems.push(`the content cannot be canonicalised: ${(error as Error).message}`);
  }
  // The digest's own fields are not covered by its value: they must be exactly what is written.
  if (recomputed !== undefined && canonicalJson(digest ?? null) !== canonicalJson(recomputed)) {
    problems.push(`digest mismatch: the file states ${String(stated)} but its content hashes to ${recomputed.value}`);
  }

  const events = Array.isArray(parsed.events) ? (parsed.events as ExportedEvent[]) : [];
  const verifier = new ChainVerifier();
  let firstBroken: ChainBreak | null = null;
  let stored: RecordedEvent[] | undefined;
  try {
    stored = events.map(recordedEventOf);
    for (const event of stored) firstBroken ??= verifier.add(event) ?? null;
  } catch (error) {
    problems.push(`the events cannot be read: ${(error as Error).message}`);
  }
  if (firstBroken) {
    problems.push(
      `hash chain broken at ${firstBroken.stream} revision ${firstBroken.revision} (position ${firstBroken.position}): ${firstBroken.problem}: ${firstBroken.detail}`,
    );
  }
  const head = parsed.head as { revision?: unknown; hash?: unknown } | undefined;
  const lastEvent = events[events.length - 1];
  if (!lastEvent || head?.revision !== lastEvent.revision || head?.hash !== lastEvent.metadata?.hash) {
    problems.push('the events do not end at the head the file names: events were removed from its end');
  }
  if (stored !== undefined && caseId !== null) problems.push(...readableSectionProblems(caseId, stored, parsed));
  return { ok: problems.length === 0, caseId, events: events.length, problems, firstBroken };
}

/** An exported event as the stored event it was. @throws when a position, revision or time is malformed. */
export function recordedEventOf(event: ExportedEvent): RecordedEvent {
  const recordedAt = new Date(event.recordedAt);
  if (typeof event.recordedAt !== 'string' || Number.isNaN(recordedAt.getTime())) {
    throw new Error(`event ${String(event.id)} has no valid recordedAt`);
  }
  return { ...event, revision: BigInt(event.revision), position: BigInt(event.position), recordedAt };
}
