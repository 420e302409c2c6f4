import { randomBytes } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SecretBytes } from './secret-bytes';
import { SecurityConfigurationError } from './security-configuration.error';

/** The file, under the data directory, that holds the embedded mode's HS256 secret. */
export const DEVELOPMENT_SECRET_FILE = 'dev-jwt-secret';

/** Shortest HS256 secret accepted anywhere: RFC 7518 §3.2 wants a key as long as the hash. */
export const MIN_SECRET_BYTES = 32;

/**
 * Reads the embedded mode's HS256 secret from `<dataDir>/dev-jwt-secret`, generating it (32 random
 * bytes, base64url, mode 0600) on first use, so the server and `npm run token` agree on a fresh
 * clone with no setup. The file's text, UTF-8 encoded, is the key, as with `HARBOUR_JWT_SECRET`.
 */
export function readOrCreateDevelopmentSecret(dataDir: string): {
  secret: SecretBytes;
  file: string;
  created: boolean;
} {
  const file = join(dataDir, DEVELOPMENT_SECRET_FILE);
  const created = !existsSync(file);
  if (created) {
    try {
      mkdirSync(dataDir, { recursive: true });
      createIfMissing(file);
    } catch (error) {
      throw new SecurityConfigurationError('HARBOUR_DATA_DIR', `cannot create ${file}: ${describe(error)}`);
    }
  }

  let text: string;
  try {
    refuseIfShared(file);
    text = readFileSync(file, 'utf8').trim();
  } catch (error) {
    if (error instanceof SecurityConfigurationError) throw error;
    throw new SecurityConfigurationError('HARBOUR_DATA_DIR', `cannot read ${file}: ${describe(error)}`);
  }
  const secret = new TextEncoder().encode(text);
  if (secret.length < MIN_SECRET_BYTES) {
    throw new SecurityConfigurationError(
      'HARBOUR_JWT_SECRET',
      `the development secret in ${file} is shorter than ${MIN_SECRET_BYTES} bytes; delete the file to generate a new one`,
    );
  }
  return { secret: new SecretBytes(secret), file, created };
}

function createIfMissing(file: string): void {
  // Written beside the target and hard-linked into place: the link either appears whole or fails
  // with EEXIST, so two processes starting at once never read a half-written secret and the
  // loser of the race simply uses the winner's file.
  const staging = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  writeFileSync(staging, `${randomBytes(MIN_SECRET_BYTES).toString('base64url')}\n`, { mode: 0o600, flag: 'wx' });
  try {
    linkSync(staging, file);
  } catch (error) {
    if (errnoOf(error) !== 'EEXIST') throw error;
  } finally {
    unlinkSync(staging);
  }
}

function refuseIfShared(file: string): void {
  // POSIX permissions mean nothing on Windows, where Node reports 0o666 for every file.
  if (process.platform === 'win32') return;
  const mode = statSync(file).mode & 0o777;
  if ((mode & 0o077) !== 0) {
    throw new SecurityConfigurationError(
      'HARBOUR_DATA_DIR',
      `${file} is readable by other users (mode ${mode.toString(8).padStart(4, '0')}); run chmod 600 on it`,
    );
  }
}

// Duck-typed rather than `instanceof Error`: errors from Node's core can come from another realm
// (Jest's sandbox, vm contexts), where `instanceof` is false.
function errnoOf(error: unknown): unknown {
  return typeof error === 'object' && error !== null && 'code' in error ? error.code : undefined;
}

function describe(error: unknown): string {
  return typeof error === 'object' && error !== null && 'message' in error ? String(error.message) : String(error);
}
