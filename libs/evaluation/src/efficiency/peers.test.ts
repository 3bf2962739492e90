import { describe, expect, it } from 'vitest';
import type { JudgedProgram, Verdict } from '../types.js';
import { dpsClusters, dpsOf, effAtK, enamelScore, passAtK, peerMetricValues } from './peers.js';

const prog = (cost: number | undefined, verdicts: Verdict[] = ['pass'], extra: Partial<JudgedProgram> = {}) =>
  ({ problemId: 'p', verdicts, cost, referenceCost: 100, ...extra }) satisfies JudgedProgram;

/** The definition eff@k estimates: the mean, over every k-subset of the n scores, of its best score. */
function bruteForce(e: number[], k: number): number {
  let total = 0;
  let count = 0;
  const rec = (start: number, chosen: number[]) => {
    if (chosen.length === k) {
      total += Math.max(...chosen.map((i) => e[i]));
      count++;
      return;
    }
    for (let i = start; i < e.length; i++) rec(i + 1, [...chosen, i]);
  };
  rec(0, []);
  return total / count;
}

describe('ENAMEL efficiency score (enam/evaluate.py calc_eff, alpha = 2)', () => {
  it('is max(0, T - t) / (T - t_ref) with T = alpha t_ref', () => {
    expect(enamelScore(prog(100))).toBe(1); // as fast as the expert reference
    expect(enamelScore(prog(150))).toBe(0.5);
    expect(enamelScore(prog(50))).toBe(1.5); // faster than the reference: above 1, as in ENAMEL
    expect(enamelScore(prog(130)) ?? NaN).toBeCloseTo(0.7, 12);
    expect(enamelScore(prog(120, ['pass'], { referenceCost: 100 }), 3)).toBe(0.9); // (300 - 120) / 200
  });
  it('right-censors timeouts: a sample at or beyond the limit scores 0, as does a timed-out one', () => {
    expect(enamelScore(prog(200))).toBe(0);
    expect(enamelScore(prog(250))).toBe(0);
    expect(enamelScore(prog(undefined, ['pass', 'timeout']))).toBe(0);
    expect(enamelScore(prog(90, ['pass', 'wrong-answer']))).toBe(0);
    expect(enamelScore(prog(90, ['pass'], { referenceCost: undefined }))).toBeUndefined();
  });
});

describe('eff@k (enam/evaluate.py calc_eff_at_k)', () => {
  it('equals the mean best of every k-subset (its definition), for every k', () => {
    const e = [0.2, 0.9, 0, 0.5, 1.3, 0.5, 0.05];
    for (let k = 1; k <= e.length; k++) expect(effAtK(e, k)).toBeCloseTo(bruteForce(e, k), 12);
  });
  it('a worked example: scores 0.2, 0.5, 0.9 with k = 2 give (0.5 + 0.9 + 0.9) / 3', () => {
    expect(effAtK([0.9, 0.2, 0.5], 2)).toBeCloseTo(2.3 / 3, 12);
    expect(effAtK([0.9, 0.2, 0.5], 1)).toBeCloseTo(1.6 / 3, 12); // eff@1 = the mean
    expect(effAtK([0.9, 0.2, 0.5], 3)).toBeCloseTo(0.9, 12); // eff@n = the best
  });
  it('with scores in {0, 1} it is HumanEval’s unbiased pass@k (1 - C(n-c, k) / C(n, k))', () => {
    const e = [1, 0, 0, 1, 0, 0, 0, 1, 0, 0]; // n = 10, c = 3
    expect(passAtK(10, 3, 5)).toBeCloseTo(1 - 21 / 252, 12);
    for (let k = 1; k <= 10; k++) expect(effAtK(e, k)).toBeCloseTo(passAtK(10, 3, k), 12);
    expect(passAtK(10, 3, 8)).toBe(1);
  });
  it('stays finite for n = 200 (no factorials)', () => {
    const e = Array.from({ length: 200 }, (_, i) => (i % 7) / 7);
    expect(effAtK(e, 100)).toBeCloseTo(6 / 7, 9);
    expect(() => effAtK([0.1], 2)).toThrow('k must be an integer in [1, 1]');
  });
});

describe('EvalPerf DPS (evalplus/perf/select_pe_tasks.py adaptive_seg1d, evalplus/evalperf.py)', () => {
  // The repository's own example ("[9, 8, 7, |-> 3, 2 1]"): at 10^4 instructions the gap
  // 7 -> 3 (57%) exceeds 0.10 + sqrt(10^4 / 7e4) = 0.478, the other gaps do not.
  const refs = [9e4, 8e4, 7e4, 3e4, 2e4, 1e4];
  it('clusters the references slowest first, scores = cumulative % of references', () => {
    const c = dpsClusters(refs);
    expect(c.map((x) => x.costs)).toEqual([
      [9e4, 8e4, 7e4],
      [3e4, 2e4, 1e4],
    ]);
    expect(c.map((x) => x.score)).toEqual([50, 100]);
    expect(c.map((x) => x.representative)).toEqual([9e4, 3e4]);
    // 10^4 times the cost the sqrt term nearly vanishes: every gap above ~10.3% splits (9 -> 8 is 11%)
    expect(dpsClusters(refs.map((x) => x * 1e4)).map((x) => x.costs.length)).toEqual([1, 1, 1, 1, 1, 1]);
  });
  it('a sample scores the fastest cluster it matches or beats; slower than all scores 0', () => {
    const c = dpsClusters(refs);
    expect(dpsOf(2.5e4, c)).toEqual({ dps: 100, dpsNorm: 100, cluster: 1 });
    expect(dpsOf(3e4, c)).toEqual({ dps: 100, dpsNorm: 100, cluster: 1 }); // matching counts
    expect(dpsOf(5e4, c)).toEqual({ dps: 50, dpsNorm: 50, cluster: 0 });
    expect(dpsOf(1e5, c)).toEqual({ dps: 0, dpsNorm: 0, cluster: -1 });
  });
});

describe('peerMetricValues', () => {
  it('gives every sample of an input its eff@k and pass@k; DPS only to correct samples', () => {
    const pool = [9e4, 8e4, 7e4, 3e4, 2e4, 1e4];
    const a = (cost: number | undefined, v: Verdict[] = ['pass']) =>
      prog(cost, v, { problemId: 'a', referenceCost: 1e4, solutionCosts: pool });
    const b = (cost: number | undefined, v: Verdict[] = ['pass']) =>
      prog(cost, v, { problemId: 'b', referenceCost: 1e4, solutionCosts: pool });
    const programs = [a(1.5e4), a(undefined, ['timeout']), b(1e4), b(5e4, ['wrong-answer'])];
    const v = peerMetricValues(programs);
    expect(Object.keys(v).sort()).toEqual(['dps', 'dpsNorm', 'effAt1', 'effAt2', 'passAt1', 'passAt2']);
    expect(v.effAt1).toEqual([0.25, 0.25, 0.5, 0.5]); // a: (0.5 + 0) / 2; b: (1 + 0) / 2
    expect(v.effAt2).toEqual([0.5, 0.5, 1, 1]);
    expect(v.passAt1).toEqual([0.5, 0.5, 0.5, 0.5]);
    expect(v.dps).toEqual([100, undefined, 100, undefined]);
  });
});
