import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { Client } from 'pg';

/** The server PostgreSQL tests run against. */
export const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

const REPO_ROOT = join(__dirname, '..', '..', '..', '..');
const PROBE = `
const { Client } = require('pg');
const client = new Client({ connectionString: process.env.PROBE_URL, connectionTimeoutMillis: 3000 });
client.connect().then(() => client.query('select 1')).then(() => client.end()).then(
  () => process.exit(0),
  (error) => { process.stderr.write(String(error && error.message)); process.exit(1); },
);`;

/**
 * Whether a server answers, decided while Jest collects tests (describe callbacks are
 * synchronous, so the probe runs in a child process and is waited for).
 */
function probe(): string | undefined {
  try {
    execFileSync(process.execPath, ['-e', PROBE], {
      cwd: REPO_ROOT,
      env: { ...process.env, PROBE_URL: DATABASE_URL },
      timeout: 10_000,
      stdio: 'pipe',
    });
    return undefined;
  } catch (error) {
    const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim();
    return stderr || (error as Error).message;
  }
}

const unavailable = probe();

/** The URL without its password, for messages. */
const shownUrl = DATABASE_URL.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');

/**
 * Registers PostgreSQL tests when a server answers. Without one they are reported as not run
 * (a warning in the output), except under `CI=true`, where a missing server fails the run.
 */
export function describeWithPostgres(title: string, body: () => void): void {
  if (unavailable === undefined) {
    describe(title, body);
  } else if (process.env.CI === 'true') {
    describe(title, () => {
      it('has a PostgreSQL server to run against (CI=true)', () => {
        throw new Error(`No PostgreSQL answers at ${shownUrl}: ${unavailable}`);
      });
    });
  } else {
    console.warn(
      `NOT RUN: "${title}": no PostgreSQL answers at ${shownUrl} (${unavailable}). ` +
        'Set DATABASE_URL to run these tests; with CI=true a missing server fails the run.',
    );
  }
}

/** A schema of its own for one test run, and a function that drops it with everything in it. */
export interface TestSchema {
  readonly schema: string;
  drop(): Promise<void>;
}

export async function createTestSchema(): Promise<TestSchema> {
  const schema = `t_${randomBytes(6).toString('hex')}`;
  await withClient((client) => client.query(`create schema ${schema}`));
  return {
    schema,
    drop: async () => {
      await withClient((client) => client.query(`drop schema if exists ${schema} cascade`));
    },
  };
}

/** Runs `work` on a fresh connection (not pooled) and closes it. */
export async function withClient<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: DATABASE_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
