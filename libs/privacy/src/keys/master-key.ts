import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { ConfigurationError, readOrCreateDevelopmentFile } from '@harbour/shared';
import { KEY_BYTES } from '../crypto/personal-data.cipher';

/** The file, under the data directory, that holds the embedded mode's master key. */
export const DEVELOPMENT_MASTER_KEY_FILE = 'dev-master-key';

/**
 * The master key: wraps every data key. Prints as `[redacted]` however it is logged; only
 * {@link MasterKey.bytes} hands out the key.
 */
export class MasterKey {
  readonly #bytes: Buffer;

  constructor(
    bytes: Uint8Array,
    /** Where it came from, for messages: the setting or the file (never the key). */
    readonly source: string,
    /** Made up for development (a `dev-master-key` file beside the data), not given by an operator. */
    readonly development = false,
  ) {
    if (bytes.length !== KEY_BYTES) throw new Error('A master key is 32 bytes long');
    this.#bytes = Buffer.from(bytes);
  }

  bytes(): Buffer {
    return Buffer.from(this.#bytes);
  }

  toJSON(): string {
    return '[redacted]';
  }

  toString(): string {
    return '[redacted]';
  }

  [inspect.custom](): string {
    return `MasterKey [redacted] (${this.source})`;
  }
}

/**
 * Decodes a master key given as base64 (standard or URL-safe) of exactly 32 bytes.
 * @throws ConfigurationError naming `setting` for anything else (never echoing the value).
 */
export function decodeMasterKey(text: string, setting: string): MasterKey {
  const trimmed = text.trim();
  const bytes = /^[A-Za-z0-9+/_-]+={0,2}$/.test(trimmed) ? Buffer.from(trimmed, 'base64') : Buffer.alloc(0);
  if (bytes.length !== KEY_BYTES) {
    throw new ConfigurationError(
      setting,
      `must be ${KEY_BYTES} random bytes, base64-encoded (e.g. the output of: openssl rand -base64 32)`,
    );
  }
  return new MasterKey(bytes, setting);
}

/**
 * The embedded mode's master key from `<dataDir>/dev-master-key`, generated (32 random bytes,
 * base64, mode 0600) on first use, as `dev-jwt-secret` is. For development only: whoever can read
 * the data directory can read the personal data.
 */
export function readOrCreateDevelopmentMasterKey(dataDir: string): MasterKey {
  const file = join(dataDir, DEVELOPMENT_MASTER_KEY_FILE);
  const text = readOrCreateDevelopmentFile(
    dataDir,
    DEVELOPMENT_MASTER_KEY_FILE,
    () => `${randomBytes(KEY_BYTES).toString('base64')}\n`,
  );
  const key = decodeMasterKey(text, 'HARBOUR_MASTER_KEY');
  return new MasterKey(key.bytes(), file, true);
}
