/**
 * The seed generator's only source of randomness: pure-rand's xoroshiro128+,
 * never Math.random, so the same seed gives the same export byte for byte.
 *
 * Every user gets its own stream derived from (seed, user index): what one
 * user draws never shifts what the next user draws, so the demo users stay
 * the same whatever --users is, and generation keeps no state per user.
 */
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator';

/** A 32-bit integer hash (murmur3's finaliser) to spread (seed, stream) into a generator seed. */
function mix32(value: number): number {
  let h = value | 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h | 0;
}

export class Rng {
  private readonly generator: RandomGenerator;

  private constructor(generator: RandomGenerator) {
    this.generator = generator;
  }

  /** The stream number `stream` of seed `seed` (e.g. one per user). */
  static stream(seed: number, stream: number): Rng {
    return new Rng(xoroshiro128plus(mix32(mix32(seed) ^ Math.imul(stream + 1, 0x9e3779b1))));
  }

  /** Integer in [min, max], both included. */
  int(min: number, max: number): number {
    return uniformInt(this.generator, min, max);
  }

  /** True with probability `p` (to a resolution of one in a million). */
  chance(p: number): boolean {
    return this.int(0, 999_999) < Math.round(p * 1_000_000);
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('Rng.pick needs at least one item');
    return items[this.int(0, items.length - 1)] as T;
  }

  /** One key of `weights`, with probability proportional to its weight. */
  weighted<K extends string>(weights: Readonly<Record<K, number>>): K {
    const entries = Object.entries(weights) as [K, number][];
    const total = entries.reduce((sum, [, weight]) => sum + weight, 0);
    let ticket = this.int(0, total - 1);
    for (const [key, weight] of entries) {
      if (ticket < weight) return key;
      ticket -= weight;
    }
    throw new Error('Rng.weighted needs positive integer weights');
  }

  /** A new array with the items in random order (Fisher–Yates). */
  shuffled<T>(items: readonly T[]): T[] {
    const copy = [...items];
    for (let i = copy.length - 1; i > 0; i--) {
      const j = this.int(0, i);
      [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
    }
    return copy;
  }

  /** Upper-case letters and digits without look-alikes (no 0/O, 1/I), as on printed codes. */
  code(length: number): string {
    const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
    let text = '';
    for (let i = 0; i < length; i++) text += alphabet[this.int(0, alphabet.length - 1)];
    return text;
  }

  digits(length: number): string {
    let text = '';
    for (let i = 0; i < length; i++) text += String(this.int(0, 9));
    return text;
  }
}
