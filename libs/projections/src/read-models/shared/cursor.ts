import { InvalidCursorError } from './read-model.errors';

const BASE64URL = /^[A-Za-z0-9_-]+$/;

/** The opaque form of every read-model cursor: base64url of its JSON payload. */
export function encodeCursor(payload: object): string {
  return Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
}

/**
 * The JSON payload of a cursor from {@link encodeCursor}, for the caller to check its shape.
 * Throws `InvalidCursorError` for input over `maxLength`, anything but base64url that re-encodes
 * to itself (Node's decoder skips what it cannot read), or bytes that are not JSON.
 */
export function cursorPayload(cursor: string, maxLength: number): unknown {
  if (cursor.length === 0 || cursor.length > maxLength || !BASE64URL.test(cursor)) {
    throw new InvalidCursorError('not a cursor this API issued');
  }
  const bytes = Buffer.from(cursor, 'base64url');
  if (bytes.toString('base64url') !== cursor) throw new InvalidCursorError('not valid base64url');
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new InvalidCursorError('not a cursor this API issued');
  }
}

/**
 * The key a keyset cursor pages after: a row's time in `column` (canonical ISO-8601 UTC, as the
 * read models store times) and its case id. Throws `InvalidCursorError` for anything else.
 */
export function timeAndCaseIdKey(key: unknown, column: string): { time: string; caseId: string } {
  if (!Array.isArray(key) || key.length !== 2 || typeof key[0] !== 'string' || typeof key[1] !== 'string') {
    throw new InvalidCursorError('not a cursor this API issued');
  }
  const [time, caseId] = key;
  const ms = Date.parse(time);
  if (Number.isNaN(ms) || new Date(ms).toISOString() !== time) {
    throw new InvalidCursorError(`${column} is not a canonical time`);
  }
  if (caseId.length === 0 || caseId.length > 100) throw new InvalidCursorError('case id out of range');
  return { time, caseId };
}
