/**
 * Canonical JSON after RFC 8785 (JSON Canonicalization Scheme, JCS) for the values events carry:
 * object keys sorted by UTF-16 code units, no whitespace, numbers and strings as ECMAScript's
 * `JSON.stringify` writes them (which is what JCS specifies). The same value always gives the same
 * text, whatever order its keys were built in, so a digest over it is stable across processes,
 * adapters and JSON round trips.
 *
 * Written here rather than taken from a package: none of the maintained ones (`canonicalize`,
 * `json-canonicalize`) is installed, and the scheme is small enough to hold to the RFC's own
 * examples in the spec beside this file.
 *
 * As with `JSON.stringify`, an object property whose value is `undefined` is left out (so a value
 * and its JSON round trip canonicalise alike). What JSON cannot carry is refused rather than
 * guessed at: non-finite numbers, bigints, functions, symbols, `undefined` in an array, and strings
 * with a lone surrogate (RFC 8785 §3.2.2.2 requires well-formed strings).
 */
export function canonicalJson(value: unknown): string {
  const at: (string | number)[] = [];
  try {
    return write(value, at);
  } catch (error) {
    if (error instanceof PathlessError) {
      throw new CanonicalJsonError(at.length === 0 ? '' : `/${at.join('/')}`, error.message);
    }
    throw error;
  }
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Thrown while writing; `canonicalJson` adds the path from `at`, the keys it had descended. */
class PathlessError extends Error {}

// Written for speed (it runs on every append and every ledger leaf): one pass, string
// concatenation, and the path to the value kept as a stack, turned into text only for an error.
function write(value: unknown, at: (string | number)[]): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) throw new PathlessError(`${value} is not a JSON number`);
      // ECMAScript's Number serialisation is JCS's; -0 is written 0.
      return JSON.stringify(value);
    case 'string':
      if (LONE_SURROGATE.test(value)) throw new PathlessError('a string holds a lone surrogate');
      return JSON.stringify(value);
    case 'object': {
      if (Array.isArray(value)) {
        let text = '[';
        for (let index = 0; index < value.length; index += 1) {
          const item: unknown = value[index];
          at.push(index);
          if (item === undefined) throw new PathlessError('undefined in an array');
          text += (index === 0 ? '' : ',') + write(item, at);
          at.pop();
        }
        return `${text}]`;
      }
      const prototype = Object.getPrototypeOf(value) as unknown;
      if (prototype !== Object.prototype && prototype !== null) {
        throw new PathlessError('only plain objects are JSON objects');
      }
      const record = value as Record<string, unknown>;
      // The default sort compares UTF-16 code units, as JCS requires.
      const keys = Object.keys(record).sort();
      let text = '{';
      let first = true;
      for (const key of keys) {
        const item = record[key];
        if (item === undefined) continue;
        at.push(key);
        text += `${first ? '' : ','}${JSON.stringify(key)}:${write(item, at)}`;
        at.pop();
        first = false;
      }
      return `${text}}`;
    }
    default:
      throw new PathlessError(`a ${typeof value} is not JSON`);
  }
}

/** A value that has no canonical JSON form. */
export class CanonicalJsonError extends Error {
  constructor(
    readonly path: string,
    reason: string,
  ) {
    super(`No canonical JSON at ${path || '/'}: ${reason}`);
    this.name = 'CanonicalJsonError';
  }
}
