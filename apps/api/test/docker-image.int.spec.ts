import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { tempDir } from '@harbour/testing';
import { REPO_ROOT } from './support/settings';

const PRODUCTION = new Set([
  ...Object.keys(
    (JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { dependencies: object }).dependencies,
  ),
  ...builtinModules,
]);

/**
 * Every package the image's entry points load (`@scope/name` or `name`), following their relative
 * requires through the compiled files under `dir`.
 */
function packagesRequiredBy(dir: string): string[] {
  const names = new Set<string>();
  const seen = new Set<string>();
  const pending = ['api', 'projector', 'cli', 'reporting'].map((app) => join(dir, 'apps', app, 'src', 'main.js'));
  for (let file = pending.pop(); file !== undefined; file = pending.pop()) {
    if (seen.has(file)) continue;
    seen.add(file);
    for (const [, specifier] of readFileSync(file, 'utf8').matchAll(/require\("([^"]+)"\)/g)) {
      if (specifier.startsWith('.')) {
        const target = join(dirname(file), specifier);
        pending.push(existsSync(`${target}.js`) ? `${target}.js` : join(target, 'index.js'));
      } else if (specifier.startsWith('node:')) {
        names.add(specifier.slice(5));
      } else {
        names.add(
          specifier
            .split('/')
            .slice(0, specifier.startsWith('@') ? 2 : 1)
            .join('/'),
        );
      }
    }
  }
  return [...names].sort();
}

/**
 * What docker/Dockerfile builds, without Docker: the same compile step (docker/build.mjs) and the
 * same command, so a broken image build or an entry point that only runs under the TypeScript
 * hook fails here.
 */
describe('the production image', () => {
  const dockerfile = readFileSync(join(REPO_ROOT, 'docker', 'Dockerfile'), 'utf8');

  const runtime = dockerfile.slice(dockerfile.indexOf('AS runtime'));
  const build = dockerfile.slice(0, dockerfile.indexOf('AS runtime'));

  it('is multi-stage on node:24-slim, runs as a non-root user, with a health check', () => {
    expect(dockerfile.match(/^FROM node:[\w.-]+ AS \w+$/gm)).toEqual([
      'FROM node:24-slim AS build',
      'FROM node:24-slim AS runtime',
    ]);
    expect(runtime).toMatch(/^USER node$/m);
    expect(runtime).toMatch(/^HEALTHCHECK .*\n.*\/health\/live/m);
    expect(runtime).toContain('COPY event-schemas ./event-schemas');
    expect(runtime).toMatch(/^CMD \["node", "dist\/apps\/api\/src\/main\.js"\]$/m);
  });

  it('copies the build stage’s pruned production dependencies: no install, no compiler, no build tools at run time', () => {
    expect(build).toMatch(/npm ci /);
    expect(build).toMatch(/npm prune --omit=dev /);
    expect(runtime).toMatch(/^COPY --from=build \/app\/node_modules \.\/node_modules$/m);
    expect(runtime).not.toMatch(/npm (ci|install)|apt-get|g\+\+/);
  });

  it('leaves no TypeScript compiler among the production dependencies it keeps', () => {
    // What `npm prune --omit=dev` keeps is the production tree; the one TypeScript in it (an
    // optional peer of @nestjs/swagger) is the one the Dockerfile deletes.
    const tree = spawnSync('npm', ['ls', '--omit=dev', '--all', '--parseable'], { cwd: REPO_ROOT, encoding: 'utf8' });
    const compilers = tree.stdout
      .split('\n')
      .map((path) => relative(REPO_ROOT, path))
      .filter((path) => /(^|\/)(typescript|@swc\/core|@swc-node\/register|ts-node)$/.test(path));
    expect(compilers).toEqual(['node_modules/typescript']);
    expect(build).toMatch(/rm -rf node_modules\/typescript /);
  });

  it('compiles to JavaScript that starts, answers its health check and stops cleanly on SIGTERM', async () => {
    // Under dist/ (ignored everywhere) and inside the repository, so node_modules and
    // event-schemas/ are found as they are in the image's /app.
    const out = join('dist', `image-test-${process.pid}`);
    const data = tempDir('harbour-image-');
    try {
      const compiled = spawnSync(process.execPath, ['docker/build.mjs', out], { cwd: REPO_ROOT, encoding: 'utf8' });
      expect({ status: compiled.status, stderr: compiled.stderr }).toEqual({ status: 0, stderr: '' });
      // The image has production dependencies only: what its entry points load must be among them.
      expect(packagesRequiredBy(join(REPO_ROOT, out)).filter((name) => !PRODUCTION.has(name))).toEqual([]);
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
