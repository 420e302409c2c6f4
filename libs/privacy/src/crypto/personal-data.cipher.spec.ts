import { randomBytes } from 'node:crypto';
import {
  decryptValue,
  encryptValue,
  isCiphertext,
  keyCheckValue,
  keyIdOf,
  unwrapKey,
  wrapKey,
  type FieldPlace,
} from './personal-data.cipher';

describe('personal data cipher', () => {
  const key = randomBytes(32);
  const place: FieldPlace = { stream: 'case-1', eventType: 'ReferralRaised', pointer: '/subject/name' };

  it('round-trips any JSON value and keeps its type', () => {
    for (const value of ['Synthetic Person', ['a', 'b'], { phone: '07700 900000', safeToPost: true }, 42, false]) {
      const sut = encryptValue(value, key, 'subject-1', place);
      expect(isCiphertext(sut)).toBe(true);
      expect(keyIdOf(sut)).toBe('subject-1');
      expect(sut).not.toContain('Synthetic');
      expect(decryptValue(sut, key, place)).toEqual(value);
    }
  });

  it('draws a fresh IV each time: the same value never encrypts the same', () => {
    expect(encryptValue('x', key, 'k', place)).not.toBe(encryptValue('x', key, 'k', place));
  });

  it('refuses a ciphertext moved to another field, event type or stream, or under another key', () => {
    const sut = encryptValue('secret', key, 'k', place);
    expect(() => decryptValue(sut, key, { ...place, pointer: '/account' })).toThrow();
    expect(() => decryptValue(sut, key, { ...place, eventType: 'CaseClosed' })).toThrow();
    expect(() => decryptValue(sut, key, { ...place, stream: 'case-2' })).toThrow();
    expect(() => decryptValue(sut, randomBytes(32), place)).toThrow();
  });

  it('refuses a ciphertext with one bit changed', () => {
    const sut = encryptValue('secret', key, 'k', place);
    const body = Buffer.from(sut.split(':')[3], 'base64url');
    body[14] ^= 1;
    expect(() => decryptValue(`enc:v1:k:${body.toString('base64url')}`, key, place)).toThrow();
  });

  it('wraps a data key for one subject under the master key', () => {
    const master = randomBytes(32);
    const wrapped = wrapKey(key, master, 'subject-1');
    expect(unwrapKey(wrapped, master, 'subject-1')).toEqual(key);
    expect(() => unwrapKey(wrapped, master, 'subject-2')).toThrow();
    expect(() => unwrapKey(wrapped, randomBytes(32), 'subject-1')).toThrow();
  });

  it('checks a master key without revealing it', () => {
    const master = randomBytes(32);
    expect(keyCheckValue(master)).toBe(keyCheckValue(Buffer.from(master)));
    expect(keyCheckValue(master)).not.toBe(keyCheckValue(randomBytes(32)));
    expect(keyCheckValue(master)).not.toContain(master.toString('hex').slice(0, 8));
  });
});
