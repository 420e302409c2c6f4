import { generateKeyPairSync } from 'node:crypto';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { dataDirFrom } from '@harbour/event-store';
import { ConfigurationError, collectSettings, readOrCreateDevelopmentFile, wholeNumberSetting } from '@harbour/shared';
import { LedgerSigningKey, publicJwkOf, publicKeyOfJwk, type LedgerPublicKey } from './tree-head';

/** Where the ledger's signed tree heads also go, for a party outside Harbour to keep. */
export type WitnessSink =
  { readonly kind: 'none' } | { readonly kind: 'stdout' } | { readonly kind: 'file'; readonly path: string };

/** The ledger's tree, signing key and head policy. */
export interface LedgerConfig {
  /** `ledger.db` in the data directory, or `:memory:`. */
  readonly filename: string;
  /** Signs tree heads; undefined in distributed mode without `HARBOUR_LEDGER_SIGNING_KEY`. */
  readonly signingKey?: LedgerSigningKey;
  /** Every public key a head may name: the signing key's and the retired ones. */
  readonly publicKeys: readonly LedgerPublicKey[];
  /** Sign a head once the tree has grown by this many events... */
  readonly headEveryEvents: number;
  /** ...or this long after the last head, if it has grown at all. */
  readonly headIntervalMs: number;
  readonly witness: WitnessSink;
}

/** The file, under the data directory, that holds the embedded mode's ledger signing key. */
export const DEVELOPMENT_LEDGER_KEY_FILE = 'dev-ledger-key';

/**
 * - `HARBOUR_DATA_DIR`: the ledger's tree goes to `ledger.db` there, beside `events.db`.
 * - `HARBOUR_LEDGER_SIGNING_KEY` (or `_FILE`): an Ed25519 private key, PKCS#8 PEM
 *   (`openssl genpkey -algorithm ed25519`). In embedded mode, without it, a development key is
 *   generated in `<dataDir>/dev-ledger-key` (mode 0600), like the other development secrets.
 * - `HARBOUR_LEDGER_RETIRED_KEYS`: JSON array of retired public keys (JWKs as `GET /ledger/keys`
 *   serves them), so heads signed before a rotation still verify.
 * - `HARBOUR_LEDGER_HEAD_EVERY_EVENTS` (default 1000), `HARBOUR_LEDGER_HEAD_INTERVAL_MS` (default
 *   60000): sign a head once the tree has grown by that many events, or after that long if it grew.
 * - `HARBOUR_LEDGER_WITNESS`: `stdout`, or a file path that every head is appended to as a JSON
 *   line; unset, heads are only served.
 */
export function ledgerConfigFrom(env: Readonly<Record<string, string | undefined>>): LedgerConfig {
  const dataDir = dataDirFrom(env);
  const { signingKey, retired, headEveryEvents, headIntervalMs, witness } = collectSettings({
    signingKey: () => signingKeyFrom(env, dataDir),
    retired: () => retiredKeysFrom(env.HARBOUR_LEDGER_RETIRED_KEYS),
    headEveryEvents: () =>
      wholeNumberSetting(env, 'HARBOUR_LEDGER_HEAD_EVERY_EVENTS', {
        fallback: 1000,
        min: 1,
        max: 1_000_000_000,
        what: 'a whole number of events',
      }),
    headIntervalMs: () =>
      wholeNumberSetting(env, 'HARBOUR_LEDGER_HEAD_INTERVAL_MS', {
        fallback: 60_000,
        min: 10,
        max: 86_400_000,
        what: 'a whole number of milliseconds',
      }),
    witness: () => witnessFrom(env.HARBOUR_LEDGER_WITNESS),
  });
  const current = signingKey ? [publicJwkOf(signingKey.publicKey)] : [];
  return {
    filename: dataDir === ':memory:' ? ':memory:' : join(dataDir, 'ledger.db'),
    ...(signingKey ? { signingKey } : {}),
    publicKeys: [...current, ...retired.filter((key) => !current.some((c) => c.kid === key.kid))],
    headEveryEvents,
    headIntervalMs,
    witness,
  };
}

function signingKeyFrom(
  env: Readonly<Record<string, string | undefined>>,
  dataDir: string,
): LedgerSigningKey | undefined {
  const setting = 'HARBOUR_LEDGER_SIGNING_KEY';
  const value = env[setting];
  if (value !== undefined && value.trim() !== '') {
    try {
      return LedgerSigningKey.fromPem(value, setting);
    } catch {
      throw new ConfigurationError(
        setting,
        'must be an Ed25519 private key in PKCS#8 PEM (openssl genpkey -algorithm ed25519)',
      );
    }
  }
  if ((env.HARBOUR_MODE ?? 'embedded') !== 'embedded') return undefined;
  if (dataDir === ':memory:') {
    const { privateKey } = generateKeyPairSync('ed25519');
    return new LedgerSigningKey(privateKey, 'generated for this process', true);
  }
  return readOrCreateDevelopmentLedgerKey(dataDir);
}

/** The embedded mode's signing key from `<dataDir>/dev-ledger-key`, generated on first use. */
function readOrCreateDevelopmentLedgerKey(dataDir: string): LedgerSigningKey {
  const pem = readOrCreateDevelopmentFile(dataDir, DEVELOPMENT_LEDGER_KEY_FILE, () =>
    generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
  );
  const file = join(dataDir, DEVELOPMENT_LEDGER_KEY_FILE);
  try {
    return LedgerSigningKey.fromPem(pem, file, true);
  } catch {
    throw new ConfigurationError(
      'HARBOUR_DATA_DIR',
      `${file} is not an Ed25519 private key; delete it to generate one`,
    );
  }
}

function retiredKeysFrom(value: string | undefined): LedgerPublicKey[] {
  if (value === undefined || value.trim() === '') return [];
  const setting = 'HARBOUR_LEDGER_RETIRED_KEYS';
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    throw new ConfigurationError(setting, 'must be a JSON array of public keys as GET /ledger/keys serves them');
  }
  if (!Array.isArray(parsed)) throw new ConfigurationError(setting, 'must be a JSON array');
  return parsed.map((jwk: LedgerPublicKey, index) => {
    try {
      return publicJwkOf(publicKeyOfJwk(jwk));
    } catch {
      throw new ConfigurationError(setting, `entry ${index} is not an Ed25519 public key (OKP JWK)`);
    }
  });
}

function witnessFrom(value: string | undefined): WitnessSink {
  if (value === undefined) return { kind: 'none' };
  if (value === 'stdout') return { kind: 'stdout' };
  if (value.trim() === '' || !existsSync(dirname(resolve(value)))) {
    throw new ConfigurationError(
      'HARBOUR_LEDGER_WITNESS',
      `must be stdout or a file in an existing directory, not "${value}"`,
    );
  }
  return { kind: 'file', path: value };
}
