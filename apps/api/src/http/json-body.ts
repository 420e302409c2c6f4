import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { RequestValidationError, textProblem, type FieldError } from './request-validation';

/** Far deeper than any command (a referral's deepest field is `subject.contact.phone`). */
export const MAX_BODY_DEPTH = 16;
/** Properties of one object: the widest command (a referral) has fewer than twenty. */
export const MAX_OBJECT_KEYS = 64;
/** Elements of one array: the longest a command takes is 100 (evidence relied on). */
export const MAX_ARRAY_ITEMS = 200;
/** Values in the whole body (objects, arrays, strings, numbers...): a full panel decision has a few hundred. */
export const MAX_BODY_VALUES = 5000;
/**
 * Keys that name a property every object inherits: `__proto__` would reach the prototype if a
 * body were ever copied with `Object.assign` or merged by a library, and class-transformer and
 * class-validator look fields up in plain objects, where `toString` or `hasOwnProperty` is found
 * on the prototype and passes as a known field. No command has a field of these names.
 */
const FORBIDDEN_KEYS = new Set([...Object.getOwnPropertyNames(Object.prototype), 'prototype']);
const MAX_REPORTED = 20;
// Fatal: invalid UTF-8 is refused, never quietly replaced by U+FFFD and stored as if sent.
const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** A body Fastify's lifecycle reports as a 4xx; the problem details filter turns it into one. */
class BodyError extends Error {
  constructor(
    readonly statusCode: 400 | 415,
    message: string,
  ) {
    super(message);
    this.name = 'BodyError';
  }
}

/**
 * Commands take JSON and nothing else: the only content type parser left is `application/json`
 * (UTF-8), so `text/plain`, forms and anything else are refused with 415 before a guard or pipe
 * sees them. The parser refuses (400) what is not UTF-8 or not JSON, and JSON that no command can
 * be, naming where: nested too deeply, objects or arrays too large (bounded here, before any
 * validation, so the cost of validating a body grows with its size and no faster), inherited
 * property names as keys, ill-formed Unicode (a lone surrogate) and control characters.
 *
 * Call before `app.init()` on an app created with `bodyParser: false`.
 */
export function acceptJsonBodiesOnly(app: NestFastifyApplication, bodyLimit: number): void {
  const fastify = app.getHttpAdapter().getInstance();
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('application/json', { parseAs: 'buffer', bodyLimit }, (request, body, done) => {
    try {
      const charset = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(request.headers['content-type'] ?? '')?.[1];
      if (charset !== undefined && !/^utf-?8$/i.test(charset)) {
        throw new BodyError(415, `Unsupported charset ${JSON.stringify(charset)}: send UTF-8 JSON`);
      }
      done(null, parseJsonBody(decodeUtf8(body as Buffer)));
    } catch (error) {
      done(error as Error, undefined);
    }
  });
}

function decodeUtf8(body: Buffer): string {
  try {
    return UTF8.decode(body);
  } catch {
    throw new BodyError(400, 'The body is not valid UTF-8');
  }
}

/** Parses a request body, refusing (see {@link acceptJsonBodiesOnly}) what no command can be. */
export function parseJsonBody(text: string): unknown {
  if (text.trim() === '') throw new BodyError(400, 'The body is empty; send a JSON object or no body at all');
  const oversized = scanBounds(text);
  if (oversized) throw new RequestValidationError([oversized]);
  let value: unknown;
  try {
    // Plain JSON.parse is safe here: a "__proto__" key becomes an own data property, which
    // checkShape refuses before anything copies the object.
    value = JSON.parse(text);
  } catch {
    throw new BodyError(400, 'The body is not valid JSON');
  }
  const errors = checkShape(value);
  if (errors.length > 0) throw new RequestValidationError(errors);
  return value;
}

interface Frame {
  readonly array: boolean;
  /** Commas seen at this level: elements or properties are one more, once any is there. */
  commas: number;
  /** The property being read (objects), for naming where a bound was passed. */
  key?: string;
}

/**
 * Checks the body's shape bounds on the text itself, before `JSON.parse` builds anything: an
 * object of 150,000 properties costs V8 a second to build and its keys another fraction, so it
 * must be refused unbuilt. One linear pass: strings are skipped, brackets and commas counted per
 * level. Text that is not JSON is left for the parser to refuse.
 */
function scanBounds(text: string): FieldError | undefined {
  const stack: Frame[] = [];
  const pathOf = (depth: number) =>
    stack
      .slice(0, depth)
      .map((frame) => (frame.array ? String(frame.commas) : (frame.key ?? '?')))
      .join('.');
  const refuse = (depth: number, message: (field: string) => string): FieldError => {
    const field = pathOf(depth);
    return { field: field || '(body)', messages: [message(field || 'the body')] };
  };
  let values = 0;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      const start = i;
      for (i += 1; i < text.length && text.charCodeAt(i) !== 0x22; i += text.charCodeAt(i) === 0x5c ? 2 : 1);
      const top = stack[stack.length - 1];
      if (top && !top.array && /^\s*:/.test(text.slice(i + 1, i + 17))) top.key = keyText(text.slice(start, i + 1));
    } else if (c === 0x7b || c === 0x5b) {
      if (stack.length >= MAX_BODY_DEPTH) {
        return refuse(stack.length, (field) => `${field} is nested more than ${MAX_BODY_DEPTH} levels deep`);
      }
      stack.push({ array: c === 0x5b, commas: 0 });
    } else if (c === 0x7d || c === 0x5d) {
      stack.pop();
    } else if (c === 0x2c && stack.length > 0) {
      const top = stack[stack.length - 1];
      top.commas += 1;
      values += 1;
      const limit = top.array ? MAX_ARRAY_ITEMS : MAX_OBJECT_KEYS;
      if (top.commas >= limit) {
        const what = top.array ? 'elements' : 'properties';
        return refuse(stack.length - 1, (field) => `${field} has more than ${limit} ${what}`);
      }
      if (values > MAX_BODY_VALUES) return refuse(0, () => `the body holds more than ${MAX_BODY_VALUES} values`);
    }
  }
  return undefined;
}

// A property name as sent, decoded when it is plain JSON, cut short for a message.
function keyText(quoted: string): string {
  try {
    return String(JSON.parse(quoted)).slice(0, 64);
  } catch {
    return '?';
  }
}

/** Walks the parsed body without recursion (so depth cannot overflow the stack), within bounds. */
function checkShape(root: unknown): FieldError[] {
  const errors: FieldError[] = [];
  const refuse = (field: string, message: string) => errors.push({ field: field || '(body)', messages: [message] });
  const pending: Array<{ value: unknown; path: string; depth: number }> = [{ value: root, path: '', depth: 0 }];
  let values = 0;
  while (pending.length > 0 && errors.length < MAX_REPORTED) {
    const { value, path, depth } = pending.pop()!;
    values += 1;
    if (values > MAX_BODY_VALUES) {
      refuse('', `the body holds more than ${MAX_BODY_VALUES} values`);
      break;
    }
    if (typeof value === 'string') {
      const problem = textProblem(value);
      if (problem) refuse(path, `${path || 'the body'} ${problem}`);
      continue;
    }
    if (value === null || typeof value !== 'object') continue;
    if (depth >= MAX_BODY_DEPTH) {
      refuse(path, `${path} is nested more than ${MAX_BODY_DEPTH} levels deep`);
      continue;
    }
    const keys = Object.keys(value);
    // Counted before anything is looked at: the cost of what follows stays within the bound.
    if (Array.isArray(value) ? keys.length > MAX_ARRAY_ITEMS : keys.length > MAX_OBJECT_KEYS) {
      const [limit, what] = Array.isArray(value) ? [MAX_ARRAY_ITEMS, 'elements'] : [MAX_OBJECT_KEYS, 'properties'];
      refuse(path, `${path || 'the body'} has ${keys.length} ${what}; at most ${limit} are accepted`);
      continue;
    }
    for (const key of keys) {
      const field = path ? `${path}.${key}` : key;
      if (FORBIDDEN_KEYS.has(key)) {
        refuse(field, `property ${key} should not exist`);
        continue;
      }
      const keyProblem = textProblem(key);
      if (keyProblem) {
        refuse(path, `a property name in ${path || 'the body'} ${keyProblem}`);
        continue;
      }
      pending.push({ value: (value as Record<string, unknown>)[key], path: field, depth: depth + 1 });
    }
  }
  return errors;
}
