import { UnauthenticatedError } from './security.errors';

// RFC 6750 §2.1: the scheme is case-insensitive, the token is a b64token.
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;

/**
 * The token of an `Authorization: Bearer <token>` header.
 *
 * @throws UnauthenticatedError `missing` when there is no bearer credential at all (no header, an
 * empty one, or another scheme such as Basic), `invalid` when the header is malformed or repeated.
 */
export function bearerTokenFrom(authorization: string | readonly string[] | undefined): string {
  if (authorization === undefined || authorization === '') throw new UnauthenticatedError('missing');
  if (typeof authorization !== 'string') throw new UnauthenticatedError('invalid');
  const match = BEARER.exec(authorization);
  if (match) return match[1];
  if (!/^Bearer(?: |$)/i.test(authorization)) throw new UnauthenticatedError('missing');
  throw new UnauthenticatedError('invalid');
}
