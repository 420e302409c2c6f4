import { ConfigurationError, wholeNumberSetting } from '@harbour/shared';

/** How the console signs people in: the OpenID provider it trusts, and itself as that provider's client. */
export interface ConsoleOidcConfig {
  readonly issuer: string;
  readonly clientId: string;
  readonly clientSecret: string;
}

/** The web console's settings, validated once at boot. */
export interface ConsoleConfig {
  /** `undefined`: no console (distributed mode without an OpenID provider configured). */
  readonly oidc: ConsoleOidcConfig | undefined;
  /**
   * Embedded mode with no provider configured: `npm start` runs a local one on this port (one user
   * per role) and fills in `oidc` with it before building the app.
   */
  readonly localProvider: { readonly port: number } | undefined;
  /**
   * Where the console is reached (scheme, host and port, no path), for the sign-in redirect; by
   * default the address the API listens on.
   */
  readonly publicUrl: string | undefined;
  /** Cookies marked Secure: everywhere but embedded (development) mode, unless set. */
  readonly secureCookies: boolean;
  /** A session ends after this long without a request... */
  readonly idleTimeoutSeconds: number;
  /** ...and after this long in any case. */
  readonly absoluteTimeoutSeconds: number;
}

/**
 * - `HARBOUR_CONSOLE_OIDC_ISSUER`: the OpenID provider's issuer URL. Unset in embedded mode,
 *   `npm start` starts a local provider (one user per role) and sets it; unset in distributed mode,
 *   `/console` is not served.
 * - `HARBOUR_CONSOLE_OIDC_PORT` (default 0: a free port chosen at start, so two APIs or the test
 *   suite's API processes never collide): the local provider's port, embedded mode only
 * - `HARBOUR_CONSOLE_OIDC_CLIENT_ID` (default `harbour-console`), `HARBOUR_CONSOLE_OIDC_CLIENT_SECRET`
 *   (required with an issuer)
 * - `HARBOUR_CONSOLE_PUBLIC_URL`: e.g. `https://harbour.example` (default: the listening address)
 * - `HARBOUR_CONSOLE_SECURE_COOKIES`: `true` or `false` (default: `false` in embedded mode only)
 * - `HARBOUR_CONSOLE_IDLE_MINUTES` (default 30), `HARBOUR_CONSOLE_SESSION_HOURS` (default 8)
 */
export function consoleConfigFrom(
  env: Readonly<Record<string, string | undefined>>,
  mode: 'embedded' | 'distributed',
): ConsoleConfig {
  const issuer = env.HARBOUR_CONSOLE_OIDC_ISSUER;
  const clientId = env.HARBOUR_CONSOLE_OIDC_CLIENT_ID ?? 'harbour-console';
  if (!/^[\x21-\x7e]{1,128}$/.test(clientId)) {
    throw new ConfigurationError('HARBOUR_CONSOLE_OIDC_CLIENT_ID', 'must be 1 to 128 printable characters, no spaces');
  }
  const clientSecret = env.HARBOUR_CONSOLE_OIDC_CLIENT_SECRET;
  let oidc: ConsoleOidcConfig | undefined;
  if (issuer !== undefined) {
    if (!isHttpUrl(issuer)) {
      throw new ConfigurationError('HARBOUR_CONSOLE_OIDC_ISSUER', `must be an http(s) URL, not "${issuer}"`);
    }
    if (clientSecret === undefined || clientSecret.length < 16) {
      throw new ConfigurationError(
        'HARBOUR_CONSOLE_OIDC_CLIENT_SECRET',
        'is required with HARBOUR_CONSOLE_OIDC_ISSUER, at least 16 characters',
      );
    }
    oidc = { issuer, clientId, clientSecret };
  }
  const publicUrl = env.HARBOUR_CONSOLE_PUBLIC_URL;
  if (publicUrl !== undefined && (!isHttpUrl(publicUrl) || new URL(publicUrl).pathname !== '/')) {
    throw new ConfigurationError(
      'HARBOUR_CONSOLE_PUBLIC_URL',
      `must be an http(s) origin such as https://harbour.example, not "${publicUrl}"`,
    );
  }
  const secure = env.HARBOUR_CONSOLE_SECURE_COOKIES;
  if (secure !== undefined && secure !== 'true' && secure !== 'false') {
    throw new ConfigurationError('HARBOUR_CONSOLE_SECURE_COOKIES', `must be true or false, not "${secure}"`);
  }
  const localPort = wholeNumberSetting(env, 'HARBOUR_CONSOLE_OIDC_PORT', {
    fallback: 0,
    min: 0,
    max: 65535,
    what: 'a port number',
  });
  return {
    oidc,
    localProvider: oidc === undefined && mode === 'embedded' ? { port: localPort } : undefined,
    publicUrl: publicUrl?.replace(/\/$/, ''),
    secureCookies: secure === undefined ? mode !== 'embedded' : secure === 'true',
    idleTimeoutSeconds:
      60 *
      wholeNumberSetting(env, 'HARBOUR_CONSOLE_IDLE_MINUTES', { fallback: 30, min: 1, max: 24 * 60, what: 'minutes' }),
    absoluteTimeoutSeconds:
      3600 * wholeNumberSetting(env, 'HARBOUR_CONSOLE_SESSION_HOURS', { fallback: 8, min: 1, max: 24, what: 'hours' }),
  };
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}
