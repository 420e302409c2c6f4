import { join } from 'node:path';
import { DEFAULT_WORKFLOW_ROUTES, REGIONS, latestWorkflow, type Region, type WorkflowRoutes } from '@harbour/domain';
import { ConfigurationError, eventStoreConfigFrom, type EventStoreConfig, withSecretFiles } from '@harbour/event-store';
import { readStoreConfigFrom, type ReadStoreConfig } from '@harbour/read-store';
import type { IdempotencyStoreConfig } from '@harbour/application';
import { securityConfigFrom, type SecurityConfig } from '@harbour/security';
import { privacyConfigFrom, type PrivacyConfig } from '@harbour/privacy';
import { operationsConfigFrom, type OperationsConfig } from './ops/operations.config';

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
 * - `HARBOUR_MASTER_KEY`, `HARBOUR_KEY_STORE`, `HARBOUR_RETENTION`: personal data (see `@harbour/privacy`)
 * - the operations settings (logs, rate limits, CORS, readiness, metrics, shutdown): see
 *   `operationsConfigFrom`
 * - and the event store's and security's settings (see their libs)
 */
export const API_CONFIG = Symbol('API_CONFIG');

export function apiConfigFrom(given: Readonly<Record<string, string | undefined>>): ApiConfig {
  // Any secret may come from a file instead (`<NAME>_FILE`, a mounted Docker or Kubernetes secret).
  const env = withSecretFiles(given);
  const port = Number(env.HARBOUR_PORT ?? '3000');
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ConfigurationError('HARBOUR_PORT', `must be a port number from 0 to 65535, not "${env.HARBOUR_PORT}"`);
  }
  const bodyLimitBytes = Number(env.HARBOUR_BODY_LIMIT_BYTES ?? String(2 * 1024 * 1024));
  if (!Number.isInteger(bodyLimitBytes) || bodyLimitBytes < 1024) {
    throw new ConfigurationError('HARBOUR_BODY_LIMIT_BYTES', 'must be a whole number of bytes, at least 1024');
  }
  const host = env.HARBOUR_HOST ?? '127.0.0.1';
  if (host.trim() === '' || /\s/.test(host)) {
    throw new ConfigurationError('HARBOUR_HOST', 'must be an address to listen on, e.g. 127.0.0.1 or 0.0.0.0');
  }
  const dataDir = env.HARBOUR_DATA_DIR ?? './data';
  const projector = env.HARBOUR_PROJECTOR ?? 'in-process';
  if (projector !== 'in-process' && projector !== 'external') {
    throw new ConfigurationError('HARBOUR_PROJECTOR', `must be in-process or external, not "${projector}"`);
  }
  const minPositionWaitMs = Number(env.HARBOUR_MIN_POSITION_WAIT_MS ?? '5000');
  if (!Number.isInteger(minPositionWaitMs) || minPositionWaitMs < 0 || minPositionWaitMs > 60_000) {
    throw new ConfigurationError(
      'HARBOUR_MIN_POSITION_WAIT_MS',
      'must be a whole number of milliseconds from 0 to 60000',
    );
  }
  const schedulerIntervalMs = Number(env.HARBOUR_SCHEDULER_INTERVAL_MS ?? '1000');
  if (!Number.isInteger(schedulerIntervalMs) || schedulerIntervalMs < 10 || schedulerIntervalMs > 3_600_000) {
    throw new ConfigurationError(
      'HARBOUR_SCHEDULER_INTERVAL_MS',
      `must be a whole number of milliseconds from 10 to 3600000, not "${env.HARBOUR_SCHEDULER_INTERVAL_MS}"`,
    );
  }
  const security = securityConfigFrom(env);
  const readStore = readStoreConfigFrom(env);
  return {
    host,
    port,
    dataDir,
    eventStore: eventStoreConfigFrom(env),
    readStore,
    projector,
    schedulerIntervalMs,
    minPositionWaitMs,
    security,
    idempotency: idempotencyStoreFrom(env, readStore, dataDir),
    bodyLimitBytes,
    workflowRoutes: workflowRoutesFrom(env.HARBOUR_WORKFLOW_ROUTES),
    privacy: privacyConfigFrom(env),
    operations: operationsConfigFrom(env, security.mode),
  };
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
