import { createHash, createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { canonicalJson } from '../chain/canonical-json';

/** The format name every signed tree head carries. */
export const TREE_HEAD_FORMAT = 'harbour-tree-head';

/**
 * A signed tree head: the ledger's commitment, at a time, to the first `treeSize` events of the
 * global log (their Merkle root), signed with Ed25519 by key `keyId`.
 */
export interface SignedTreeHead {
  readonly format: typeof TREE_HEAD_FORMAT;
  readonly version: 1;
  readonly treeSize: number;
  /** The RFC 9162 root hash of the first `treeSize` leaves, hex. */
  readonly rootHash: string;
  /** When it was signed (ISO 8601). */
  readonly timestamp: string;
  readonly keyId: string;
  /** Ed25519 over {@link treeHeadMessage}, base64url. */
  readonly signature: string;
}

/** A public key as served (`GET /ledger/keys`): an RFC 8037 OKP JSON Web Key with its id. */
export interface LedgerPublicKey {
  readonly kty: 'OKP';
  readonly crv: 'Ed25519';
  readonly kid: string;
  /** The raw 32-byte public key, base64url. */
  readonly x: string;
}

/**
 * The bytes a head's signature covers: a context line, then the canonical JSON (RFC 8785) of the
 * head's other fields. The context line keeps a head signature from being taken for any other
 * signature made with the same key.
 */
export function treeHeadMessage(head: Omit<SignedTreeHead, 'signature'>): Buffer {
  const { format, version, treeSize, rootHash, timestamp, keyId } = head;
  return Buffer.from(
    `harbour-tree-head:v1\n${canonicalJson({ format, version, treeSize, rootHash, timestamp, keyId })}`,
    'utf8',
  );
}

/** The id of a public key: the first 16 hex digits of SHA-256 over its raw 32 bytes. */
export function keyIdOf(publicKey: KeyObject): string {
  return createHash('sha256').update(rawPublicKey(publicKey)).digest('hex').slice(0, 16);
}

function rawPublicKey(publicKey: KeyObject): Buffer {
  const jwk = publicKey.export({ format: 'jwk' });
  return Buffer.from(String(jwk.x), 'base64url');
}

/** The JSON Web Key of an Ed25519 public key. */
export function publicJwkOf(publicKey: KeyObject): LedgerPublicKey {
  return { kty: 'OKP', crv: 'Ed25519', kid: keyIdOf(publicKey), x: rawPublicKey(publicKey).toString('base64url') };
}

/** The key a JWK describes. @throws when it is not an Ed25519 public key. */
export function publicKeyOfJwk(jwk: LedgerPublicKey): KeyObject {
  if (jwk.kty !== 'OKP' || jwk.crv !== 'Ed25519' || typeof jwk.x !== 'string') {
    throw new Error('not an Ed25519 public key (OKP JWK)');
  }
  return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: jwk.x }, format: 'jwk' });
}

/** The ledger's signing key: signs heads, names itself by key id. */
export class LedgerSigningKey {
  readonly publicKey: KeyObject;
  readonly keyId: string;

  constructor(
    private readonly privateKey: KeyObject,
    /** Where it came from, for messages (a setting's name or a file). */
    readonly source: string,
    /** Generated for embedded development use. */
    readonly development = false,
  ) {
    if (privateKey.asymmetricKeyType !== 'ed25519') throw new Error(`${source} is not an Ed25519 private key`);
    this.publicKey = createPublicKey(privateKey);
    this.keyId = keyIdOf(this.publicKey);
  }

  /** From PKCS#8 PEM (`openssl genpkey -algorithm ed25519`). @throws when it is not one. */
  static fromPem(pem: string, source: string, development = false): LedgerSigningKey {
    return new LedgerSigningKey(createPrivateKey({ key: pem, format: 'pem' }), source, development);
  }

  /** Signs a head for `treeSize` leaves with root `rootHash` at `at`. */
  sign(treeSize: number, rootHash: Buffer, at: Date): SignedTreeHead {
    const head: Omit<SignedTreeHead, 'signature'> = {
      format: TREE_HEAD_FORMAT,
      version: 1,
      treeSize,
      rootHash: rootHash.toString('hex'),
      timestamp: at.toISOString(),
      keyId: this.keyId,
    };
    return { ...head, signature: sign(null, treeHeadMessage(head), this.privateKey).toString('base64url') };
  }

  toString(): string {
    return `[ledger signing key ${this.keyId}]`;
  }

  toJSON(): string {
    return this.toString();
  }
}

/**
 * Why a head does not verify against these public keys, or undefined when it does: its shape, an
 * unknown key id, or a signature that does not match.
 */
export function treeHeadProblem(head: unknown, keys: readonly LedgerPublicKey[]): string | undefined {
  if (typeof head !== 'object' || head === null) return 'the head is not a JSON object';
  const h = head as Record<string, unknown>;
  if (h.format !== TREE_HEAD_FORMAT || h.version !== 1) return 'the head is not a Harbour tree head (version 1)';
  if (!Number.isSafeInteger(h.treeSize) || (h.treeSize as number) < 0) return 'the head has no valid treeSize';
  if (typeof h.rootHash !== 'string' || !/^[0-9a-f]{64}$/.test(h.rootHash)) return 'the head has no valid rootHash';
  if (typeof h.timestamp !== 'string' || Number.isNaN(Date.parse(h.timestamp)))
    return 'the head has no valid timestamp';
  if (typeof h.signature !== 'string') return 'the head has no signature';
  const key = keys.find((candidate) => candidate.kid === h.keyId);
  if (!key) return `the head was signed by key ${String(h.keyId)}, which is not among the keys given`;
  let ok: boolean;
  try {
    ok = verify(
      null,
      treeHeadMessage(h as unknown as SignedTreeHead),
      publicKeyOfJwk(key),
      Buffer.from(h.signature, 'base64url'),
    );
  } catch {
    ok = false;
  }
  return ok ? undefined : `the head's signature does not verify with key ${key.kid}: the head was altered or forged`;
}
