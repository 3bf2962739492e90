import { describe, expect, it } from 'vitest';
import type { EncodedSample } from '../contracts.js';
import { planEpoch, planEval } from './batching.js';

const samples: EncodedSample[] = Array.from({ length: 23 }, (_, i) => ({
  id: `s${i}`,
  problemId: `p${i}`,
  fields: [],
  statement: [],
  ic: new Array(((i * 7) % 19) + 1).fill(5),
  ec: new Array(((i * 3) % 5) + 1).fill(6),
}));
const len = (i: number) => samples[i].ic.length + samples[i].ec.length;

describe('planEpoch', () => {
  it('covers every sample exactly once per epoch, deterministically per (seed, epoch)', () => {
    const opts = { batchSize: 4, seed: 11, bucketWindow: 2 };
    const e0 = planEpoch(samples, 0, opts);
    expect(e0.flat().sort((a, b) => a - b)).toEqual(samples.map((_, i) => i));
    expect(e0.length).toBe(6);
    expect(planEpoch(samples, 0, opts)).toEqual(e0);
    expect(planEpoch(samples, 1, opts)).not.toEqual(e0);
    expect(planEpoch(samples, 0, { ...opts, seed: 12 })).not.toEqual(e0);
    expect(planEpoch(samples, 0, { ...opts, dropLast: true }).every((b) => b.length === 4)).toBe(true);
  });

  it('groups samples of similar length: less padding than unbucketed batches', () => {
    const padding = (batches: number[][]) =>
      batches.reduce((sum, b) => sum + b.reduce((s, i) => s + Math.max(...b.map(len)) - len(i), 0), 0);
    const bucketed = planEpoch(samples, 0, { batchSize: 4, seed: 1, bucketWindow: 50 });
    const plain = planEpoch(samples, 0, { batchSize: 4, seed: 1, bucketWindow: 1 });
    expect(padding(bucketed)).toBeLessThan(padding(plain));
    // Inside a bucketed window, each batch is a run of sorted lengths.
    for (const b of bucketed) expect(b.map(len)).toEqual([...b.map(len)].sort((x, y) => x - y));
  });

  it('rejects bad sizes', () => {
    expect(() => planEpoch(samples, 0, { batchSize: 0, seed: 1 })).toThrow(/batchSize/);
    expect(() => planEpoch(samples, -1, { batchSize: 1, seed: 1 })).toThrow(/epoch/);
  });
});

describe('planEval', () => {
  it('sorts by length and keeps every sample', () => {
    const b = planEval(samples, 5);
    expect(b.flat().sort((x, y) => x - y)).toEqual(samples.map((_, i) => i));
    const lens = b.flat().map(len);
    expect(lens).toEqual([...lens].sort((x, y) => x - y));
  });
});
