import { createCipheriv, createDecipheriv, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * AES-256-GCM for personal data, from node:crypto alone. Two uses:
 *
 * - **Field values** under a subject's data key: `enc:v1:<keyId>:<base64url(iv | ciphertext | tag)>`,
 *   a JSON string wherever the value sits, whatever its JSON type (the JSON text of the value is
 *   what is encrypted, so a decrypted object comes back an object). The additional authenticated
 *   data names the place the value belongs to (stream, event type, field), so a ciphertext copied
 *   into another field or stream no longer decrypts.
 * - **Data keys** wrapped under the master key, bound to their subject the same way (a key made
 *   before pooling, whose key id is the subject id) or to their key id (a pooled key, made ahead
 *   of use before any subject is known).
 *
 * Every encryption draws a fresh random 96-bit IV: with random IVs one key may safely encrypt
 * about 2^32 values, far above what one person's case file holds.
 */

/** What every encrypted field value starts with. */
export const CIPHERTEXT_PREFIX = 'enc:v1:';

/** What a reader shows where personal data was, once its key has been destroyed. */
export const ERASED = '[erased]';

const ALGORITHM = 'aes-256-gcm';
const IV_BYTES = 12;
const TAG_BYTES = 16;
/** AES-256: every key, master or data, is this long. */
export const KEY_BYTES = 32;

const CIPHERTEXT = /^enc:v1:([A-Za-z0-9-]{1,64}):([A-Za-z0-9_-]+)$/;

/** Whether `value` is a field value this module encrypted. */
export function isCiphertext(value: unknown): value is string {
  return typeof value === 'string' && CIPHERTEXT.test(value);
}

/** The key id a ciphertext names, or undefined for anything else. */
export function keyIdOf(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  return CIPHERTEXT.exec(value)?.[1];
}

/** Where an encrypted value belongs: what its additional authenticated data binds it to. */
export interface FieldPlace {
  readonly stream: string;
  readonly eventType: string;
  /** The field's JSON pointer as the schema marks it (`/dissent/` + `*` + `/reason` for every element). */
  readonly pointer: string;
}

function fieldAad(place: FieldPlace): Buffer {
  return Buffer.from(`harbour-personal-data:v1\n${place.stream}\n${place.eventType}\n${place.pointer}`, 'utf8');
}

/** Encrypts the JSON text of `value` under `key` for `place`. */
export function encryptValue(value: unknown, key: Buffer, keyId: string, place: FieldPlace): string {
  if (!/^[A-Za-z0-9-]{1,64}$/.test(keyId)) throw new Error('A key id is 1 to 64 letters, digits or hyphens');
  return `${CIPHERTEXT_PREFIX}${keyId}:${seal(Buffer.from(JSON.stringify(value), 'utf8'), key, fieldAad(place)).toString('base64url')}`;
}

/**
 * Decrypts a value {@link encryptValue} produced for the same place.
 * @throws when the key, the place or a single bit of the text is wrong (GCM authenticates all three).
 */
export function decryptValue(text: string, key: Buffer, place: FieldPlace): unknown {
  const match = CIPHERTEXT.exec(text);
  if (!match) throw new Error('Not an encrypted value');
  const plain = open(Buffer.from(match[2], 'base64url'), key, fieldAad(place));
  return JSON.parse(plain.toString('utf8')) as unknown;
}

function keyAad(subjectId: string): Buffer {
  return Buffer.from(`harbour-data-key:v1\n${subjectId}`, 'utf8');
}

/** A data key wrapped under the master key, bound to its subject. */
export function wrapKey(dataKey: Buffer, master: Buffer, subjectId: string): Buffer {
  return seal(dataKey, master, keyAad(subjectId));
}

/** The data key inside `wrapped`. @throws when the master key or subject is not the one it was wrapped with. */
export function unwrapKey(wrapped: Buffer, master: Buffer, subjectId: string): Buffer {
  const key = open(wrapped, master, keyAad(subjectId));
  if (key.length !== KEY_BYTES) throw new Error('A wrapped data key is not 32 bytes long');
  return key;
}

function pooledKeyAad(keyId: string): Buffer {
  return Buffer.from(`harbour-pooled-key:v1\n${keyId}`, 'utf8');
}

/** A pooled data key wrapped under the master key, bound to its key id (it has no subject yet). */
export function wrapPooledKey(dataKey: Buffer, master: Buffer, keyId: string): Buffer {
  return seal(dataKey, master, pooledKeyAad(keyId));
}

/** The data key inside a pooled key's wrapping. @throws when the master key or key id is not its own. */
export function unwrapPooledKey(wrapped: Buffer, master: Buffer, keyId: string): Buffer {
  const key = open(wrapped, master, pooledKeyAad(keyId));
  if (key.length !== KEY_BYTES) throw new Error('A wrapped data key is not 32 bytes long');
  return key;
}

/** A fresh random data key. */
export function newDataKey(): Buffer {
  return randomBytes(KEY_BYTES);
}

/**
 * The key check value of a master key: an HMAC of a fixed text, stored beside the wrapped keys so
 * start-up can tell a wrong master key from a right one without decrypting anything. One-way: it
 * reveals nothing of the key. Also serves as the master key's id (which key wrapped a data key).
 */
export function keyCheckValue(master: Buffer): string {
  return createHmac('sha256', master).update('harbour master key check value v1').digest('hex').slice(0, 32);
}

/** Compares two key check values in constant time. */
export function sameKeyCheckValue(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}

function seal(plain: Buffer, key: Buffer, aad: Buffer): Buffer {
  if (key.length !== KEY_BYTES) throw new Error('An AES-256 key is 32 bytes long');
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(aad);
  const body = Buffer.concat([cipher.update(plain), cipher.final()]);
  return Buffer.concat([iv, body, cipher.getAuthTag()]);
}

function open(sealed: Buffer, key: Buffer, aad: Buffer): Buffer {
  if (key.length !== KEY_BYTES) throw new Error('An AES-256 key is 32 bytes long');
  if (sealed.length < IV_BYTES + TAG_BYTES) throw new Error('The encrypted text is too short');
  const iv = sealed.subarray(0, IV_BYTES);
  const tag = sealed.subarray(sealed.length - TAG_BYTES);
  const decipher = createDecipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
  decipher.setAAD(aad);
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(sealed.subarray(IV_BYTES, sealed.length - TAG_BYTES)), decipher.final()]);
}
