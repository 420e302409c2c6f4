import type { Actor } from './actor.model';

/**
 * The slice of an HTTP request (Fastify's or Express's) the guards read and write. The
 * `AuthGuard` sets `actor` once the bearer token is verified, like Passport's `request.user`.
 */
export interface RequestWithActor {
  readonly headers: Readonly<Record<string, string | readonly string[] | undefined>>;
  actor?: Actor;
}

/** The verified actor on a request, or `undefined` on a public route or before authentication. */
export function findActor(request: object): Actor | undefined {
  return (request as Partial<RequestWithActor>).actor;
}

/**
 * The verified actor on a request that passed the `AuthGuard`.
 *
 * @throws Error (a 500, not a 401) when there is none: reading the actor on a `@Public()` route, or
 * outside a guarded request, is a programming error, and must never run on as an empty actor.
 */
export function actorFromRequest(request: object): Actor {
  const actor = findActor(request);
  if (!actor) throw new Error('No authenticated actor on this request (is the route @Public()?)');
  return actor;
}
