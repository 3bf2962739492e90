/** Identifiers as MLflow makes them: run ids are uuid4 hex, experiment ids 18-digit integers. */
import { randomBytes, randomUUID } from 'node:crypto';

export function newRunId(): string {
  return randomUUID().replace(/-/g, '');
}

export function newExperimentId(): string {
  const bytes = randomBytes(8);
  const n = bytes.readBigUInt64BE() & 0x7fffffffffffffffn;
  const s = (n % 900000000000000000n) + 100000000000000000n;
  return s.toString();
}

/** A small seeded generator (mulberry32) for retry jitter: same seed, same delays. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
