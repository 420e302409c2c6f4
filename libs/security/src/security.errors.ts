import type { ProblemShape } from '@harbour/shared';

/**
 * Base of the errors the security lib throws at the HTTP edge. Plain classes, not Nest
 * `HttpException`s: each is shown as problem details with its `status`, `title`, the message as
 * `detail`, and `headers` verbatim.
 */
export abstract class SecurityError extends Error {
  abstract readonly status: number;
  abstract readonly title: string;
  /** Response headers the filter must set, e.g. `WWW-Authenticate` on a 401. */
  abstract readonly headers: Readonly<Record<string, string>>;

  get asProblem(): ProblemShape {
    const slug =
      this.status === 401 ? 'unauthenticated' : this.status === 403 ? 'forbidden' : 'authentication-unavailable';
    return { slug, title: this.title, status: this.status, detail: this.message, headers: this.headers };
  }
}

/** Why a request was not authenticated, in the only words a client is told. */
export type UnauthenticatedReason = 'missing' | 'invalid' | 'expired';

const REALM = 'harbour';

const MESSAGES: Readonly<Record<UnauthenticatedReason, string>> = {
  missing: 'Missing bearer token',
  invalid: 'Invalid bearer token',
  expired: 'Expired bearer token',
};

/**
 * 401: no bearer token, or one that failed verification. The message says only whether the token
 * was missing, invalid or expired; the underlying cause (kept on the non-enumerable `cause` for
 * server-side logs) never reaches the client, so probing tokens teaches an attacker nothing.
 */
export class UnauthenticatedError extends SecurityError {
  readonly status = 401;
  readonly title = 'Unauthenticated';
  readonly headers: Readonly<Record<string, string>>;

  constructor(
    readonly reason: UnauthenticatedReason,
    options?: {
      readonly cause?: unknown;
      /**
       * What is wrong with a token whose signature checked out (a claim too long, a lifetime too
       * long): said to the client, who holds the token anyway and needs to know which claim to fix.
       */
      readonly detail?: string;
    },
  ) {
    super(options?.detail ? `${MESSAGES[reason]}: ${options.detail}` : MESSAGES[reason], options);
    this.name = 'UnauthenticatedError';
    // RFC 6750 §3: no error code when the client sent no credentials, `invalid_token` otherwise.
    this.headers = {
      'WWW-Authenticate':
        reason === 'missing'
          ? `Bearer realm="${REALM}"`
          : `Bearer realm="${REALM}", error="invalid_token", error_description="${MESSAGES[reason]}"`,
    };
  }
}

/** 403: the actor is authenticated but their role (or, elsewhere, region) may not do this. */
export class ForbiddenError extends SecurityError {
  readonly status = 403;
  readonly title = 'Forbidden';
  readonly headers: Readonly<Record<string, string>> = {};

  constructor(detail = 'Your role may not do this') {
    super(detail);
    this.name = 'ForbiddenError';
  }
}

/**
 * 503: the token could not be checked because the JWKS endpoint did not answer usefully (down,
 * timed out, not a key set). Not a 401: the client's token may be fine, and telling it to sign in
 * again would hide an outage behind a login loop.
 */
export class AuthenticationUnavailableError extends SecurityError {
  readonly status = 503;
  readonly title = 'Authentication unavailable';
  readonly headers: Readonly<Record<string, string>> = { 'Retry-After': '5' };

  constructor(options?: { readonly cause?: unknown }) {
    super('The token signing keys could not be fetched; try again shortly', options);
    this.name = 'AuthenticationUnavailableError';
  }
}
