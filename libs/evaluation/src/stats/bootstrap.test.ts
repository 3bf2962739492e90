import { describe, expect, it } from 'vitest';
import { bootstrapMean, bootstrapMeans, pairedBootstrap, quantileSorted } from './bootstrap.js';
import { mulberry32 } from '@ecode/config';

describe('bootstrap', () => {
  it('quantiles interpolate linearly like numpy', () => {
    expect(quantileSorted([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantileSorted([1, 2, 3, 4, 5], 0.025)).toBeCloseTo(1.1, 12);
  });
  it('same seed, same interval; the interval contains the mean; constant data has zero width', () => {
    const v = Array.from({ length: 40 }, (_, i) => (i % 4 === 0 ? 1 : 0));
    const a = bootstrapMean(v, undefined, { seed: 7, resamples: 500 });
    const b = bootstrapMean(v, undefined, { seed: 7, resamples: 500 });
    expect(a).toEqual(b);
    expect(a.estimate).toBe(0.25);
    expect(a.n).toBe(40);
    expect(a.lower).toBeLessThan(0.25);
    expect(a.upper).toBeGreaterThan(0.25);
    // binomial sd = sqrt(.25*.75/40) = 0.068 -> 95% half-width about 0.13
    expect(a.upper - a.lower).toBeGreaterThan(0.18);
    expect(a.upper - a.lower).toBeLessThan(0.36);
    expect(bootstrapMean([2, 2, 2], undefined, { seed: 1 })).toEqual({ estimate: 2, lower: 2, upper: 2, n: 3 });
    expect(bootstrapMean([undefined, NaN], undefined).n).toBe(0);
  });
  it('clusters resample whole problems', () => {
    // two problems: one all 1s, one all 0s; every resample is 0, 0.5 or 1 (never 1/3 etc.)
    const r = bootstrapMeans({ m: [1, 1, 1, 0] }, ['a', 'a', 'a', 'b'], { seed: 3, resamples: 200 });
    expect(r.m.estimate).toBe(0.75);
    expect([0, 0.25, 0.75, 1].includes(r.m.lower) || r.m.lower === 0).toBe(true);
  });
  it('mulberry32 is deterministic and in [0, 1)', () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    const xs = Array.from({ length: 5 }, () => a());
    expect(xs).toEqual(Array.from({ length: 5 }, () => b()));
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
  });
  it('paired bootstrap: a clear difference is significant, identical variants are not', () => {
    const a = new Map<string, number>();
    const b = new Map<string, number>();
    for (let i = 0; i < 30; i++) {
      a.set(`p${i}`, 2 + (i % 3) * 0.1);
      b.set(`p${i}`, 1 + (i % 5) * 0.1);
    }
    b.set('only-b', 9); // not paired: ignored
    const r = pairedBootstrap(a, b, { metric: 'speedup', variantA: 'A', variantB: 'B' }, { seed: 1, resamples: 1000 });
    expect(r.problems).toBe(30);
    expect(r.difference.estimate).toBeCloseTo(r.meanA - r.meanB, 12);
    expect(r.difference.lower).toBeGreaterThan(0.8);
    expect(r.pValue).toBeCloseTo(1 / 1001, 12);
    const same = pairedBootstrap(a, a, { metric: 'speedup', variantA: 'A', variantB: 'A' }, { seed: 1 });
    expect(same.difference.estimate).toBe(0);
    expect(same.pValue).toBe(1);
  });
});
