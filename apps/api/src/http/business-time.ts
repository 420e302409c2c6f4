import type { FastifyRequest } from 'fastify';
import { isISO8601 } from 'class-validator';
import { RequestValidationError } from './request-validation';

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
/** Clocks on callers' machines drift: a little future is tolerated, more is refused. */
const FUTURE_TOLERANCE_MS = 5 * 60 * 1000;

/**
 * The command's business time: `X-Occurred-At` when a lead records something that happened
 * earlier (a meeting last week), otherwise now. Never in the future.
 */
export function businessTimeOf(request: FastifyRequest, now: Date): string {
  const header = request.headers['x-occurred-at'];
  if (header === undefined) return now.toISOString();
  // The calendar check matters: `new Date('2015-02-30T10:00:00Z')` is quietly 2 March.
  const at =
    typeof header === 'string' && ISO_INSTANT.test(header) && isISO8601(header, { strict: true, strictSeparator: true })
      ? new Date(header)
      : undefined;
  if (!at || Number.isNaN(at.getTime())) {
    throw new RequestValidationError([
      { field: 'X-Occurred-At', messages: ['X-Occurred-At must be an ISO-8601 time with a zone'] },
    ]);
  }
  if (at.getTime() > now.getTime() + FUTURE_TOLERANCE_MS) {
    throw new RequestValidationError([
      { field: 'X-Occurred-At', messages: ['X-Occurred-At must not be in the future'] },
    ]);
  }
  return at.toISOString();
}
