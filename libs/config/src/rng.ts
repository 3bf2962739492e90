/**
 * Seeded PRNG (mulberry32): same seed, same stream. The one copy for the random-search grid here,
 * the bootstrap of @ecode/evaluation (which re-exports it), the synthetic test corpus of
 * @ecode/tokenizer and the retry jitter of @ecode/tracking.
 */

/** mulberry32 started from a raw 32-bit state (the reference algorithm's own seeding). */
export function mulberry32FromState(state: number): () => number {
  let a = state >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * mulberry32 whose seed is mixed with the golden-ratio constant first, so that small seeds (0, 1,
 * 2) start far apart. The grid's and the bootstrap's generator; their results depend on this mix.
 */
export function mulberry32(seed: number): () => number {
  return mulberry32FromState((Math.floor(seed) >>> 0) ^ 0x9e3779b9);
}
