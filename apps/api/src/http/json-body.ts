import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { RequestValidationError, type FieldError } from './request-validation';

/** Far deeper than any command (a referral's deepest field is `subject.contact.phone`). */
export const MAX_BODY_DEPTH = 16;
/**
 * Keys that would reach an object's prototype if a body were ever copied with `Object.assign` or
 * handed to a library that merges it, and that class-transformer silently drops (so they would
 * otherwise be neither refused nor kept). No command has a field of these names.
 */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
const MAX_REPORTED = 20;

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
 * sees them. The parser refuses (400) what is not JSON, and JSON that is nested too deeply to be a
 * command or carries `__proto__`, `constructor` or `prototype` keys, naming where.
 *
 * Call before `app.init()` on an app created with `bodyParser: false`.
 */
export function acceptJsonBodiesOnly(app: NestFastifyApplication, bodyLimit: number): void {
  const fastify = app.getHttpAdapter().getInstance();
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit }, (request, body, done) => {
    try {
      const charset = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(request.headers['content-type'] ?? '')?.[1];
      if (charset !== undefined && !/^utf-?8$/i.test(charset)) {
        throw new BodyError(415, `Unsupported charset ${JSON.stringify(charset)}: send UTF-8 JSON`);
      }
      done(null, parseJsonBody(String(body)));
    } catch (error) {
      done(error as Error, undefined);
    }
  });
}

/** Parses a request body, refusing (see {@link acceptJsonBodiesOnly}) what no command can be. */
export function parseJsonBody(text: string): unknown {
  if (text.trim() === '') throw new BodyError(400, 'The body is empty; send a JSON object or no body at all');
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

/** Walks the parsed body without recursion (so depth cannot overflow the stack). */
function checkShape(root: unknown): FieldError[] {
  const errors: FieldError[] = [];
  const pending: Array<{ value: unknown; path: string; depth: number }> = [{ value: root, path: '', depth: 0 }];
  while (pending.length > 0 && errors.length < MAX_REPORTED) {
    const { value, path, depth } = pending.pop()!;
    if (value === null || typeof value !== 'object') continue;
    if (depth >= MAX_BODY_DEPTH) {
      errors.push({ field: path, messages: [`${path} is nested more than ${MAX_BODY_DEPTH} levels deep`] });
      continue;
    }
    for (const key of Object.keys(value)) {
      const field = path ? `${path}.${key}` : key;
      if (FORBIDDEN_KEYS.has(key)) {
        errors.push({ field, messages: [`property ${key} should not exist`] });
        continue;
      }
      pending.push({ value: (value as Record<string, unknown>)[key], path: field, depth: depth + 1 });
    }
  }
  return errors;
}
