import { mintDevelopmentToken, securityConfigFrom, type Role } from '@harbour/security';
import { spawnApi, type ApiProcess as SpawnedApi } from '../../support/api-process';

const PROCESS_SECRET = 'harbour-reliability-secret-harbour-reliability-0123';

/**
 * The API as `npm start` runs it (`spawnApi`), signed with a secret the test knows so it can mint
 * tokens, and killable: what the crash and outage scenarios start, SIGKILL and start again.
 */
export class ApiProcess {
  private readonly api: SpawnedApi;
  private readonly env: Record<string, string>;

  constructor(env: Record<string, string>, preload: readonly string[] = []) {
    this.env = { HARBOUR_PORT: '0', HARBOUR_JWT_SECRET: PROCESS_SECRET, ...env };
    this.api = spawnApi(this.env, preload);
  }

  get exited(): SpawnedApi['exited'] {
    return this.api.exited;
  }

  /** Resolves with the API's base URL once it listens. */
  listening(): Promise<string> {
    return this.api.listening();
  }

  kill(signal: NodeJS.Signals): void {
    this.api.child.kill(signal);
  }

  async dispose(): Promise<void> {
    if (this.api.child.exitCode === null && this.api.child.signalCode === null) this.api.child.kill('SIGKILL');
    await this.api.exited;
  }

  token(role: Role, claims: { region?: string; userId?: string; panels?: string[] } = {}): Promise<string> {
    return mintDevelopmentToken(
      {
        role,
        region: claims.region ?? 'south-west',
        agency: 'home-office',
        userId: claims.userId ?? `${role}-1`,
        ...(claims.panels ? { panels: claims.panels } : {}),
        ttl: '1h',
      },
      securityConfigFrom(this.env),
    );
  }
}
