import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { actorFromClaims } from './actor.claims';
import type { Role } from './actor.model';
import type { SecurityConfig } from './security.config';

/** What a development token says about its holder. */
export interface DevelopmentTokenRequest {
  readonly role: Role;
  /** Kebab-case, e.g. `south-west`. */
  readonly region: string;
  /** The holder's organisation: its registry id (or a spelling the registry resolves). Default `home-office`. */
  readonly agency?: string;
  /** Panel ids; panel roles only. */
  readonly panels?: readonly string[];
  /** The token's `sub`; default `dev-<role>-<region>`. */
  readonly userId?: string;
  /** Lifetime: seconds, or a number with `s`, `m`, `h` or `d` (default `8h`, at most the verifier's maximum). */
  readonly ttl?: string | number;
}

/**
 * A development token could not be minted. `bad-request`: the request itself is wrong (unknown
 * role, bad region or ttl). `not-embedded`: this configuration verifies tokens it did not issue.
 */
export class DevelopmentTokenError extends Error {
  constructor(
    readonly reason: 'bad-request' | 'not-embedded',
    message: string,
  ) {
    super(message);
    this.name = 'DevelopmentTokenError';
  }
}

const DEFAULT_TTL = '8h';
/** A development token's holder works for the Home Office unless the request says otherwise. */
export const DEFAULT_AGENCY = 'home-office';
const UNIT_SECONDS: Readonly<Record<string, number>> = { s: 1, m: 60, h: 3600, d: 86_400 };

/**
 * Signs an HS256 token that this configuration's verifier accepts, with the embedded secret. Its
 * claims are checked by the same rules as a presented token's, so it never mints one that fails.
 *
 * @param now the issue time; the token is valid from then for `ttl`
 * @throws DevelopmentTokenError `not-embedded` in distributed mode or with a JWKS configured,
 * `bad-request` for a request the verifier would refuse
 */
export async function mintDevelopmentToken(
  request: DevelopmentTokenRequest,
  config: SecurityConfig,
  now: Date = new Date(),
): Promise<string> {
  if (config.mode !== 'embedded') {
    throw new DevelopmentTokenError(
      'not-embedded',
      'Development tokens are minted in embedded mode only (HARBOUR_MODE=distributed); use your identity provider',
    );
  }
  if (config.key.kind !== 'secret') {
    throw new DevelopmentTokenError(
      'not-embedded',
      'Development tokens cannot be minted while HARBOUR_JWKS_URL is set: the server only accepts tokens from that key set',
    );
  }

  const ttlSeconds = ttlToSeconds(request.ttl ?? DEFAULT_TTL, config.maxTokenLifetimeSeconds);
  const claims = {
    sub: request.userId ?? `dev-${request.role}-${request.region}`,
    role: request.role,
    agency: request.agency ?? DEFAULT_AGENCY,
    region: request.region,
    ...(request.panels && request.panels.length > 0 ? { panels: [...request.panels] } : {}),
  };
  const checked = actorFromClaims(claims);
  if (!checked.ok) throw new DevelopmentTokenError('bad-request', `${nameOf(checked.claim)} ${checked.problem}`);

  const issuedAt = Math.floor(now.getTime() / 1000);
  // The claim carries the registry id, whichever spelling was asked for (`Dorset Police`).
  return new SignJWT({ ...claims, agency: checked.actor.agency })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuer(config.issuer)
    .setAudience(config.audience)
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + ttlSeconds)
    .setJti(randomUUID())
    .sign(config.key.secret.bytes());
}

function ttlToSeconds(ttl: string | number, maxSeconds: number): number {
  const match = typeof ttl === 'number' ? null : /^(\d+)([smhd]?)$/.exec(ttl.trim());
  const seconds = typeof ttl === 'number' ? ttl : match ? Number(match[1]) * UNIT_SECONDS[match[2] || 's'] : NaN;
  // The verifier refuses a token that lives longer than its maximum: none is minted.
  if (!Number.isInteger(seconds) || seconds < 1 || seconds > maxSeconds) {
    throw new DevelopmentTokenError(
      'bad-request',
      `ttl must be a whole number of seconds, or a number with s, m, h or d, from 1s to ${maxSeconds}s ` +
        `(HARBOUR_JWT_MAX_LIFETIME_SECONDS), not "${ttl}"`,
    );
  }
  return seconds;
}

// Errors speak the request's language, not the token's.
function nameOf(claim: string): string {
  return claim === 'sub' ? 'userId' : claim;
}
