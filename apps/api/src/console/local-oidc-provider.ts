import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Role } from '@harbour/security';
import type { ApiConfig } from '../api.config';

/** A person the local provider signs in: one per role, all synthetic. */
export interface LocalUser {
  readonly sub: string;
  readonly name: string;
  readonly role: Role;
  readonly region: string;
  readonly agency: string;
  readonly panels?: readonly string[];
}

/**
 * One user per role, in the South West (agencies are organisation ids of the registry), where the walk-through's synthetic case lives. The login
 * name is the `sub`; the local provider asks for no password worth the name (any is accepted):
 * it exists so the console works with zero setup, never in distributed mode.
 */
export const LOCAL_USERS: readonly LocalUser[] = [
  { sub: 'lead-1', name: 'Lee Lead', role: 'lead', region: 'south-west', agency: 'dorset-police' },
  { sub: 'cm-1', name: 'Casey Manager', role: 'case-manager', region: 'south-west', agency: 'home-office-cmu' },
  {
    sub: 'chair-1',
    name: 'Chris Chair',
    role: 'panel-chair',
    region: 'south-west',
    agency: 'home-office',
    panels: ['south-west-panel'],
  },
  {
    sub: 'member-1',
    name: 'Morgan Member',
    role: 'panel-member',
    region: 'south-west',
    agency: 'nhs-south-west',
    panels: ['south-west-panel'],
  },
  {
    sub: 'ca-1',
    name: 'Alex Authority',
    role: 'competent-authority',
    region: 'south-west',
    agency: 'uk-visas-and-immigration',
  },
  { sub: 'auditor-1', name: 'Audrey Auditor', role: 'auditor', region: 'south-west', agency: 'home-office' },
  { sub: 'analyst-1', name: 'Ana Analyst', role: 'analyst', region: 'south-west', agency: 'home-office' },
  { sub: 'admin-1', name: 'Ada Admin', role: 'admin', region: 'south-west', agency: 'home-office' },
];

/** The client the console signs in as, registered once both addresses are known. */
export interface LocalClient {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly redirectUri: string;
  readonly postLogoutRedirectUri: string;
}

/**
 * A real OpenID provider (the certified `oidc-provider`) on its own port, for embedded mode and
 * tests: authorization code flow with PKCE required (S256), signed ID tokens carrying Harbour's
 * claims (`role`, `region`, `agency`, `panels`), RP-initiated logout. It listens first, so its
 * issuer URL is known before the API is built, and starts answering once the console's redirect
 * address is known ({@link LocalOidcProvider.register}).
 */
export class LocalOidcProvider {
  private handler: ((req: IncomingMessage, res: ServerResponse) => void) | undefined;

  private constructor(
    private readonly server: Server,
    readonly issuer: string,
  ) {}

  static async listen(host: string, port: number): Promise<LocalOidcProvider> {
    const holder: { provider?: LocalOidcProvider } = {};
    const server = createServer((req, res) => {
      if (holder.provider?.handler) return holder.provider.handler(req, res);
      res.writeHead(503, { 'content-type': 'text/plain' }).end('The local OpenID provider is starting');
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve());
    });
    const address = server.address() as AddressInfo;
    holder.provider = new LocalOidcProvider(server, `http://${host}:${address.port}`);
    return holder.provider;
  }

  /** Registers the console as the one client and starts answering. */
  async register(client: LocalClient, users: readonly LocalUser[] = LOCAL_USERS): Promise<void> {
    // ES module only; Node 24 loads it with require(), and it is needed only when a provider runs.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { default: Provider } = require('oidc-provider') as typeof import('oidc-provider');
    const { generateKeyPair, exportJWK } = await import('jose');
    const { privateKey } = await generateKeyPair('ES256', { extractable: true });
    const jwk = { ...(await exportJWK(privateKey)), alg: 'ES256', use: 'sig', kid: randomBytes(8).toString('hex') };
    const byId = new Map(users.map((user) => [user.sub, user]));
    const provider = new Provider(this.issuer, {
      clients: [
        {
          client_id: client.clientId,
          client_secret: client.clientSecret,
          redirect_uris: [client.redirectUri],
          post_logout_redirect_uris: [client.postLogoutRedirectUri],
          grant_types: ['authorization_code'],
          response_types: ['code'],
          token_endpoint_auth_method: 'client_secret_basic',
          id_token_signed_response_alg: 'ES256',
        },
      ],
      jwks: { keys: [jwk as never] },
      cookies: { keys: [randomBytes(32).toString('base64url')] },
      pkce: { required: () => true },
      claims: { openid: ['sub'], profile: ['name'], harbour: ['role', 'region', 'agency', 'panels'] },
      scopes: ['openid', 'profile', 'harbour'],
      // The console reads the role from the ID token, as it would from any provider it trusts.
      conformIdTokenClaims: false,
      features: { devInteractions: { enabled: true }, rpInitiatedLogout: { enabled: true } },
      ttl: { IdToken: 3600, AccessToken: 3600, Session: 8 * 3600, Interaction: 600, Grant: 8 * 3600 },
      findAccount: (_ctx, id) => {
        const user = byId.get(id);
        if (!user) return undefined;
        return {
          accountId: id,
          claims: () => ({
            sub: user.sub,
            name: user.name,
            role: user.role,
            region: user.region,
            agency: user.agency,
            ...(user.panels ? { panels: [...user.panels] } : {}),
          }),
        };
      },
      // The console is first-party: no consent screen, the grant is what it asks for.
      loadExistingGrant: async (ctx) => {
        const oidc = ctx.oidc;
        const grantId = oidc.session?.grantIdFor(oidc.client!.clientId);
        if (grantId) {
          const existing = await oidc.provider.Grant.find(grantId);
          if (existing) return existing;
        }
        const grant = new oidc.provider.Grant({ clientId: oidc.client!.clientId, accountId: oidc.session!.accountId! });
        grant.addOIDCScope('openid profile harbour');
        grant.addOIDCClaims(['role', 'region', 'agency', 'panels', 'name']);
        await grant.save();
        return grant;
      },
    });
    this.handler = provider.callback();
  }

  /** Registers the console of the API listening at `apiUrl` (or its public URL) as the client. */
  async registerConsole(config: ApiConfig, apiUrl: string): Promise<void> {
    const oidc = config.console.oidc!;
    const base = config.console.publicUrl ?? apiUrl;
    await this.register({
      clientId: oidc.clientId,
      clientSecret: oidc.clientSecret,
      redirectUri: `${base}/console/auth/callback`,
      postLogoutRedirectUri: `${base}/console/signed-out`,
    });
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/**
 * Starts a local provider on `port` and returns the API configuration that trusts it, with a client
 * secret made up for this run. Register the console once the API listens
 * ({@link LocalOidcProvider.registerConsole}).
 */
export async function startLocalConsoleProvider(
  config: ApiConfig,
  port: number,
): Promise<{ provider: LocalOidcProvider; config: ApiConfig }> {
  const provider = await LocalOidcProvider.listen(config.host === '0.0.0.0' ? '127.0.0.1' : config.host, port);
  return {
    provider,
    config: {
      ...config,
      console: {
        ...config.console,
        oidc: {
          issuer: provider.issuer,
          clientId: 'harbour-console',
          clientSecret: randomBytes(32).toString('base64url'),
        },
      },
    },
  };
}
