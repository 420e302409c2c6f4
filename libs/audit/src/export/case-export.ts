import { createHash } from 'node:crypto';
import type { JsonObject, RecordedEvent } from '@harbour/event-store';
import { canonicalJson } from '../chain/canonical-json';
import { ChainVerifier, GENESIS_HASH, type ChainBreak } from '../chain/hash-chain';
import type { LoadedCase } from '../history/case-history';
import { deriveReadableSections, readableSectionProblems, type ReadableSections } from './readable-sections';
import { leafHash, ledgerEntry, verifyInclusion } from '../ledger/merkle-tree';
import {
  keyIdOf,
  publicKeyOfJwk,
  treeHeadProblem,
  type LedgerPublicKey,
  type SignedTreeHead,
} from '../ledger/tree-head';

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

/** An event's RFC 9162 inclusion proof in the tree of the file's signed head. */
export interface ExportedInclusionProof {
  readonly position: string;
  readonly leafIndex: number;
  /** The audit path, nearest the leaf first, hex. */
  readonly path: readonly string[];
}

/**
 * What ties a case file to something Harbour committed to outside it: a signed tree head of the
 * ledger, the public key that signed it, and every event's inclusion proof in that head's tree.
 */
export interface CaseExportAnchor {
  readonly head: SignedTreeHead;
  readonly publicKey: LedgerPublicKey;
  readonly proofs: readonly ExportedInclusionProof[];
}

/** How a ledger leaf is made from an exported event, in words, for whoever re-implements the check. */
export const LEDGER_LEAF_DESCRIPTION =
  'RFC 9162 leaf: SHA-256(0x00 ‖ canonical JSON (RFC 8785) of { v: 1, position, stream, revision, id, type, ' +
  'data, metadata, recordedAt } of the event as exported); nodes SHA-256(0x01 ‖ left ‖ right); the head signs ' +
  '"harbour-tree-head:v1\\n" + canonical JSON of { format, version, treeSize, rootHash, timestamp, keyId } (Ed25519)';

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
  /** The events' place in the ledger under a signed head; null when no ledger was available. */
  readonly ledger: (CaseExportAnchor & { readonly leaf: string }) | null;
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
export function buildCaseExport(
  loaded: LoadedCase,
  exportedAt: Date,
  exportedBy: string,
  anchor?: CaseExportAnchor,
): CaseExport {
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
    ledger: anchor ? { leaf: LEDGER_LEAF_DESCRIPTION, ...anchor } : null,
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
  /** The signed head the file's events were proven against, when they were. */
  readonly anchoredBy: { readonly keyId: string; readonly treeSize: number; readonly timestamp: string } | null;
}

export interface VerifyCaseExportOptions {
  /**
   * Harbour's public keys (as `GET /ledger/keys` serves them): the head must be signed by one of
   * them. Without them the file's own key is used, which proves the file consistent but not that
   * Harbour signed it: compare the key id it reports with Harbour's published one.
   */
  readonly keys?: readonly LedgerPublicKey[];
}

/**
 * Checks an exported case file offline: it is byte-for-byte as written, its digest matches its
 * content, every event's hash recomputes and links to the one before, the chain ends at the head
 * the file names, and every readable section (timeline, decisions, status, state) is exactly what
 * its events derive. A digest anyone can recompute proves nothing about the sections people read.
 * Then the anchor: the head's Ed25519 signature, and each event's inclusion proof in the head's
 * tree, so that no one without the signing key can make a file that verifies.
 */
export function verifyCaseExport(text: string, options: VerifyCaseExportOptions = {}): ExportVerification {
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
      anchoredBy: null,
    };
  }
  if (typeof parsed !== 'object' || parsed === null || parsed.format !== CASE_EXPORT_FORMAT) {
    return {
      ok: false,
      caseId: null,
      events: 0,
      problems: ['not a Harbour case export'],
      firstBroken: null,
      anchoredBy: null,
    };
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
  const anchor = stored === undefined ? [] : anchorProblems(parsed.ledger, stored, options.keys);
  problems.push(...anchor);
  const signed = (parsed.ledger as { head?: SignedTreeHead } | null | undefined)?.head;
  const anchoredBy =
    anchor.length === 0 && signed
      ? { keyId: signed.keyId, treeSize: signed.treeSize, timestamp: signed.timestamp }
      : null;
  return { ok: problems.length === 0, caseId, events: events.length, problems, firstBroken, anchoredBy };
}

/** What is wrong with the file's ledger anchor: its key, its head's signature, each event's proof. */
function anchorProblems(
  ledger: unknown,
  stored: readonly RecordedEvent[],
  keys: readonly LedgerPublicKey[] | undefined,
): string[] {
  if (typeof ledger !== 'object' || ledger === null) {
    return ['the file carries no signed tree head and inclusion proofs: nothing outside it vouches for its events'];
  }
  const { head, publicKey, proofs } = ledger as Partial<CaseExportAnchor>;
  const problems: string[] = [];
  let key: LedgerPublicKey | undefined;
  try {
    if (!publicKey || keyIdOf(publicKeyOfJwk(publicKey)) !== publicKey.kid) throw new Error('id');
    key = publicKey;
  } catch {
    problems.push('the public key: it is not an Ed25519 key whose id is its kid (the key was altered)');
  }
  if (key && keys !== undefined && !keys.some((known) => known.kid === key.kid && known.x === key.x)) {
    problems.push(`the public key ${key.kid} is not one of the keys given: the head was not signed by Harbour's key`);
  }
  const headProblem = treeHeadProblem(head, key ? [key] : []);
  if (headProblem !== undefined) {
    problems.push(`the signed head: ${headProblem}`);
    return problems;
  }
  const signed = head as SignedTreeHead;
  const root = Buffer.from(signed.rootHash, 'hex');
  if (!Array.isArray(proofs) || proofs.length !== stored.length) {
    problems.push(
      `the inclusion proofs: ${stored.length} events but ${Array.isArray(proofs) ? proofs.length : 'no'} proofs`,
    );
    return problems;
  }
  stored.forEach((event, index) => {
    const proof = proofs[index];
    const place = `${event.stream} revision ${event.revision} (position ${event.position})`;
    if (proof?.position !== String(event.position) || !Array.isArray(proof.path)) {
      problems.push(`the inclusion proof of ${place}: it is for another event, or malformed`);
      return;
    }
    let leaf: Buffer;
    try {
      leaf = leafHash(ledgerEntry(event));
    } catch (error) {
      problems.push(`the event ${place}: it cannot be hashed (${(error as Error).message})`);
      return;
    }
    const given: readonly unknown[] = proof.path;
    const path = given.map((node) => Buffer.from(String(node), 'hex'));
    if (!path.every((node, at) => node.length === 32 && node.toString('hex') === given[at])) {
      problems.push(`the inclusion proof of ${place}: its path is not a list of SHA-256 hashes`);
    } else if (!verifyInclusion(proof.leafIndex, signed.treeSize, leaf, path, root)) {
      problems.push(
        `the event ${place} or its inclusion proof: it does not lead to the signed head's root (leaf ${proof.leafIndex} of ${signed.treeSize}): the event, its recorded time or the proof was altered`,
      );
    }
  });
  return problems;
}

/** An exported event as the stored event it was. @throws when a position, revision or time is malformed. */
export function recordedEventOf(event: ExportedEvent): RecordedEvent {
  const recordedAt = new Date(event.recordedAt);
  if (typeof event.recordedAt !== 'string' || Number.isNaN(recordedAt.getTime())) {
    throw new Error(`event ${String(event.id)} has no valid recordedAt`);
  }
  return { ...event, revision: BigInt(event.revision), position: BigInt(event.position), recordedAt };
}
