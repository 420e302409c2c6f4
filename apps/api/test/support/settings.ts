import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { apiConfigFrom } from '../../src/api.config';
import { projectorConfigFrom } from '../../../projector/src/projector.config';
import { cliConfigFrom } from '../../../cli/src/cli.config';

export const REPO_ROOT = join(__dirname, '..', '..', '..', '..');

type Env = Record<string, string>;

/** Every app's boot-time configuration function, by app. */
export const CONFIG_FUNCTIONS: Record<string, (env: Env) => unknown> = {
  api: apiConfigFrom,
  projector: projectorConfigFrom,
  cli: cliConfigFrom,
};

const SECRET = 'harbour-test-secret-harbour-test-secret-0123456789';
const METRICS_TOKEN = 'metrics-token-metrics-token-0123456789';
/** 32 bytes, base64: a master key of the right shape (not one used anywhere). */
export const MASTER_KEY = Buffer.alloc(32, 7).toString('base64');

/** Valid environments that between them take every branch of the configuration code. */
export const SCENARIOS: Env[] = [
  // Embedded, all defaults (`:memory:` so no development secret file is written).
  { HARBOUR_DATA_DIR: ':memory:' },
  // Distributed: EventStoreDB, PostgreSQL, a shared secret, metrics over HTTP.
  {
    HARBOUR_MODE: 'distributed',
    HARBOUR_EVENT_STORE: 'esdb',
    EVENTSTORE_CONNECTION_STRING: 'esdb://esdb-1:2113,esdb-2:2113,esdb-3:2113?tls=false',
    HARBOUR_EVENT_STORE_MAX_APPEND_BYTES: '1048576',
    HARBOUR_IDEMPOTENCY_STORE: 'postgres',
    HARBOUR_RATE_LIMIT_REDIS_URL: 'redis://redis:6379/0',
    HARBOUR_READ_STORE: 'postgres',
    DATABASE_URL: 'postgres://harbour@postgres:5432/harbour',
    HARBOUR_JWT_SECRET: SECRET,
    HARBOUR_METRICS_TOKEN: METRICS_TOKEN,
    HARBOUR_PROJECTOR_METRICS_PORT: '9464',
    // Personal data: the master key, data keys in PostgreSQL, a retention policy, a rotation.
    HARBOUR_MASTER_KEY: MASTER_KEY,
    HARBOUR_KEY_STORE: 'postgres',
    HARBOUR_KEY_STORE_SCHEMA: 'harbour_keys',
    HARBOUR_RETENTION: 'conclusive-grounds-positive=P6Y,withdrawn=P3Y',
    HARBOUR_NEW_MASTER_KEY: MASTER_KEY,
  },
  // An identity provider's keys instead of a secret.
  { HARBOUR_DATA_DIR: ':memory:', HARBOUR_JWKS_URL: 'https://idp.example/jwks.json' },
  // The image, tried with development secrets.
  { HARBOUR_DATA_DIR: ':memory:', HARBOUR_IN_CONTAINER: 'true', HARBOUR_ALLOW_DEVELOPMENT_SECRETS: 'true' },
];

/** The names `read` looks up in its environment (whether or not they are set). */
export function settingsReadBy(read: (env: Env) => unknown, env: Env): Set<string> {
  const seen = new Set<string>();
  read(
    new Proxy(env, {
      get(target, key) {
        if (typeof key !== 'string') return undefined;
        seen.add(key);
        return target[key];
      },
    }),
  );
  return seen;
}

/** Every setting any app's configuration reads, over every scenario. */
export function allSettingsRead(): string[] {
  const all = new Set<string>();
  for (const read of Object.values(CONFIG_FUNCTIONS)) {
    for (const env of SCENARIOS) for (const name of settingsReadBy(read, env)) all.add(name);
  }
  return [...all].sort();
}

/** Setting-like names (`HARBOUR_*`, `DATABASE_URL`, `EVENTSTORE_*`) anywhere in the apps' and libs' source. */
export function settingsNamedInSource(): string[] {
  const names = new Set<string>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir)) {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) walk(path);
      else if (path.endsWith('.ts') && !path.endsWith('.spec.ts')) {
        for (const match of readFileSync(path, 'utf8').matchAll(
          /\b(HARBOUR_[A-Z0-9_]+|DATABASE_URL|EVENTSTORE_[A-Z_]+)\b/g,
        )) {
          names.add(match[1]);
        }
      }
    }
  };
  for (const root of ['apps', 'libs']) {
    for (const pkg of readdirSync(join(REPO_ROOT, root))) {
      const src = join(REPO_ROOT, root, pkg, 'src');
      if (statSync(join(REPO_ROOT, root, pkg)).isDirectory() && existsDir(src)) walk(src);
    }
  }
  return [...names].sort();
}

function existsDir(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** The settings `.env.example` lists, set or commented out (`#NAME=`). */
export function settingsInEnvExample(): string[] {
  const text = readFileSync(join(REPO_ROOT, '.env.example'), 'utf8');
  return [...text.matchAll(/^#?([A-Z][A-Z0-9_]*)=/gm)].map((match) => match[1]).sort();
}
