import { randomBytes } from 'node:crypto';
import { MIN_SECRET_BYTES, readOrCreateDevelopmentSecret } from './development-secret.store';
import { SecretBytes } from './secret-bytes';
import { ConfigurationErrors } from '@harbour/shared';
import { SecurityConfigurationError } from './security-configuration.error';

/** `embedded`: one process on a laptop or a small host. `distributed`: real identity provider. */
export type SecurityMode = 'embedded' | 'distributed';

/**
 * Where the keys that verify tokens come from.
 *
 * - `secret`: one HS256 key, from `HARBOUR_JWT_SECRET` (`environment`), from the embedded mode's
 *   `dev-jwt-secret` file (`development-file`), or made up for this process alone when the data
 *   directory is `:memory:` (`ephemeral`; only tokens minted in the same process verify).
 * - `jwks`: the public keys an identity provider publishes; RS256 and ES256 tokens only.
 */
export type TokenKeyConfig =
  | {
      readonly kind: 'secret';
      readonly secret: SecretBytes;
      readonly source: 'environment' | 'development-file' | 'ephemeral';
      /** The `dev-jwt-secret` path, for `development-file` only. */
      readonly file?: string;
      /** `development-file` only: the file did not exist and this reading made it. */
      readonly created?: boolean;
    }
  | { readonly kind: 'jwks'; readonly jwksUrl: string };

/** The security settings, validated once at boot. */
export interface SecurityConfig {
  readonly mode: SecurityMode;
  readonly key: TokenKeyConfig;
  /** Expected `iss` claim. */
  readonly issuer: string;
  /** Expected `aud` claim (the token may list others too). */
  readonly audience: string;
  /** Allowed clock skew for `exp`, `nbf` and `iat`, in seconds. */
  readonly clockToleranceSeconds: number;
  /** The longest a token may live (`exp` after `iat`), in seconds. */
  readonly maxTokenLifetimeSeconds: number;
}

/** Clock skew tolerated between the token issuer and this server. */
export const CLOCK_TOLERANCE_SECONDS = 30;

/** A working day and then some: an identity provider renews tokens far more often. */
export const DEFAULT_MAX_TOKEN_LIFETIME_SECONDS = 24 * 3600;

/**
 * Reads the security settings from an environment map, once, at boot.
 *
 * - `HARBOUR_JWT_SECRET`: an HS256 secret of at least 32 bytes (UTF-8), or
 * - `HARBOUR_JWKS_URL`: an `https://` (or `http://`) URL of a JWKS; RS256 and ES256 tokens.
 *   Exactly one of the two. In `embedded` mode with neither, the secret is read from (or generated
 *   into, mode 0600) `<HARBOUR_DATA_DIR or ./data>/dev-jwt-secret`.
 * - `HARBOUR_JWT_ISSUER` (default `harbour`), `HARBOUR_JWT_AUDIENCE` (default `harbour-api`)
 * - `HARBOUR_JWT_MAX_LIFETIME_SECONDS` (default 86400): tokens that live longer are refused
 * - `HARBOUR_MODE`: `embedded` (default) or `distributed`, which requires a secret or a JWKS.
 *
 * @throws SecurityConfigurationError whose message starts with the setting's name; with more than
 *   one bad setting, a `ConfigurationErrors` naming each (read them all before failing).
 */
export function securityConfigFrom(env: Readonly<Record<string, string | undefined>>): SecurityConfig {
  // Every setting is read even after one fails, so start-up names every bad one at once.
  const problems: SecurityConfigurationError[] = [];
  const read = <T>(part: () => T): T | undefined => {
    try {
      return part();
    } catch (error) {
      if (!(error instanceof SecurityConfigurationError)) throw error;
      if (!problems.some((known) => known.setting === error.setting)) problems.push(error);
      return undefined;
    }
  };
  const mode = read(() => modeFrom(env));
  // With an unknown mode, a given secret or JWKS URL is still checked, but no development secret
  // file is made: what the operator meant is not known.
  const key = read(() => keyConfigFrom(env, mode));
  const issuer = read(() => nonEmpty(env, 'HARBOUR_JWT_ISSUER', 'harbour'));
  const audience = read(() => nonEmpty(env, 'HARBOUR_JWT_AUDIENCE', 'harbour-api'));
  const maxTokenLifetimeSeconds = read(() => maxLifetimeFrom(env.HARBOUR_JWT_MAX_LIFETIME_SECONDS));
  if (problems.length === 1) throw problems[0];
  if (problems.length > 1) throw new ConfigurationErrors(problems);
  return {
    mode: mode!,
    key: key!,
    issuer: issuer!,
    audience: audience!,
    clockToleranceSeconds: CLOCK_TOLERANCE_SECONDS,
    maxTokenLifetimeSeconds: maxTokenLifetimeSeconds!,
  };
}

function modeFrom(env: Readonly<Record<string, string | undefined>>): SecurityMode {
  const mode = env.HARBOUR_MODE ?? 'embedded';
  if (mode !== 'embedded' && mode !== 'distributed') {
    throw new SecurityConfigurationError('HARBOUR_MODE', `must be embedded or distributed, not "${mode}"`);
  }
  return mode;
}

const MAX_TOKEN_LIFETIME_SECONDS = 30 * 24 * 3600;

function maxLifetimeFrom(setting: string | undefined): number {
  if (setting === undefined) return DEFAULT_MAX_TOKEN_LIFETIME_SECONDS;
  // Decimal digits only: `Number()` would also take "0x3c", "6e1" and " 60 ".
  const seconds = /^\d{1,10}$/.test(setting) ? Number(setting) : Number.NaN;
  if (!(seconds >= 60 && seconds <= MAX_TOKEN_LIFETIME_SECONDS)) {
    throw new SecurityConfigurationError(
      'HARBOUR_JWT_MAX_LIFETIME_SECONDS',
      `must be a whole number of seconds from 60 to 2592000 (30 days), not "${setting}"`,
    );
  }
  return seconds;
}

function keyConfigFrom(
  env: Readonly<Record<string, string | undefined>>,
  mode: SecurityMode | undefined,
): TokenKeyConfig | undefined {
  const secret = env.HARBOUR_JWT_SECRET;
  const jwksUrl = env.HARBOUR_JWKS_URL;
  if (secret !== undefined && jwksUrl !== undefined) {
    throw new SecurityConfigurationError(
      'HARBOUR_JWT_SECRET',
      'set either HARBOUR_JWT_SECRET or HARBOUR_JWKS_URL, not both',
    );
  }
  if (secret !== undefined) {
    const bytes = new TextEncoder().encode(secret);
    if (bytes.length < MIN_SECRET_BYTES) {
      throw new SecurityConfigurationError('HARBOUR_JWT_SECRET', `must be at least ${MIN_SECRET_BYTES} bytes long`);
    }
    return { kind: 'secret', secret: new SecretBytes(bytes), source: 'environment' };
  }
  if (jwksUrl !== undefined) return { kind: 'jwks', jwksUrl: validJwksUrl(jwksUrl) };
  if (mode === undefined) return undefined;
  if (mode === 'distributed') {
    throw new SecurityConfigurationError(
      'HARBOUR_JWT_SECRET',
      'HARBOUR_JWT_SECRET or HARBOUR_JWKS_URL is required when HARBOUR_MODE=distributed',
    );
  }

  const dataDir = env.HARBOUR_DATA_DIR ?? './data';
  if (dataDir.trim() === '') throw new SecurityConfigurationError('HARBOUR_DATA_DIR', 'must not be empty');
  if (dataDir === ':memory:') {
    return { kind: 'secret', secret: new SecretBytes(randomBytes(MIN_SECRET_BYTES)), source: 'ephemeral' };
  }
  const { secret: fileSecret, file, created } = readOrCreateDevelopmentSecret(dataDir);
  return { kind: 'secret', secret: fileSecret, source: 'development-file', file, created };
}

function validJwksUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new SecurityConfigurationError('HARBOUR_JWKS_URL', `must be an absolute https:// or http:// URL`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new SecurityConfigurationError('HARBOUR_JWKS_URL', `must use https:// or http://, not ${url.protocol}//`);
  }
  // Credentials in the URL would be sent on every key fetch and printed wherever the URL is.
  if (url.username !== '' || url.password !== '') {
    throw new SecurityConfigurationError('HARBOUR_JWKS_URL', 'must not contain a user name or password');
  }
  return url.href;
}

function nonEmpty(env: Readonly<Record<string, string | undefined>>, setting: string, fallback: string): string {
  const value = env[setting] ?? fallback;
  if (value.trim() === '' || value.trim() !== value) {
    throw new SecurityConfigurationError(setting, 'must be a non-empty string without surrounding spaces');
  }
  return value;
}
