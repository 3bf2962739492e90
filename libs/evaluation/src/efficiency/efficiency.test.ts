import { describe, expect, it } from 'vitest';
import { beyond, costDistribution, improvement, net, npi, npiScore, optimized, speedup } from './efficiency.js';
import type { JudgedProgram } from '../types.js';

const ok = (cost: number | undefined, extra: Partial<JudgedProgram> = {}): JudgedProgram => ({
  problemId: 'a',
  verdicts: ['pass', 'pass'],
  cost,
  icCost: 200,
  ...extra,
});
const failed = (cost: number): JudgedProgram => ({ ...ok(cost), verdicts: ['pass', 'wrong-answer'] });

describe('improvement, speedup and %Opt', () => {
  it('improvement on correct outputs, negative when slower', () => {
    expect(improvement(ok(50))).toBe(0.75);
    expect(improvement(ok(300))).toBe(-0.5);
    expect(improvement(failed(50))).toBeUndefined();
    expect(improvement(ok(undefined))).toBeUndefined();
  });
  it('speedup: failed or slower counts 1', () => {
    expect(speedup(ok(50))).toBe(4);
    expect(speedup(ok(300))).toBe(1);
    expect(speedup(failed(50))).toBe(1);
    expect(speedup(ok(undefined))).toBe(1);
    expect(speedup({ ...ok(50), icCost: undefined })).toBeUndefined();
  });
  it('%Opt needs speedup >= 1.1', () => {
    expect(optimized(ok(200 / 1.1))).toBe(1);
    expect(optimized(ok(190))).toBe(0); // 1.0526x
    expect(optimized(failed(10))).toBe(0);
  });
  it('rejects non-positive costs, naming the program', () => {
    expect(() => speedup({ ...ok(0), problemId: 'q9' })).toThrow(/cost of problem q9 sample 0 is 0/);
  });
});

describe('NET, NPI, Beyond', () => {
  it('NET = EC / reference on correct outputs', () => {
    expect(net(ok(30, { referenceCost: 20 }))).toBe(1.5);
    expect(net(failed(30))).toBeUndefined();
  });
  it('NPI follows ACEOB: +100 at min, 0 at median, -100 at max', () => {
    const d = costDistribution([40, 10, 20, 30, 100]); // min 10, median 30, max 100
    expect(d).toEqual({ min: 10, median: 30, max: 100 });
    expect(npiScore(10, d)).toBe(100);
    expect(npiScore(20, d)).toBe(50);
    expect(npiScore(30, d)).toBe(0);
    expect(npiScore(65, d)).toBe(-50);
    expect(npiScore(100, d)).toBe(-100);
    expect(npiScore(5, d)).toBe(125); // not clipped
    expect(costDistribution([1, 2, 3, 10]).median).toBe(2.5);
    expect(npi(ok(20, { solutionCosts: [40, 10, 20, 30, 100] }))).toBe(50);
    expect(npi(failed(20))).toBeUndefined();
  });
  it('Beyond clamps into the pool range, failed = 0', () => {
    const pool = { solutionCosts: [10, 50, 110] };
    expect(beyond(ok(35, pool))).toBe(0.75);
    expect(beyond(ok(5, pool))).toBe(1);
    expect(beyond(ok(500, pool))).toBe(0);
    expect(beyond({ ...failed(35), ...pool })).toBe(0);
    expect(beyond(ok(35))).toBeUndefined();
  });
});
