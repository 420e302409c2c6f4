import type * as Client from 'openid-client';
import type { ConsoleOidcConfig } from './console.config';
import type { PendingSignIn } from './console-session';

/** ES module only: loaded with require() (Node 24), so the CommonJS build and Jest both take it. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const client = (): typeof Client => require('openid-client') as typeof Client;

/**
 * The console as an OpenID Connect relying party (openid-client): authorization code flow with
 * PKCE (S256), state and nonce checked, the ID token's signature, issuer, audience and lifetime
 * verified by the library. Discovery happens at the first sign-in, so the API starts even while
 * the provider is down; a failed discovery is retried at the next sign-in.
 */
export class OidcClient {
  private configuration: Promise<Client.Configuration> | undefined;

  constructor(
    private readonly settings: ConsoleOidcConfig,
    private readonly redirectUri: () => string,
    private readonly postLogoutRedirectUri: () => string,
  ) {}

  private discover(): Promise<Client.Configuration> {
    if (!this.configuration) {
      const openid = client();
      const issuer = new URL(this.settings.issuer);
      this.configuration = openid
        .discovery(
          issuer,
          this.settings.clientId,
          { client_secret: this.settings.clientSecret, id_token_signed_response_alg: 'ES256' },
          openid.ClientSecretBasic(this.settings.clientSecret),
          // A local provider in embedded mode and tests speaks plain HTTP on the loopback address.
          issuer.protocol === 'http:' ? { execute: [openid.allowInsecureRequests] } : undefined,
        )
        .catch((error: unknown) => {
          this.configuration = undefined;
          throw error;
        });
    }
    return this.configuration;
  }

  async authorizationRequest(): Promise<{ url: string; codeVerifier: string; state: string; nonce: string }> {
    const openid = client();
    const configuration = await this.discover();
    const codeVerifier = openid.randomPKCECodeVerifier();
    const state = openid.randomState();
    const nonce = openid.randomNonce();
    const url = openid.buildAuthorizationUrl(configuration, {
      redirect_uri: this.redirectUri(),
      scope: 'openid profile harbour',
      code_challenge: await openid.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
      state,
      nonce,
    });
    return { url: url.href, codeVerifier, state, nonce };
  }

  /** Exchanges the code; the ID token's claims, once verified. */
  async complete(
    callbackUrl: URL,
    pending: PendingSignIn,
  ): Promise<{ claims: Record<string, unknown>; idToken: string; accessToken: string }> {
    const openid = client();
    const configuration = await this.discover();
    const tokens = await openid.authorizationCodeGrant(configuration, callbackUrl, {
      pkceCodeVerifier: pending.codeVerifier,
      expectedState: pending.state,
      expectedNonce: pending.nonce,
      idTokenExpected: true,
    });
    const claims = tokens.claims();
    if (!claims || !tokens.id_token) throw new Error('The provider sent no ID token');
    return { claims: { ...claims }, idToken: tokens.id_token, accessToken: tokens.access_token };
  }

  async endSessionUrl(idToken: string): Promise<string> {
    const openid = client();
    const configuration = await this.discover();
    return openid.buildEndSessionUrl(configuration, {
      id_token_hint: idToken,
      post_logout_redirect_uri: this.postLogoutRedirectUri(),
    }).href;
  }
}
