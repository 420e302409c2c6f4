import { createSecretKey } from 'node:crypto';
import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { actorFromClaims } from './actor.claims';
import type { Actor } from './actor.model';
import type { SecurityConfig } from './security.config';
import { AuthenticationUnavailableError, UnauthenticatedError } from './security.errors';

/** Turns a bearer token into the actor it names, or refuses it. */
export interface TokenVerifier {
  /**
   * @throws UnauthenticatedError (`invalid` or `expired`) for any token that is not good
   * @throws AuthenticationUnavailableError when the JWKS endpoint cannot be reached
   */
  verify(token: string): Promise<Actor>;
}

/** DI token of the {@link TokenVerifier}. */
export const TOKEN_VERIFIER = Symbol('TOKEN_VERIFIER');

/** The only algorithms accepted for each kind of key: pinning them refuses `alg: none` and stops
 * an HS256 token "signed" with a public key from passing as RS256 (algorithm confusion). */
export const SECRET_ALGORITHMS: readonly string[] = ['HS256'];
export const JWKS_ALGORITHMS: readonly string[] = ['RS256', 'ES256'];

// Far above any real token (a few hundred bytes), far below what would make parsing costly.
const MAX_TOKEN_LENGTH = 8192;
const JWKS_FETCH_TIMEOUT_MS = 5000;
/** How many verified tokens are remembered (the oldest is forgotten first). */
const VERIFIED_CACHE_SIZE = 10_000;
/**
 * How long a verified token is trusted without checking its signature again, at most (and never
 * past its `exp`): no longer than jose itself keeps a fetched JWKS key (10 minutes), so a key
 * withdrawn from the key set stops working as soon as it would have without this cache.
 */
const VERIFIED_CACHE_SECONDS = 60;

interface Verified {
  readonly actor: Actor;
  /** Seconds since the epoch: trusted until then, and from `from` on. */
  readonly until: number;
  readonly from: number;
}

/**
 * Verifies JWTs with `jose`: signature with the pinned algorithms, `iss`, `aud`, a required `exp`,
 * `nbf` when present, all with the configured clock tolerance; then maps the claims to an
 * {@link Actor}. Keys come from the HS256 secret or a remote JWKS (cached, refetched on an unknown
 * `kid` at most every 30 s, as `createRemoteJWKSet` does).
 */
export class JwtVerifier implements TokenVerifier {
  private readonly verifyJwt: (token: string) => Promise<JWTPayload>;
  /**
   * Tokens verified lately, by their whole text (signature included, so no other token matches):
   * a client sends the same token with every request, and checking its HMAC or signature again
   * each time was a tenth of a command's CPU. Only good tokens enter; `exp` and `nbf` still apply.
   */
  private readonly verified = new Map<string, Verified>();

  constructor(private readonly config: SecurityConfig) {
    const options = {
      issuer: config.issuer,
      audience: config.audience,
      clockTolerance: config.clockToleranceSeconds,
      requiredClaims: ['exp', 'sub'],
    };
    if (config.key.kind === 'secret') {
      // A KeyObject, not the bytes: jose imports raw bytes into a WebCrypto key on every verify
      // (a tenth of a command's CPU under load), but converts a KeyObject once and caches it.
      const secret = createSecretKey(config.key.secret.bytes());
      const algorithms = [...SECRET_ALGORITHMS];
      this.verifyJwt = async (token) => (await jwtVerify(token, secret, { ...options, algorithms })).payload;
    } else {
      const keys = remoteKeys(config.key.jwksUrl);
      const algorithms = [...JWKS_ALGORITHMS];
      this.verifyJwt = async (token) => (await jwtVerify(token, keys, { ...options, algorithms })).payload;
    }
  }

  async verify(token: string): Promise<Actor> {
    if (token.length > MAX_TOKEN_LENGTH) throw new UnauthenticatedError('invalid');
    const nowSeconds = Date.now() / 1000;
    const known = this.verified.get(token);
    if (known && nowSeconds <= known.until && nowSeconds >= known.from) return known.actor;
    // Past its time (or not yet in it): forgotten, and checked in full, which names the reason.
    if (known) this.verified.delete(token);
    const { actor, claims } = await this.verifyInFull(token);
    this.remember(token, actor, claims, nowSeconds);
    return actor;
  }

  private async verifyInFull(token: string): Promise<{ actor: Actor; claims: JWTPayload }> {
    let claims: JWTPayload;
    try {
      claims = await this.verifyJwt(token);
    } catch (error) {
      if (error instanceof AuthenticationUnavailableError) throw error;
      throw new UnauthenticatedError(error instanceof errors.JWTExpired ? 'expired' : 'invalid', { cause: error });
    }
    const lifetimeProblem = this.lifetimeProblem(claims, Date.now() / 1000);
    if (lifetimeProblem) throw new UnauthenticatedError('invalid', { detail: lifetimeProblem });
    const result = actorFromClaims(claims);
    if (!result.ok) throw new UnauthenticatedError('invalid', { detail: `claim "${result.claim}" ${result.problem}` });
    return { actor: result.actor, claims };
  }

  private remember(token: string, actor: Actor, claims: JWTPayload, nowSeconds: number): void {
    if (typeof claims.exp !== 'number') return;
    const tolerance = this.config.clockToleranceSeconds;
    const until = Math.min(claims.exp + tolerance, nowSeconds + VERIFIED_CACHE_SECONDS);
    const from = typeof claims.nbf === 'number' ? claims.nbf - tolerance : Number.NEGATIVE_INFINITY;
    if (this.verified.size >= VERIFIED_CACHE_SIZE) this.verified.delete(this.verified.keys().next().value!);
    this.verified.set(token, { actor, until, from });
  }

  /**
   * jose checks that `exp` has not passed; these check what it lets through: a token issued in
   * the future (a skewed or forged issuer), or one that lives longer than the configured maximum
   * (a stolen ten-year token would be a key to every case it may read for ten years).
   */
  private lifetimeProblem(claims: JWTPayload, nowSeconds: number): string | undefined {
    const tolerance = this.config.clockToleranceSeconds;
    if (typeof claims.iat === 'number' && claims.iat > nowSeconds + tolerance) {
      return 'claim "iat" is in the future';
    }
    const from = typeof claims.iat === 'number' ? claims.iat : nowSeconds;
    if (typeof claims.exp === 'number' && claims.exp - from > this.config.maxTokenLifetimeSeconds + tolerance) {
      return `claim "exp" makes the token live longer than ${this.config.maxTokenLifetimeSeconds} seconds`;
    }
    return undefined;
  }
}

function remoteKeys(jwksUrl: string): JWTVerifyGetKey {
  const keys = createRemoteJWKSet(new URL(jwksUrl), { timeoutDuration: JWKS_FETCH_TIMEOUT_MS });
  return async (header, token) => {
    try {
      return await keys(header, token);
    } catch (error) {
      if (isTokenProblem(error)) throw error;
      // Everything else comes from fetching the key set: a refused connection, a timeout, a non-200
      // answer or a body that is not a JWKS. The token may be fine; the server cannot tell yet.
      throw new AuthenticationUnavailableError({ cause: error });
    }
  };
}

function isTokenProblem(error: unknown): boolean {
  return (
    error instanceof errors.JWKSNoMatchingKey ||
    error instanceof errors.JWKSMultipleMatchingKeys ||
    error instanceof errors.JOSEAlgNotAllowed ||
    error instanceof errors.JOSENotSupported ||
    error instanceof errors.JWSInvalid ||
    error instanceof errors.JWKInvalid
  );
}
