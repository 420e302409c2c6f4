import { spawnSync } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { ConfigurationError } from '@harbour/shared';
import {
  CONFIG_FUNCTIONS,
  REPO_ROOT,
  allSettingsRead,
  settingsInEnvExample,
  settingsNamedInSource,
  MASTER_KEY,
} from './support/settings';

/**
 * Configuration is read once at boot, by one function per app; these tests hold the settings they
 * read, `.env.example` and the refusals of bad values to one another.
 */

const SECRET = 'harbour-test-secret-harbour-test-secret-0123456789';
const MEMORY = { HARBOUR_DATA_DIR: ':memory:' };
const PG = { HARBOUR_READ_STORE: 'postgres', DATABASE_URL: 'postgres://harbour@pg/harbour' };

/** One bad value (or a missing required one) per kind, for every setting: [app, env, setting named]. */
const BAD: Array<[keyof typeof CONFIG_FUNCTIONS, Record<string, string>, string]> = [
  ['api', { HARBOUR_MODE: 'cluster' }, 'HARBOUR_MODE'],
  ['api', { HARBOUR_HOST: ' ' }, 'HARBOUR_HOST'],
  ['api', { HARBOUR_PORT: '70000' }, 'HARBOUR_PORT'],
  ['api', { HARBOUR_PORT: 'http' }, 'HARBOUR_PORT'],
  ['api', { HARBOUR_BODY_LIMIT_BYTES: '10' }, 'HARBOUR_BODY_LIMIT_BYTES'],
  ['api', { HARBOUR_PROBLEM_TYPE_BASE: 'harbour.example/problems/' }, 'HARBOUR_PROBLEM_TYPE_BASE'],
  ['api', { HARBOUR_PROBLEM_TYPE_BASE: 'https://harbour.example/problems' }, 'HARBOUR_PROBLEM_TYPE_BASE'],
  ['api', { HARBOUR_PROBLEM_TYPE_BASE: 'urn:harbour:problems/' }, 'HARBOUR_PROBLEM_TYPE_BASE'],
  ['api', { HARBOUR_CORS_ORIGINS: '*' }, 'HARBOUR_CORS_ORIGINS'],
  ['api', { HARBOUR_CORS_ORIGINS: 'https://harbour.example/app' }, 'HARBOUR_CORS_ORIGINS'],
  ['api', { HARBOUR_RATE_LIMIT_MAX: '0' }, 'HARBOUR_RATE_LIMIT_MAX'],
  ['api', { HARBOUR_RATE_LIMIT_WINDOW_MS: 'soon' }, 'HARBOUR_RATE_LIMIT_WINDOW_MS'],
  ['api', { HARBOUR_READ_RATE_LIMIT_MAX: '-1' }, 'HARBOUR_READ_RATE_LIMIT_MAX'],
  ['api', { HARBOUR_TRUST_PROXY: 'the load balancer' }, 'HARBOUR_TRUST_PROXY'],
  ['api', { HARBOUR_EVENT_STORE: 'kafka' }, 'HARBOUR_EVENT_STORE'],
  ['api', { HARBOUR_EVENT_STORE: 'esdb' }, 'EVENTSTORE_CONNECTION_STRING'],
  [
    'api',
    { HARBOUR_EVENT_STORE: 'esdb', EVENTSTORE_CONNECTION_STRING: 'http://esdb:2113' },
    'EVENTSTORE_CONNECTION_STRING',
  ],
  ['api', { HARBOUR_READ_STORE: 'mysql' }, 'HARBOUR_READ_STORE'],
  ['api', { HARBOUR_READ_STORE: 'postgres' }, 'DATABASE_URL'],
  ['api', { HARBOUR_READ_STORE: 'postgres', DATABASE_URL: 'mysql://db/harbour' }, 'DATABASE_URL'],
  ['api', { ...PG, HARBOUR_READ_STORE_SCHEMA: 'Read-Models' }, 'HARBOUR_READ_STORE_SCHEMA'],
  ['api', { ...PG, HARBOUR_READ_STORE_POOL_SIZE: '0' }, 'HARBOUR_READ_STORE_POOL_SIZE'],
  ['api', { HARBOUR_DATA_DIR: '' }, 'HARBOUR_DATA_DIR'],
  ['api', { HARBOUR_SQLITE_SYNCHRONOUS: 'OFF' }, 'HARBOUR_SQLITE_SYNCHRONOUS'],
  ['api', { HARBOUR_SQLITE_POLL_MS: '0' }, 'HARBOUR_SQLITE_POLL_MS'],
  ['api', { HARBOUR_EVENT_STORE_MAX_APPEND_BYTES: '1 MiB' }, 'HARBOUR_EVENT_STORE_MAX_APPEND_BYTES'],
  ['api', { HARBOUR_IDEMPOTENCY_STORE: 'redis' }, 'HARBOUR_IDEMPOTENCY_STORE'],
  ['api', { HARBOUR_JWT_SECRET_FILE: '/nonexistent/secret' }, 'HARBOUR_JWT_SECRET_FILE'],
  ['api', { HARBOUR_METRICS_TOKEN_FILE: '/nonexistent/secret' }, 'HARBOUR_METRICS_TOKEN_FILE'],
  ['api', { HARBOUR_MASTER_KEY_FILE: '/nonexistent/secret' }, 'HARBOUR_MASTER_KEY_FILE'],
  ['api', { DATABASE_URL_FILE: '/nonexistent/secret' }, 'DATABASE_URL_FILE'],
  ['api', { EVENTSTORE_CONNECTION_STRING_FILE: '/nonexistent/secret' }, 'EVENTSTORE_CONNECTION_STRING_FILE'],
  ['api', { HARBOUR_RATE_LIMIT_REDIS_URL_FILE: '/nonexistent/secret' }, 'HARBOUR_RATE_LIMIT_REDIS_URL_FILE'],
  ['cli', { HARBOUR_NEW_MASTER_KEY_FILE: '/nonexistent/secret' }, 'HARBOUR_NEW_MASTER_KEY_FILE'],
  ['api', { HARBOUR_RATE_LIMIT_REDIS_URL: 'localhost:6379' }, 'HARBOUR_RATE_LIMIT_REDIS_URL'],
  ['api', { HARBOUR_IDEMPOTENCY_STORE: 'postgres' }, 'HARBOUR_IDEMPOTENCY_STORE'],
  ['api', { HARBOUR_JWT_SECRET: 'too-short' }, 'HARBOUR_JWT_SECRET'],
  ['api', { HARBOUR_JWT_SECRET: SECRET, HARBOUR_JWKS_URL: 'https://idp.example/jwks' }, 'HARBOUR_JWT_SECRET'],
  ['api', { HARBOUR_MODE: 'distributed' }, 'HARBOUR_JWT_SECRET'],
  ['api', { HARBOUR_JWKS_URL: 'ftp://idp.example/jwks' }, 'HARBOUR_JWKS_URL'],
  ['api', { HARBOUR_JWT_ISSUER: ' harbour' }, 'HARBOUR_JWT_ISSUER'],
  ['api', { HARBOUR_JWT_AUDIENCE: '' }, 'HARBOUR_JWT_AUDIENCE'],
  ['api', { HARBOUR_JWT_MAX_LIFETIME_SECONDS: '10' }, 'HARBOUR_JWT_MAX_LIFETIME_SECONDS'],
  ['api', { HARBOUR_IN_CONTAINER: 'yes' }, 'HARBOUR_IN_CONTAINER'],
  [
    'api',
    { HARBOUR_IN_CONTAINER: 'true', HARBOUR_ALLOW_DEVELOPMENT_SECRETS: '1' },
    'HARBOUR_ALLOW_DEVELOPMENT_SECRETS',
  ],
  ['api', { HARBOUR_WORKFLOW_ROUTES: 'atlantis=nrm-pilot-2015' }, 'HARBOUR_WORKFLOW_ROUTES'],
  ['api', { HARBOUR_MIN_POSITION_WAIT_MS: '600000' }, 'HARBOUR_MIN_POSITION_WAIT_MS'],
  ['api', { HARBOUR_PROJECTOR: 'sideways' }, 'HARBOUR_PROJECTOR'],
  ['api', { HARBOUR_SCHEDULER_INTERVAL_MS: '1' }, 'HARBOUR_SCHEDULER_INTERVAL_MS'],
  ['api', { HARBOUR_SMTP_URL: 'mail.example:25' }, 'HARBOUR_SMTP_URL'],
  ['api', { HARBOUR_SMTP_URL: 'http://mail.example' }, 'HARBOUR_SMTP_URL'],
  ['api', { HARBOUR_LETTERS_FROM: 'decisions' }, 'HARBOUR_LETTERS_FROM'],
  ['api', { HARBOUR_LETTERS_INTERVAL_MS: '0' }, 'HARBOUR_LETTERS_INTERVAL_MS'],
  ['api', { HARBOUR_ORGANISATION_MAILBOXES: 'dorset-police' }, 'HARBOUR_ORGANISATION_MAILBOXES'],
  ['api', { HARBOUR_LOG_LEVEL: 'loud' }, 'HARBOUR_LOG_LEVEL'],
  ['api', { HARBOUR_LOG_FORMAT: 'colour' }, 'HARBOUR_LOG_FORMAT'],
  ['projector', { HARBOUR_LOG_FORMAT: 'text' }, 'HARBOUR_LOG_FORMAT'],
  ['api', { HARBOUR_METRICS_TOKEN: 'short' }, 'HARBOUR_METRICS_TOKEN'],
  [
    'api',
    { HARBOUR_MODE: 'distributed', HARBOUR_JWT_SECRET: SECRET, HARBOUR_MASTER_KEY: MASTER_KEY },
    'HARBOUR_METRICS_TOKEN',
  ],
  ['api', { HARBOUR_MODE: 'distributed', HARBOUR_JWT_SECRET: SECRET }, 'HARBOUR_MASTER_KEY'],
  ['api', { HARBOUR_MASTER_KEY: 'too-short' }, 'HARBOUR_MASTER_KEY'],
  ['api', { HARBOUR_KEY_STORE: 'vault' }, 'HARBOUR_KEY_STORE'],
  [
    'api',
    { HARBOUR_KEY_STORE: 'postgres', DATABASE_URL: 'postgres://k@pg/k', HARBOUR_KEY_STORE_SCHEMA: 'Keys!' },
    'HARBOUR_KEY_STORE_SCHEMA',
  ],
  ['api', { HARBOUR_RETENTION: 'forever' }, 'HARBOUR_RETENTION'],
  ['cli', { HARBOUR_NEW_MASTER_KEY: 'not-a-key' }, 'HARBOUR_NEW_MASTER_KEY'],
  ['api', { HARBOUR_READY_MAX_LAG: '-5' }, 'HARBOUR_READY_MAX_LAG'],
  ['api', { HARBOUR_SHUTDOWN_TIMEOUT_MS: '5' }, 'HARBOUR_SHUTDOWN_TIMEOUT_MS'],
  ['projector', { HARBOUR_PROJECTOR_BATCH_SIZE: '0' }, 'HARBOUR_PROJECTOR_BATCH_SIZE'],
  ['projector', { HARBOUR_PROJECTOR_STANDBY_RETRY_MS: '' }, 'HARBOUR_PROJECTOR_STANDBY_RETRY_MS'],
  ['projector', { HARBOUR_PROJECTOR_METRICS_PORT: '-1' }, 'HARBOUR_PROJECTOR_METRICS_PORT'],
  ['projector', { HARBOUR_HOST: '' }, 'HARBOUR_HOST'],
  ['projector', { HARBOUR_LOG_LEVEL: 'verbose' }, 'HARBOUR_LOG_LEVEL'],
  ['projector', { HARBOUR_EVENT_STORE: 'esdb' }, 'EVENTSTORE_CONNECTION_STRING'],
  ['cli', { HARBOUR_READ_STORE: 'postgres' }, 'DATABASE_URL'],
  ['cli', { HARBOUR_SQLITE_POLL_MS: 'often' }, 'HARBOUR_SQLITE_POLL_MS'],
  ['api', { HARBOUR_LEDGER_SIGNING_KEY: 'not a key' }, 'HARBOUR_LEDGER_SIGNING_KEY'],
  [
    'api',
    { HARBOUR_IN_CONTAINER: 'true', HARBOUR_JWT_SECRET: SECRET, HARBOUR_MASTER_KEY: MASTER_KEY },
    'HARBOUR_LEDGER_SIGNING_KEY',
  ],
  ['cli', { HARBOUR_LEDGER_SIGNING_KEY_FILE: '/nonexistent/secret' }, 'HARBOUR_LEDGER_SIGNING_KEY_FILE'],
  ['api', { HARBOUR_LEDGER_RETIRED_KEYS: '[{"kty":"RSA"}]' }, 'HARBOUR_LEDGER_RETIRED_KEYS'],
  ['api', { HARBOUR_LEDGER_HEAD_EVERY_EVENTS: '0' }, 'HARBOUR_LEDGER_HEAD_EVERY_EVENTS'],
  ['api', { HARBOUR_LEDGER_HEAD_INTERVAL_MS: 'hourly' }, 'HARBOUR_LEDGER_HEAD_INTERVAL_MS'],
  ['api', { HARBOUR_LEDGER_WITNESS: '/nonexistent/dir/heads.jsonl' }, 'HARBOUR_LEDGER_WITNESS'],
  ['api', { HARBOUR_KEY_POOL_SIZE: '0' }, 'HARBOUR_KEY_POOL_SIZE'],
  [
    'api',
    { HARBOUR_CONSOLE_OIDC_ISSUER: 'idp.example', HARBOUR_CONSOLE_OIDC_CLIENT_SECRET: SECRET },
    'HARBOUR_CONSOLE_OIDC_ISSUER',
  ],
  ['api', { HARBOUR_CONSOLE_OIDC_ISSUER: 'https://idp.example' }, 'HARBOUR_CONSOLE_OIDC_CLIENT_SECRET'],
  ['api', { HARBOUR_CONSOLE_OIDC_CLIENT_ID: 'harbour console' }, 'HARBOUR_CONSOLE_OIDC_CLIENT_ID'],
  ['api', { HARBOUR_CONSOLE_OIDC_PORT: '70000' }, 'HARBOUR_CONSOLE_OIDC_PORT'],
  ['api', { HARBOUR_CONSOLE_PUBLIC_URL: 'https://harbour.example/console' }, 'HARBOUR_CONSOLE_PUBLIC_URL'],
  ['api', { HARBOUR_CONSOLE_SECURE_COOKIES: 'yes' }, 'HARBOUR_CONSOLE_SECURE_COOKIES'],
  ['api', { HARBOUR_CONSOLE_IDLE_MINUTES: '0' }, 'HARBOUR_CONSOLE_IDLE_MINUTES'],
  ['api', { HARBOUR_CONSOLE_SESSION_HOURS: '48' }, 'HARBOUR_CONSOLE_SESSION_HOURS'],
];

describe('settings', () => {
  it('.env.example lists exactly the settings the configuration functions read', () => {
    expect(settingsInEnvExample()).toEqual(allSettingsRead());
  });

  it('no setting named in the source escapes the configuration functions', () => {
    // A name read somewhere else, or on a branch no scenario takes, would show up here.
    expect(settingsNamedInSource().filter((name) => !allSettingsRead().includes(name))).toEqual([]);
  });

  it('has a refusal below for every setting', () => {
    const refused = new Set(BAD.map(([, , setting]) => setting));
    expect(allSettingsRead().filter((name) => !refused.has(name))).toEqual([]);
  });

  it.each(BAD)('%s refuses %j, naming %s', (app, env, setting) => {
    const read = () => CONFIG_FUNCTIONS[app]({ ...MEMORY, ...env });
    expect(read).toThrow(expect.objectContaining({ name: 'ConfigurationError', setting }) as Error);
    // The first line naming a problem names this setting (a value may break others that depend on it).
    expect(read).toThrow(new RegExp(`^(\\d+ settings are wrong:\n  )?${setting}: `));
  });

  it('refuses with ConfigurationError or its security twin, both named ConfigurationError', () => {
    expect(() => CONFIG_FUNCTIONS.api({ HARBOUR_PORT: 'x' })).toThrow(ConfigurationError);
  });

  it('names every bad setting at once, in one error, a line each', () => {
    const read = () =>
      CONFIG_FUNCTIONS.api({
        ...MEMORY,
        HARBOUR_PORT: '',
        HARBOUR_SQLITE_POLL_MS: '3e3',
        HARBOUR_JWT_ISSUER: ' harbour',
        HARBOUR_RATE_LIMIT_MAX: '0x10',
        HARBOUR_LOG_LEVEL: 'loud',
      });
    expect(read).toThrow(
      expect.objectContaining({
        name: 'ConfigurationError',
        setting: 'HARBOUR_PORT',
        problems: [
          'HARBOUR_PORT',
          'HARBOUR_JWT_ISSUER',
          'HARBOUR_SQLITE_POLL_MS',
          'HARBOUR_LOG_LEVEL',
          'HARBOUR_RATE_LIMIT_MAX',
        ].map((setting) => expect.objectContaining({ setting })),
      }) as Error,
    );
    expect(read).toThrow(/^5 settings are wrong:\n {2}HARBOUR_PORT: must be a port number from 0 to 65535, not ""\n/);
  });

  it('names every bad security setting too, not only the first', () => {
    const read = () =>
      CONFIG_FUNCTIONS.api({
        ...MEMORY,
        HARBOUR_JWT_SECRET: 'too-short',
        HARBOUR_JWT_ISSUER: ' harbour',
        HARBOUR_JWT_MAX_LIFETIME_SECONDS: '0x3c',
        HARBOUR_PORT: 'http',
      });
    expect(read).toThrow(
      expect.objectContaining({
        problems: ['HARBOUR_PORT', 'HARBOUR_JWT_SECRET', 'HARBOUR_JWT_ISSUER', 'HARBOUR_JWT_MAX_LIFETIME_SECONDS'].map(
          (setting) => expect.objectContaining({ setting }),
        ),
      }) as Error,
    );
    expect(read).toThrow(/^4 settings are wrong:\n/);
  });
});

/** Every whole-number setting, with a value it takes: [app, setting, value, other settings it needs]. */
const NUMBERS: Array<[keyof typeof CONFIG_FUNCTIONS, string, number, Record<string, string>]> = [
  ['api', 'HARBOUR_PORT', 3000, {}],
  ['api', 'HARBOUR_BODY_LIMIT_BYTES', 4096, {}],
  ['api', 'HARBOUR_MIN_POSITION_WAIT_MS', 100, {}],
  ['api', 'HARBOUR_SCHEDULER_INTERVAL_MS', 100, {}],
  ['api', 'HARBOUR_SQLITE_POLL_MS', 100, {}],
  ['api', 'HARBOUR_READ_STORE_POOL_SIZE', 10, PG],
  ['api', 'HARBOUR_RATE_LIMIT_MAX', 100, {}],
  ['api', 'HARBOUR_RATE_LIMIT_WINDOW_MS', 1000, {}],
  ['api', 'HARBOUR_READY_MAX_LAG', 100, {}],
  ['api', 'HARBOUR_SHUTDOWN_TIMEOUT_MS', 1000, {}],
  ['api', 'HARBOUR_JWT_MAX_LIFETIME_SECONDS', 3600, {}],
  ['api', 'HARBOUR_KEY_POOL_SIZE', 64, {}],
  ['projector', 'HARBOUR_PROJECTOR_BATCH_SIZE', 100, {}],
  ['projector', 'HARBOUR_PROJECTOR_STANDBY_RETRY_MS', 100, {}],
  ['projector', 'HARBOUR_PROJECTOR_METRICS_PORT', 9464, {}],
];

describe('number settings', () => {
  it.each(NUMBERS)('%s takes %s=%d written plainly', (app, setting, value, env) => {
    expect(() => CONFIG_FUNCTIONS[app]({ ...MEMORY, ...env, [setting]: String(value) })).not.toThrow();
  });

  // Each of these is the same number to Number(); none is what someone meant to type.
  it.each(NUMBERS)('%s refuses %s=%d written any other way, or empty', (app, setting, value, env) => {
    for (const raw of [`0x${value.toString(16)}`, `${value}e0`, `${value}.0`, ` ${value}`, `+${value}`, '']) {
      let refusal: string | undefined;
      try {
        CONFIG_FUNCTIONS[app]({ ...MEMORY, ...env, [setting]: raw });
      } catch (error) {
        refusal = (error as Error).message;
      }
      expect({ raw, refusal }).toEqual({ raw, refusal: expect.stringMatching(new RegExp(`^${setting}: must be `)) });
    }
  });
});

describe('start-up with a bad setting', () => {
  /** Runs an app's entry point as `npm start` and friends do; only PATH and `env` are passed. */
  function run(entry: string, env: Record<string, string>, args: string[] = []) {
    return spawnSync(process.execPath, ['-r', '@swc-node/register', entry, ...args], {
      cwd: REPO_ROOT,
      env: { PATH: process.env.PATH ?? '', ...env },
      encoding: 'utf8',
      timeout: 60_000,
    });
  }

  it.each([
    ['the API', 'apps/api/src/main.ts', { HARBOUR_PORT: 'eighty' }, [], /^Harbour cannot start: HARBOUR_PORT: /],
    [
      'the API in distributed mode without a metrics token',
      'apps/api/src/main.ts',
      { HARBOUR_MODE: 'distributed', HARBOUR_JWT_SECRET: SECRET, HARBOUR_MASTER_KEY: MASTER_KEY },
      [],
      /^Harbour cannot start: HARBOUR_METRICS_TOKEN: is required when HARBOUR_MODE=distributed/,
    ],
    [
      'the projector',
      'apps/projector/src/main.ts',
      { HARBOUR_PROJECTOR_BATCH_SIZE: 'lots' },
      [],
      /^Harbour projector cannot start: HARBOUR_PROJECTOR_BATCH_SIZE: /,
    ],
    [
      'the CLI',
      'apps/cli/src/main.ts',
      { HARBOUR_READ_STORE: 'postgres' },
      ['projections', 'status'],
      /^harbour cannot start: DATABASE_URL: is required/,
    ],
  ])('stops %s with exit 78 and a message naming the setting', (_name, entry, env, args, message) => {
    const result = run(entry, { ...MEMORY, ...env }, args);
    expect({ status: result.status, stderr: result.stderr }).toEqual({
      status: 78,
      stderr: expect.stringMatching(message),
    });
  });
  it('stops the API naming every bad setting, a line each', () => {
    const result = run('apps/api/src/main.ts', {
      ...MEMORY,
      HARBOUR_PORT: '',
      HARBOUR_LOG_LEVEL: 'loud',
      HARBOUR_READY_MAX_LAG: '1e3',
    });
    expect({ status: result.status, stdout: result.stdout, stderr: result.stderr }).toEqual({
      status: 78,
      stdout: '',
      stderr:
        'Harbour cannot start: 3 settings are wrong:\n' +
        '  HARBOUR_PORT: must be a port number from 0 to 65535, not ""\n' +
        '  HARBOUR_LOG_LEVEL: must be one of fatal, error, warn, info, debug, trace, silent, not "loud"\n' +
        '  HARBOUR_READY_MAX_LAG: must be a whole number from 0 to 9007199254740991, not "1e3"\n',
    });
  });

  it('stops the API with one line naming HARBOUR_PORT when the port is in use', async () => {
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen({ host: '127.0.0.1', port: 0 }, resolve));
    const { port } = holder.address() as AddressInfo;
    try {
      const result = run('apps/api/src/main.ts', { ...MEMORY, HARBOUR_PORT: String(port) });
      expect({ status: result.status, stdout: result.stdout, stderr: result.stderr }).toEqual({
        status: 78,
        stdout: '',
        stderr: `Harbour cannot start: HARBOUR_PORT: ${port} is already in use on 127.0.0.1 (another Harbour still running?); choose a free port\n`,
      });
    } finally {
      holder.close();
    }
  });
});
