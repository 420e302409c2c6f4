import { randomBytes } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigurationError } from './settings';

/**
 * The settings that carry secrets (a password inside a URL counts). Each may instead be given as
 * `<NAME>_FILE`, the path of a file holding the value (a Docker or Kubernetes secret mounted
 * read-only), so that it never sits in the environment, where `docker inspect` and crash dumps
 * show it.
 */
export const SECRET_SETTINGS = [
  'HARBOUR_JWT_SECRET',
  'HARBOUR_METRICS_TOKEN',
  'HARBOUR_MASTER_KEY',
  'HARBOUR_NEW_MASTER_KEY',
  'DATABASE_URL',
  'EVENTSTORE_CONNECTION_STRING',
  'HARBOUR_RATE_LIMIT_REDIS_URL',
  'HARBOUR_LEDGER_SIGNING_KEY',
] as const;

type Env = Readonly<Record<string, string | undefined>>;

/**
 * The environment with every `<NAME>_FILE` of a secret setting read into `<NAME>` (one trailing
 * newline dropped). Setting both, or naming a file that cannot be read or is empty, stops start-up
 * with a `ConfigurationError` naming `<NAME>_FILE`; the value itself is never in a message.
 */
export function withSecretFiles(env: Env): Env {
  const fromFiles: Record<string, string> = {};
  for (const name of SECRET_SETTINGS) {
    const setting = `${name}_FILE`;
    const file = env[setting];
    if (file === undefined) continue;
    if (env[name] !== undefined) throw new ConfigurationError(setting, `set ${name} or ${setting}, not both`);
    let value: string;
    try {
      value = readFileSync(file, 'utf8').replace(/\r?\n$/, '');
    } catch (error) {
      throw new ConfigurationError(
        setting,
        `cannot read "${file}" (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
      );
    }
    if (value.trim() === '') throw new ConfigurationError(setting, `"${file}" is empty`);
    fromFiles[name] = value;
  }
  if (Object.keys(fromFiles).length === 0) return env;
  return new Proxy(env, {
    get: (target, key) => (typeof key === 'string' && key in fromFiles ? fromFiles[key] : Reflect.get(target, key)),
  });
}

/**
 * A development secret's file under the data directory (`dev-master-key`, `dev-ledger-key`), made
 * with `make()` on first use: written beside the target (mode 0600) and hard-linked into place, so
 * two processes starting at once agree on one. Refused when other users may read it.
 * @throws ConfigurationError naming HARBOUR_DATA_DIR.
 */
export function readOrCreateDevelopmentFile(dataDir: string, name: string, make: () => string): string {
  const file = join(dataDir, name);
  if (!existsSync(file)) {
    try {
      mkdirSync(dataDir, { recursive: true });
      const staging = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
      writeFileSync(staging, make(), { mode: 0o600, flag: 'wx' });
      try {
        linkSync(staging, file);
      } catch (error) {
        if ((error as { code?: string }).code !== 'EEXIST') throw error;
      } finally {
        unlinkSync(staging);
      }
    } catch (error) {
      throw new ConfigurationError('HARBOUR_DATA_DIR', `cannot create ${file}: ${(error as Error).message}`);
    }
  }
  if (process.platform !== 'win32' && (statSync(file).mode & 0o077) !== 0) {
    throw new ConfigurationError('HARBOUR_DATA_DIR', `${file} is readable by other users; run chmod 600 on it`);
  }
  return readFileSync(file, 'utf8');
}
