import { createHash } from 'node:crypto';

/**
 * A seeded pseudo-random source (sfc32, four 32-bit words from SHA-256 of the seed): the same seed
 * gives the same numbers on every machine and run. The synthetic generator never touches
 * `Math.random` or the clock, so a seed reproduces a data set exactly.
 */
export class SeededRandom {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: string) {
    const hash = createHash('sha256').update(seed).digest();
    this.a = hash.readUInt32LE(0);
    this.b = hash.readUInt32LE(4);
    this.c = hash.readUInt32LE(8);
    this.d = hash.readUInt32LE(12);
    for (let i = 0; i < 12; i += 1) this.next();
  }

  /** A number in [0, 1). */
  next(): number {
    this.a >>>= 0;
    this.b >>>= 0;
    this.c >>>= 0;
    this.d >>>= 0;
    const t = (this.a + this.b + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return (t >>> 0) / 4294967296;
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** One of `items`, uniformly. */
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }

  /** A key of `weights`, with probability proportional to its weight (keys in insertion order). */
  weighted<K extends string>(weights: Readonly<Record<K, number>>): K {
    const entries = Object.entries(weights) as [K, number][];
    const total = entries.reduce((sum, [, weight]) => sum + weight, 0);
    let point = this.next() * total;
    for (const [key, weight] of entries) {
      point -= weight;
      if (point < 0) return key;
    }
    return entries[entries.length - 1][0];
  }

  /**
   * A log-normal draw with the given median and spread (`sigma` of the underlying normal): the
   * shape of waiting times, most short and a long tail.
   */
  logNormal(median: number, sigma: number): number {
    // Box-Muller; 1 - next() keeps the logarithm finite.
    const normal = Math.sqrt(-2 * Math.log(1 - this.next())) * Math.cos(2 * Math.PI * this.next());
    return median * Math.exp(sigma * normal);
  }
}
