import { inspect } from 'node:util';
import { SecretBytes } from './secret-bytes';

describe('SecretBytes', () => {
  const key = new TextEncoder().encode('correct horse battery staple, twice');

  it('hands out a copy of the key, never the original', () => {
    const sut = new SecretBytes(key);
    const copy = sut.bytes();
    copy.fill(0);

    expect(sut.bytes()).toEqual(key);
    expect(sut.length).toBe(key.length);
  });

  it('prints as [redacted] however it is logged', () => {
    const sut = new SecretBytes(key);

    expect(JSON.stringify({ secret: sut })).toBe('{"secret":"[redacted]"}');
    expect(`${sut}`).toBe('[redacted]');
    expect(inspect({ secret: sut })).not.toContain('horse');
    expect(inspect({ secret: sut })).not.toMatch(/\d{2,}/);
  });
});
