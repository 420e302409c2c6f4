import { createHash, createHmac, hkdfSync, randomUUID } from 'node:crypto';

/**
 * A UUID (version 8, "custom") derived from a name: the same name always gives the same id. Used
 * so that a retried command produces the same command, case and event ids, which the event store
 * then recognises as the same append.
 */
export function uuidFromName(name: string): string {
  return uuidFromDigest(createHash('sha256').update(name).digest());
}

export function newId(): string {
  return randomUUID();
}

/** DI token of the {@link KeyedIds}. */
export const KEYED_IDS = Symbol('KEYED_IDS');

/**
 * Ids that outsiders must not be able to work out: case and subject ids, which a URL carries and
 * which an unscoped caller could otherwise compute from a user id and an Idempotency-Key and try.
 * The same name still gives the same id (a retry names the same case), but only to someone holding
 * the key: an HMAC-SHA-256 under a key derived (HKDF) from the master key, which every replica has.
 */
export class KeyedIds {
  readonly #key: Buffer;

  constructor(masterKey: Uint8Array) {
    this.#key = Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), 'harbour keyed ids v1', 32));
  }

  /** The id of `name`: a version 8 UUID, unguessable without the master key. */
  idFor(name: string): string {
    return uuidFromDigest(createHmac('sha256', this.#key).update(name).digest());
  }
}

function uuidFromDigest(digest: Buffer): string {
  const hex = digest.toString('hex').slice(0, 32).split('');
  hex[12] = '8';
  hex[16] = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  const h = hex.join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}
