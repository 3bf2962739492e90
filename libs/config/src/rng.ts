/**
 * Seeded PRNG (mulberry32): same seed, same stream. The one copy for the random-search grid here
 * and the bootstrap of @ecode/evaluation (which re-exports it).
 */
export function mulberry32(seed: number): () => number {
  let a = (Math.floor(seed) >>> 0) ^ 0x9e3779b9;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
