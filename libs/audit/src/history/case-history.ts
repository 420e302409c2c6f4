import { decodeEvent, foldCaseEvents, type CaseEvent, type CaseState } from '@harbour/domain';
// Types only: this module (and all the offline verifier uses) loads nothing from the event store,
// so the standalone verifier bundles without it. Reading a case is in load-case.ts.
import type { JsonObject, JsonValue, RecordedEvent } from '@harbour/event-store';
import { AuditRecordNotFoundError, InvalidAuditQueryError } from '../audit.errors';

/** A case's whole stream, read once, and the case as it stands now. */
export interface LoadedCase {
  readonly caseId: string;
  /** The events as a reader sees them: personal data decrypted, or `[erased]`. */
  readonly events: readonly RecordedEvent[];
  /**
   * The events exactly as stored (personal data encrypted): what the hash chain covers, so what an
   * export carries to be verified offline. The same as `events` when nothing was decrypted.
   */
  readonly stored: readonly RecordedEvent[];
  readonly state: CaseState;
}

/** The same `evolve` the write side folds with. */
export function foldCase(events: readonly RecordedEvent[]): CaseState {
  return foldCaseEvents(events.map((event) => decodeEvent<CaseEvent>(event)));
}

/** Who did it, as the event's metadata records. System actors (a scheduler) are who they say. */
export interface HistoryActor {
  readonly userId: string;
  readonly role: string;
  readonly agency: string;
  readonly region: string | null;
}

/** A reason given with an event: which field of its data, and the text. */
export interface HistoryReason {
  readonly field: string;
  readonly text: string;
}

/** One event of a case's history: what happened, who, when, why, and its place in the chain. */
export interface HistoryEntry {
  readonly revision: string;
  readonly position: string;
  readonly eventId: string;
  readonly type: string;
  /** When the store recorded it. */
  readonly recordedAt: string;
  /** Business time: when it happened, as the actor said (may precede the recording). */
  readonly occurredAt: string | null;
  /** Entered more than a day after its business time (metadata `backdated`): made after the fact. */
  readonly backdated: boolean;
  readonly who: HistoryActor | null;
  readonly why: readonly HistoryReason[];
  readonly correlationId: string | null;
  readonly causationId: string | null;
  readonly commandId: string | null;
  readonly workflow: JsonValue | null;
  readonly schemaVersion: number | null;
  readonly prevHash: string | null;
  readonly hash: string | null;
  readonly data: JsonObject;
}

// Fields of event data that say why: rationale, reasons, grounds, notes and details.
const REASON_FIELDS = ['rationale', 'reason', 'basis', 'grounds', 'urgencyReason', 'details', 'notes'] as const;

/** The history entry of a stored event. */
export function historyEntryOf(event: RecordedEvent): HistoryEntry {
  const { metadata, data } = event;
  const actor = isObject(metadata.actor) ? metadata.actor : undefined;
  return {
    revision: String(event.revision),
    position: String(event.position),
    eventId: event.id,
    type: event.type,
    recordedAt: event.recordedAt.toISOString(),
    occurredAt: text(metadata.occurredAt),
    backdated: metadata.backdated === true,
    who: actor
      ? {
          userId: text(actor.userId) ?? '(unknown)',
          role: text(actor.role) ?? '(unknown)',
          agency: text(actor.agency) ?? '(unknown)',
          region: text(actor.region),
        }
      : null,
    why: reasonsOf(data),
    correlationId: text(metadata.correlationId),
    causationId: text(metadata.causationId),
    commandId: text(metadata.commandId),
    workflow: metadata.workflow ?? null,
    schemaVersion: typeof metadata.schemaVersion === 'number' ? metadata.schemaVersion : null,
    prevHash: text(metadata.prevHash),
    hash: text(metadata.hash),
    data,
  };
}

function reasonsOf(data: JsonObject): HistoryReason[] {
  const reasons: HistoryReason[] = [];
  for (const field of REASON_FIELDS) {
    const value = text(data[field]);
    if (value !== null) reasons.push({ field, text: value });
  }
  // A decision's dissent: each member's reason.
  if (Array.isArray(data.dissent)) {
    for (const dissent of data.dissent) {
      if (isObject(dissent) && text(dissent.reason) !== null) {
        reasons.push({ field: `dissent[${text(dissent.memberId) ?? '?'}]`, text: String(dissent.reason) });
      }
    }
  }
  return reasons;
}

/** A page of history. */
export interface HistoryPage {
  readonly caseId: string;
  readonly items: readonly HistoryEntry[];
  /** Give as `cursor` for the next page; null on the last. */
  readonly nextCursor: string | null;
  /** The revision of the case's last event. */
  readonly headRevision: string;
}

export const MAX_HISTORY_PAGE = 200;

/** An opaque cursor for the history page starting at `revision`. */
export function historyCursor(revision: bigint): string {
  return Buffer.from(JSON.stringify({ v: 1, from: String(revision) })).toString('base64url');
}

/** The revision a history cursor points at. @throws InvalidAuditQueryError for anything else. */
export function revisionOfCursor(cursor: string): bigint {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { v?: unknown; from?: unknown };
    if (parsed.v === 1 && typeof parsed.from === 'string' && /^\d{1,19}$/.test(parsed.from)) return BigInt(parsed.from);
  } catch {
    // Falls through to the refusal.
  }
  throw new InvalidAuditQueryError('cursor', 'cursor must be a nextCursor this API gave');
}

/** One page of a loaded case's history, oldest first, from revision `from`. */
export function historyPage(loaded: LoadedCase, from: bigint, limit: number): HistoryPage {
  const items = loaded.events.filter((event) => event.revision >= from).slice(0, limit);
  const head = loaded.events[loaded.events.length - 1];
  const last = items[items.length - 1];
  const more = last !== undefined && last.revision < head.revision;
  return {
    caseId: loaded.caseId,
    items: items.map(historyEntryOf),
    nextCursor: more ? historyCursor(last.revision + 1n) : null,
    headRevision: String(head.revision),
  };
}

/** Where to stop replaying: at a recorded time, or at a revision. */
export type AsOf = { readonly asOf: Date } | { readonly revision: bigint };

/** The case as it stood at a point, and the event it stopped at. */
export interface CaseStateAsOf {
  readonly caseId: string;
  /** The revision of the last event folded. */
  readonly revision: string;
  readonly position: string;
  /** The recorded and business time of that event. */
  readonly recordedAt: string;
  readonly occurredAt: string | null;
  /** The point asked for. */
  readonly asOf: string | null;
  readonly state: CaseState;
}

/**
 * Replays a case up to a point with the domain's own `evolveCase`. `asOf` compares the time the
 * store recorded each event, not its business time: "as it stood" is what the system knew then,
 * and an event recorded later with an earlier business time (a late entry) was not yet known.
 * @throws AuditRecordNotFoundError when the case did not exist yet, or has no such revision.
 */
export function caseStateAt(loaded: LoadedCase, point: AsOf): CaseStateAsOf {
  const included =
    'asOf' in point
      ? loaded.events.filter((event) => event.recordedAt.getTime() <= point.asOf.getTime())
      : loaded.events.filter((event) => event.revision <= point.revision);
  const last = included[included.length - 1];
  if ('revision' in point && point.revision > loaded.events[loaded.events.length - 1].revision) {
    throw new AuditRecordNotFoundError(
      `Case ${loaded.caseId} has no revision ${point.revision}; its latest is ${loaded.events[loaded.events.length - 1].revision}`,
    );
  }
  if (!last) {
    throw new AuditRecordNotFoundError(
      'asOf' in point
        ? `Case ${loaded.caseId} did not exist at ${point.asOf.toISOString()}; it was recorded at ${loaded.events[0].recordedAt.toISOString()}`
        : `Case ${loaded.caseId} has no revision ${point.revision}`,
    );
  }
  return {
    caseId: loaded.caseId,
    revision: String(last.revision),
    position: String(last.position),
    recordedAt: last.recordedAt.toISOString(),
    occurredAt: text(last.metadata.occurredAt),
    asOf: 'asOf' in point ? point.asOf.toISOString() : null,
    // As of the latest event the answer is the state `loadCase` already folded (evolve is pure):
    // folding the whole stream a second time doubled the cost of the commonest as-of question.
    state: included.length === loaded.events.length ? loaded.state : foldCase(included),
  };
}

function text(value: JsonValue | undefined): string | null {
  return typeof value === 'string' ? value : null;
}

function isObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
