import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '@harbour/testing';
import { REPO_ROOT } from './support/settings';

/**
 * What docker/Dockerfile builds, without Docker: the same compile step (docker/build.mjs) and the
 * same command, so a broken image build or an entry point that only runs under the TypeScript
 * hook fails here.
 */
describe('the production image', () => {
  const dockerfile = readFileSync(join(REPO_ROOT, 'docker', 'Dockerfile'), 'utf8');

  it('is multi-stage on node:20-slim, installs production dependencies only, runs as a non-root user, with a health check', () => {
    expect(dockerfile.match(/^FROM node:20-slim AS \w+$/gm)).toEqual([
      'FROM node:20-slim AS build',
      'FROM node:20-slim AS runtime',
    ]);
    const runtime = dockerfile.slice(dockerfile.indexOf('AS runtime'));
    expect(runtime).toContain('npm ci --omit=dev');
    expect(runtime).toMatch(/^USER node$/m);
    expect(runtime).toMatch(/^HEALTHCHECK .*\n.*\/health\/live/m);
    expect(runtime).toContain('COPY event-schemas ./event-schemas');
    expect(runtime).toMatch(/^CMD \["node", "dist\/apps\/api\/src\/main\.js"\]$/m);
  });

  it('compiles to JavaScript that starts, answers its health check and stops cleanly on SIGTERM', async () => {
    // Under dist/ (ignored everywhere) and inside the repository, so node_modules and
    // event-schemas/ are found as they are in the image's /app.
    const out = join('dist', `image-test-${process.pid}`);
    const data = tempDir('harbour-image-');
    try {
      const build = spawnSync(process.execPath, ['docker/build.mjs', out], { cwd: REPO_ROOT, encoding: 'utf8' });
      expect({ status: build.status, stderr: build.stderr }).toEqual({ status: 0, stderr: '' });
      const child = spawn(process.execPath, [join(out, 'apps/api/src/main.js')], {
        cwd: REPO_ROOT,
        env: { PATH: process.env.PATH ?? '', NODE_ENV: 'production', HARBOUR_DATA_DIR: data.path, HARBOUR_PORT: '0' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      const deadline = Date.now() + 20_000;
      let port: number | undefined;
      while (port === undefined && Date.now() < deadline && child.exitCode === null) {
        port = /"port":(\d+),.*"msg":"API listening/.exec(stdout)?.[1] as unknown as number | undefined;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(port).toBeDefined();
      const live = await fetch(`http://127.0.0.1:${port}/health/live`);
      expect(live.status).toBe(200);
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      rmSync(join(REPO_ROOT, out), { recursive: true, force: true });
      data.remove();
    }
  }, 60_000);
});
