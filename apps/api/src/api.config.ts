import { join } from 'node:path';
import { DEFAULT_WORKFLOW_ROUTES, REGIONS, latestWorkflow, type Region, type WorkflowRoutes } from '@harbour/domain';
import { dataDirFrom, eventStoreConfigFrom, type EventStoreConfig } from '@harbour/event-store';
import { ConfigurationError, collectSettings, wholeNumberSetting, withSecretFiles } from '@harbour/shared';
import { readStoreConfigFrom, type ReadStoreConfig } from '@harbour/read-store';
import type { IdempotencyStoreConfig } from '@harbour/application';
import { securityConfigFrom, type SecurityConfig } from '@harbour/security';
import { privacyConfigFrom, type PrivacyConfig } from '@harbour/privacy';
import { ledgerConfigFrom, type LedgerConfig } from '@harbour/audit';
import { operationsConfigFrom, type OperationsConfig } from './ops/operations.config';
import { consoleConfigFrom, type ConsoleConfig } from './console/console.config';
import { DEFAULT_PROBLEM_BASE } from './http/problem-details.filter';
import { lettersConfigFrom, type LettersConfig } from './letters/letters.config';

/** Every setting the API reads, validated once at boot. */
export interface ApiConfig {
  readonly host: string;
  readonly port: number;
  readonly dataDir: string;
  readonly eventStore: EventStoreConfig;
  readonly readStore: ReadStoreConfig;
  /**
   * `in-process` (embedded default): the API runs the projections itself. `external`: a separate
   * `apps/projector` does (distributed mode), and the API only reads.
   */
  readonly projector: 'in-process' | 'external';
  /** How often the deadline scheduler polls for due timers (in-process mode), in ms. */
  readonly schedulerIntervalMs: number;
  /** How long a query with `X-Min-Position` waits for the read models to catch up. */
  readonly minPositionWaitMs: number;
  readonly security: SecurityConfig;
  /**
   * Where idempotency records live: `idempotency.db` in the data dir (`:memory:` in tests), or,
   * with the read store in PostgreSQL, there, shared by every replica.
   */
  readonly idempotency: IdempotencyStoreConfig;
  /** Largest accepted request body, in bytes. */
  readonly bodyLimitBytes: number;
  /** Which workflow new referrals in each region start under (the defaults, overridden per region). */
  readonly workflowRoutes: WorkflowRoutes;
  /** Personal data: the key store, the master key and the retention policy. */
  readonly privacy: PrivacyConfig;
  /** Logs, protection, health, metrics and shutdown (see `ops/operations.config.ts`). */
  readonly operations: OperationsConfig;
  /** What problem details' `type` URIs start with (an absolute URI ending in `/`). */
  readonly problemTypeBase: string;
  /** The ledger's Merkle tree (`ledger.db`), kept in-process in embedded mode. */
  readonly ledger: LedgerConfig;
  /** The web console under `/console` (see `console/console.config.ts`). */
  readonly console: ConsoleConfig;
  /** Decision letters and their notifications (SMTP, organisation mailboxes). */
  readonly letters: LettersConfig;
}

/**
 * - `HARBOUR_HOST` (default `127.0.0.1`), `HARBOUR_PORT` (default `3000`)
 * - `HARBOUR_DATA_DIR` (default `./data`): embedded files
 * - `HARBOUR_BODY_LIMIT_BYTES` (default 2 MiB)
 * - `HARBOUR_PROJECTOR`: `in-process` (default) or `external`
 * - `HARBOUR_MIN_POSITION_WAIT_MS` (default 5000): the read-your-writes wait
 * - `HARBOUR_SCHEDULER_INTERVAL_MS` (default 1000): how often the in-process deadline scheduler polls
 * - `HARBOUR_WORKFLOW_ROUTES` (optional): `region=workflow-id` pairs, comma-separated (e.g.
 *   `london=nrm-pilot-2015,wales=nrm-central-2015`), overriding `DEFAULT_WORKFLOW_ROUTES` for
 *   those regions; new referrals there start under the latest version of that workflow. Existing
 *   cases keep the workflow they started under.
 * - `HARBOUR_PROBLEM_TYPE_BASE` (default `https://harbour.example/problems/`): the base of problem
 *   details' `type` URIs (`<base>invalid-request`, `<base>rules/<rule>`), e.g. where your
 *   organisation documents them; an absolute http(s) URI ending in `/`
 * - `HARBOUR_MASTER_KEY`, `HARBOUR_KEY_STORE`, `HARBOUR_RETENTION`: personal data (see `@harbour/privacy`)
 * - the operations settings (logs, rate limits, CORS, readiness, metrics, shutdown): see
 *   `operationsConfigFrom`
 * - and the event store's and security's settings (see their libs)
 */
export const API_CONFIG = Symbol('API_CONFIG');

export function apiConfigFrom(given: Readonly<Record<string, string | undefined>>): ApiConfig {
  // Any secret may come from a file instead (`<NAME>_FILE`, a mounted Docker or Kubernetes secret).
  const env = withSecretFiles(given);
  // Every part is read even after one fails, so start-up names every bad setting at once.
  const config = collectSettings({
    port: () => wholeNumberSetting(env, 'HARBOUR_PORT', { fallback: 3000, min: 0, max: 65535, what: 'a port number' }),
    bodyLimitBytes: () =>
      wholeNumberSetting(env, 'HARBOUR_BODY_LIMIT_BYTES', {
        fallback: 2 * 1024 * 1024,
        min: 1024,
        max: 1024 * 1024 * 1024,
        what: 'a whole number of bytes',
      }),
    host: () => {
      const host = env.HARBOUR_HOST ?? '127.0.0.1';
      if (host.trim() === '' || /\s/.test(host)) {
        throw new ConfigurationError('HARBOUR_HOST', 'must be an address to listen on, e.g. 127.0.0.1 or 0.0.0.0');
      }
      return host;
    },
    dataDir: () => dataDirFrom(env),
    projector: () => {
      const projector = env.HARBOUR_PROJECTOR ?? 'in-process';
      if (projector !== 'in-process' && projector !== 'external') {
        throw new ConfigurationError('HARBOUR_PROJECTOR', `must be in-process or external, not "${projector}"`);
      }
      return projector;
    },
    minPositionWaitMs: () =>
      wholeNumberSetting(env, 'HARBOUR_MIN_POSITION_WAIT_MS', {
        fallback: 5000,
        min: 0,
        max: 60_000,
        what: 'a whole number of milliseconds',
      }),
    schedulerIntervalMs: () =>
      wholeNumberSetting(env, 'HARBOUR_SCHEDULER_INTERVAL_MS', {
        fallback: 1000,
        min: 10,
        max: 3_600_000,
        what: 'a whole number of milliseconds',
      }),
    security: () => securityConfigFrom(env),
    eventStore: () => eventStoreConfigFrom(env),
    readStore: () => readStoreConfigFrom(env),
    workflowRoutes: () => workflowRoutesFrom(env.HARBOUR_WORKFLOW_ROUTES),
    problemTypeBase: () => problemTypeBaseFrom(env.HARBOUR_PROBLEM_TYPE_BASE),
    privacy: () => privacyConfigFrom(env),
    ledger: () => ledgerConfigFrom(env),
    letters: () => lettersConfigFrom(env),
    // A bad HARBOUR_MODE is named by security; the others are checked as if it were the default.
    operations: () => operationsConfigFrom(env, env.HARBOUR_MODE === 'distributed' ? 'distributed' : 'embedded'),
    console: () => consoleConfigFrom(env, env.HARBOUR_MODE === 'distributed' ? 'distributed' : 'embedded'),
  });
  refuseDevelopmentSecretsInContainer(env, config.security, config.privacy, config.ledger);
  // Read once the read store's settings are known good: it follows them.
  return { ...config, idempotency: idempotencyStoreFrom(env, config.readStore, config.dataDir) };
}

/**
 * `HARBOUR_IDEMPOTENCY_STORE`: `sqlite` (`idempotency.db` in the data dir) or `postgres` (the read
 * store's `DATABASE_URL` and schema); by default PostgreSQL when the read store is there, so API
 * replicas share it, and required there in distributed mode, where nothing may live on local disk.
 */
function idempotencyStoreFrom(
  env: Readonly<Record<string, string | undefined>>,
  readStore: ReadStoreConfig,
  dataDir: string,
): IdempotencyStoreConfig {
  const adapter = env.HARBOUR_IDEMPOTENCY_STORE ?? readStore.adapter;
  if (adapter !== 'sqlite' && adapter !== 'postgres') {
    throw new ConfigurationError('HARBOUR_IDEMPOTENCY_STORE', `must be sqlite or postgres, not "${adapter}"`);
  }
  if (adapter === 'postgres') {
    if (readStore.adapter !== 'postgres') {
      throw new ConfigurationError(
        'HARBOUR_IDEMPOTENCY_STORE',
        'postgres needs HARBOUR_READ_STORE=postgres (DATABASE_URL)',
      );
    }
    return { adapter, connectionString: readStore.connectionString, schema: readStore.schema };
  }
  if (env.HARBOUR_MODE === 'distributed' && env.HARBOUR_IDEMPOTENCY_STORE === 'sqlite') {
    throw new ConfigurationError(
      'HARBOUR_IDEMPOTENCY_STORE',
      'must be postgres in distributed mode: replicas must share it, and a container keeps nothing on local disk',
    );
  }
  return { adapter, filename: dataDir === ':memory:' ? ':memory:' : join(dataDir, 'idempotency.db') };
}

/**
 * In a container (the image sets `HARBOUR_IN_CONTAINER=true`) the API listens on 0.0.0.0 and the
 * data directory is a volume: a development secret made up there would sign every token and wrap
 * every key from a file beside the events, in every copy of the volume. So the secrets must come
 * from the operator, unless `HARBOUR_ALLOW_DEVELOPMENT_SECRETS=true` says this is a trial.
 */
function refuseDevelopmentSecretsInContainer(
  env: Readonly<Record<string, string | undefined>>,
  security: SecurityConfig,
  privacy: PrivacyConfig,
  ledger: LedgerConfig,
): void {
  const inContainer = flag(env, 'HARBOUR_IN_CONTAINER');
  if (!inContainer || flag(env, 'HARBOUR_ALLOW_DEVELOPMENT_SECRETS')) return;
  const trial = 'or set HARBOUR_ALLOW_DEVELOPMENT_SECRETS=true to try the image with development secrets';
  if (security.key.kind === 'secret' && security.key.source !== 'environment') {
    throw new ConfigurationError(
      'HARBOUR_JWT_SECRET',
      `is required in a container (or HARBOUR_JWKS_URL): the development secret would sit in the data volume; ${trial}`,
    );
  }
  if (privacy.masterKey.development) {
    throw new ConfigurationError(
      'HARBOUR_MASTER_KEY',
      `is required in a container: a development master key would sit in the data volume beside the data it protects; ${trial}`,
    );
  }
  if (ledger.signingKey?.development) {
    throw new ConfigurationError(
      'HARBOUR_LEDGER_SIGNING_KEY',
      `is required in a container: whoever can copy the data volume could sign tree heads with a development key; ${trial}`,
    );
  }
}

function flag(env: Readonly<Record<string, string | undefined>>, setting: string): boolean {
  const value = env[setting];
  if (value === undefined || value === 'false') return false;
  if (value === 'true') return true;
  throw new ConfigurationError(setting, `must be true or false, not "${value}"`);
}

function problemTypeBaseFrom(setting: string | undefined): string {
  // The default is a placeholder domain, to be set to the operator's own.
  if (setting === undefined) return DEFAULT_PROBLEM_BASE;
  let url: URL | undefined;
  try {
    url = new URL(setting);
  } catch {
    url = undefined;
  }
  if (
    !url ||
    (url.protocol !== 'https:' && url.protocol !== 'http:') ||
    url.href !== setting ||
    !setting.endsWith('/') ||
    url.search !== '' ||
    url.hash !== ''
  ) {
    throw new ConfigurationError(
      'HARBOUR_PROBLEM_TYPE_BASE',
      `must be an absolute http(s) URI ending in /, e.g. https://harbour.example/problems/, not "${setting}"`,
    );
  }
  return setting;
}

const SETTING = 'HARBOUR_WORKFLOW_ROUTES';

/** `DEFAULT_WORKFLOW_ROUTES` with the regions `setting` names moved to the workflows it names. */
export function workflowRoutesFrom(setting: string | undefined): WorkflowRoutes {
  if (setting === undefined || setting.trim() === '') return DEFAULT_WORKFLOW_ROUTES;
  const routes: Partial<Record<Region, string>> = { ...DEFAULT_WORKFLOW_ROUTES };
  const seen = new Set<string>();
  for (const pair of setting.split(',')) {
    const match = /^\s*([^=\s]+)\s*=\s*([^=\s]+)\s*$/.exec(pair);
    if (!match) {
      throw new ConfigurationError(SETTING, `"${pair.trim()}" is not region=workflow-id (e.g. london=nrm-pilot-2015)`);
    }
    const [, region, id] = match;
    if (!(REGIONS as readonly string[]).includes(region)) {
      throw new ConfigurationError(SETTING, `unknown region "${region}" (known: ${REGIONS.join(', ')})`);
    }
    if (latestWorkflow(id) === undefined) {
      throw new ConfigurationError(SETTING, `unknown workflow "${id}" for ${region}`);
    }
    if (seen.has(region)) throw new ConfigurationError(SETTING, `${region} is routed twice`);
    seen.add(region);
    routes[region as Region] = id;
  }
  return Object.freeze(routes);
}
