import { join } from 'node:path';
import { DEFAULT_WORKFLOW_ROUTES, REGIONS, latestWorkflow, type Region, type WorkflowRoutes } from '@harbour/domain';
import { ConfigurationError, eventStoreConfigFrom, type EventStoreConfig } from '@harbour/event-store';
import { readStoreConfigFrom, type ReadStoreConfig } from '@harbour/read-store';
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
  /** Where idempotency records live (`:memory:` in tests). */
  readonly idempotencyFile: string;
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

export function apiConfigFrom(env: Readonly<Record<string, string | undefined>>): ApiConfig {
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
  const privacy = privacyConfigFrom(env);
  refuseDevelopmentSecretsInContainer(env, security, privacy);
  return {
    host,
    port,
    dataDir,
    eventStore: eventStoreConfigFrom(env),
    readStore: readStoreConfigFrom(env),
    projector,
    schedulerIntervalMs,
    minPositionWaitMs,
    security,
    idempotencyFile: dataDir === ':memory:' ? ':memory:' : join(dataDir, 'idempotency.db'),
    bodyLimitBytes,
    workflowRoutes: workflowRoutesFrom(env.HARBOUR_WORKFLOW_ROUTES),
    privacy,
    operations: operationsConfigFrom(env, security.mode),
  };
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
}

function flag(env: Readonly<Record<string, string | undefined>>, setting: string): boolean {
  const value = env[setting];
  if (value === undefined || value === 'false') return false;
  if (value === 'true') return true;
  throw new ConfigurationError(setting, `must be true or false, not "${value}"`);
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
