/**
 * A small seedable PRNG (xoshiro128**, seeded through splitmix32) whose whole state is four
 * 32-bit words, so a training run or a generation can save it and resume the same sequence.
 * Used for data order, dropout seeds and sampling; never `Math.random`.
 */

/** The savable state of an `Rng`: four unsigned 32-bit words. */
export type RngState = [number, number, number, number];

function splitmix32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/** Mixes any number of integers (seed, epoch, index, ...) into one 32-bit seed. */
export function mixSeed(...parts: number[]): number {
  let h = 0x811c9dc5;
  for (const p of parts) {
    const lo = p >>> 0;
    const hi = Math.floor(p / 0x100000000) >>> 0;
    for (const word of [lo, hi]) {
      h = Math.imul(h ^ word, 0x01000193) >>> 0;
      h = splitmix32(h)();
    }
  }
  return h >>> 0;
}

/** Hashes a string (e.g. a sample id) to a 32-bit integer (FNV-1a then a splitmix finaliser). */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return splitmix32(h)();
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

export class Rng {
  private s: RngState;

  /** `seed` is any integer; the same seed gives the same sequence. */
  constructor(seed: number) {
    if (!Number.isFinite(seed)) throw new Error(`Rng: seed must be a finite number, got ${seed}`);
    const sm = splitmix32(mixSeed(seed));
    this.s = [sm(), sm(), sm(), sm()];
    if (this.s.every((w) => w === 0)) this.s[0] = 1;
  }

  static fromState(state: RngState): Rng {
    const r = new Rng(0);
    r.setState(state);
    return r;
  }

  getState(): RngState {
    return [...this.s] as RngState;
  }

  setState(state: readonly number[]): void {
    if (state.length !== 4 || state.some((w) => !Number.isInteger(w) || w < 0 || w > 0xffffffff)) {
      throw new Error(`Rng.setState: expected four unsigned 32-bit integers, got ${JSON.stringify(state)}`);
    }
    if (state.every((w) => w === 0)) throw new Error('Rng.setState: the all-zero state is invalid for xoshiro128**');
    this.s = [state[0], state[1], state[2], state[3]];
  }

  /** Next unsigned 32-bit integer. */
  nextUint32(): number {
    const s = this.s;
    const result = Math.imul(rotl(Math.imul(s[1], 5) >>> 0, 7), 9) >>> 0;
    const t = (s[1] << 9) >>> 0;
    s[2] = (s[2] ^ s[0]) >>> 0;
    s[3] = (s[3] ^ s[1]) >>> 0;
    s[1] = (s[1] ^ s[2]) >>> 0;
    s[0] = (s[0] ^ s[3]) >>> 0;
    s[2] = (s[2] ^ t) >>> 0;
    s[3] = rotl(s[3], 11);
    return result;
  }

  /** Uniform float in [0, 1) with 53 random bits. */
  nextFloat(): number {
    const hi = this.nextUint32() >>> 5; // 27 bits
    const lo = this.nextUint32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** Uniform integer in [0, n). */
  nextInt(n: number): number {
    if (!Number.isInteger(n) || n <= 0) throw new Error(`Rng.nextInt: n must be a positive integer, got ${n}`);
    return Math.floor(this.nextFloat() * n);
  }

  /** Fisher-Yates shuffle in place; returns the array. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.nextInt(i + 1);
      const tmp = items[i];
      items[i] = items[j];
      items[j] = tmp;
    }
    return items;
  }

  /**
   * Runs `fn` with `Math.random` drawing from this generator, then restores it. tfjs draws the seed
   * of an unseeded `tf.dropout`/`tf.randomUniform` from `Math.random`, so this makes a model's
   * dropout reproducible without the model knowing about seeds. `fn` must be synchronous.
   */
  withMathRandom<T>(fn: () => T): T {
    const original = Math.random;
    Math.random = () => this.nextFloat();
    try {
      return fn();
    } finally {
      Math.random = original;
    }
  }
}
