import { inspect } from 'node:util';

/**
 * Key material that cannot end up in a log by accident: `JSON.stringify`, `console.log` and
 * template strings all print `[redacted]`. Only {@link SecretBytes.bytes} hands out the key.
 */
export class SecretBytes {
  readonly #bytes: Uint8Array;

  constructor(bytes: Uint8Array) {
    this.#bytes = Uint8Array.from(bytes);
  }

  /** A copy of the key, for the signing or verifying call that needs it. */
  bytes(): Uint8Array {
    return Uint8Array.from(this.#bytes);
  }

  get length(): number {
    return this.#bytes.length;
  }

  toJSON(): string {
    return '[redacted]';
  }

  toString(): string {
    return '[redacted]';
  }

  [inspect.custom](): string {
    return 'SecretBytes [redacted]';
  }
}
