import { tempDir } from '@harbour/testing';
import { spawnApi, type ApiProcess } from './support/api-process';

/**
 * Two Harbours on one machine in embedded mode, neither told a port for the console's local OpenID
 * provider (as two developers' checkouts, or the test suite's own API processes, start them): both
 * start. The provider used to take a fixed port (3001), so the second refused to start.
 */
describe('the console local OpenID provider', () => {
  it('lets two embedded APIs start side by side with no port set for it', async () => {
    const dirs = [tempDir('harbour-oidc-port-a-'), tempDir('harbour-oidc-port-b-')];
    const apis: ApiProcess[] = dirs.map((dir) =>
      spawnApi({
        HARBOUR_PORT: '0',
        HARBOUR_DATA_DIR: dir.path,
        HARBOUR_JWT_SECRET: 'harbour-oidc-port-secret-0123456789abcdef',
        HARBOUR_SCHEDULER_INTERVAL_MS: '3600000',
      }),
    );
    try {
      const urls = await Promise.all(apis.map((api) => api.listening(60_000)));
      expect(new Set(urls).size).toBe(2);
      for (const url of urls) {
        const signIn = await fetch(`${url}/console/sign-in`, { redirect: 'manual' });
        // Each console sends its visitors to its own provider, which answers.
        const provider = new URL(signIn.headers.get('location') ?? '');
        expect(provider.hostname).toBe('127.0.0.1');
        expect((await fetch(`${provider.origin}/.well-known/openid-configuration`)).status).toBe(200);
      }
    } finally {
      for (const api of apis) api.child.kill('SIGKILL');
      await Promise.all(apis.map((api) => api.exited));
      for (const dir of dirs) dir.remove();
    }
  }, 120_000);
});
