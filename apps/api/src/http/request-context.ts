import type { FastifyReply, FastifyRequest } from 'fastify';
import { actorFromRequest, type Actor } from '@harbour/security';
import type { Clock, CommandMeta } from '@harbour/application';
import { businessTimeOf } from './business-time';
import { RequestValidationError } from './request-validation';

/** What the command pipeline needs from the idempotency key. */
export interface CommandIdentity {
  /** The same for every retry of one request. */
  readonly commandId: string;
  /** Present only under an Idempotency-Key: what a retry must match. */
  readonly requestHash?: string;
}

/** A request on a command route, once the idempotency interceptor has named its command. */
export type CommandRequest = FastifyRequest & { command?: CommandIdentity };

/**
 * The one way a controller runs a command: the command's metadata from the request in, and the
 * stream revision it ended at out as the ETag. Every controller's command routes go through it.
 */
export async function runCommand<Outcome extends { readonly revision: bigint }>(
  request: CommandRequest,
  reply: FastifyReply,
  clock: Clock,
  execute: (meta: CommandMeta) => Promise<Outcome>,
): Promise<Outcome> {
  const outcome = await execute(commandMetaOf(request, clock));
  void reply.header('ETag', etagOf(outcome.revision));
  return outcome;
}

export function actorOf(request: FastifyRequest): Actor {
  return actorFromRequest(request);
}

/**
 * The command's metadata from the request: actor from the token, ids from the idempotency
 * interceptor, business time from `X-Occurred-At` (read against the clock's now, which is also
 * when the command was received), correlation from `X-Correlation-Id`, concurrency from `If-Match`.
 */
export function commandMetaOf(request: CommandRequest, clock: Clock): CommandMeta {
  const identity = request.command;
  if (!identity) throw new Error('IdempotencyInterceptor did not run on a command route');
  const now = clock.now();
  return {
    actor: actorOf(request),
    occurredAt: businessTimeOf(request, now),
    receivedAt: now.toISOString(),
    commandId: identity.commandId,
    // Set for every request at the edge (see ops/http-operations.ts): the caller's, or a new one.
    correlationId: request.correlationId || identity.commandId,
    ...(identity.requestHash ? { requestHash: identity.requestHash } : {}),
    ...ifMatchOf(request),
  };
}

/** `If-Match: "3"` names revision 3; `*` and absent mean no precondition. */
function ifMatchOf(request: FastifyRequest): { expectedRevision?: bigint } {
  const header = request.headers['if-match'];
  if (header === undefined || header === '*') return {};
  const match = typeof header === 'string' ? /^(?:W\/)?"(\d{1,19})"$/.exec(header.trim()) : null;
  if (!match) {
    throw new RequestValidationError([
      { field: 'If-Match', messages: ['If-Match must be an ETag this API gave, e.g. "3"'] },
    ]);
  }
  return { expectedRevision: BigInt(match[1]) };
}

/** A strong ETag for a stream revision. */
export function etagOf(revision: bigint): string {
  return `"${revision}"`;
}
