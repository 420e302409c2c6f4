import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

/** The Redis the shared rate-limit tests use. */
export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379/0';

const PROBE = `
const Redis = require('ioredis');
const redis = new Redis(process.env.PROBE_URL, { connectTimeout: 2000, maxRetriesPerRequest: 0, retryStrategy: () => null });
redis.ping().then(() => redis.quit()).then(() => process.exit(0), (error) => {
  process.stderr.write(String(error && error.message)); process.exit(1);
});`;

function probe(): string | undefined {
  try {
    execFileSync(process.execPath, ['-e', PROBE], {
      cwd: join(__dirname, '..', '..', '..', '..'),
      env: { ...process.env, PROBE_URL: REDIS_URL },
      timeout: 10_000,
      stdio: 'pipe',
    });
    return undefined;
  } catch (error) {
    return (error as { stderr?: Buffer }).stderr?.toString().trim() || (error as Error).message;
  }
}

/**
 * Registers Redis tests when a server answers; without one they are reported as not run, except
 * under `CI=true`, where a missing server fails the run (as for PostgreSQL).
 */
export function describeWithRedis(title: string, body: () => void): void {
  const unavailable = probe();
  if (unavailable === undefined) describe(title, body);
  else if (process.env.CI === 'true') {
    describe(title, () => {
      it('has a Redis server to run against (CI=true)', () => {
        throw new Error(`No Redis answers at ${REDIS_URL}: ${unavailable}`);
      });
    });
  } else {
    console.warn(`NOT RUN: "${title}": no Redis answers at ${REDIS_URL} (${unavailable}). Set REDIS_URL to run it.`);
  }
}
