import { join } from 'node:path';
import { DEFAULT_WORKFLOW_ROUTES, REGIONS, latestWorkflow, type Region, type WorkflowRoutes } from '@harbour/domain';
import {
  ConfigurationError,
  collectSettings,
  dataDirFrom,
  eventStoreConfigFrom,
  wholeNumberSetting,
  type EventStoreConfig,
} from '@harbour/event-store';
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
    privacy: () => privacyConfigFrom(env),
    // A bad HARBOUR_MODE is named by security; the others are checked as if it were the default.
    operations: () => operationsConfigFrom(env, env.HARBOUR_MODE === 'distributed' ? 'distributed' : 'embedded'),
  });
  return {
    ...config,
    idempotencyFile: config.dataDir === ':memory:' ? ':memory:' : join(config.dataDir, 'idempotency.db'),
  };
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
