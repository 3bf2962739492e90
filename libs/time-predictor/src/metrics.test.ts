import { describe, expect, it } from 'vitest';
import { averageRanks, pairwiseAccuracy, spearman, timeMetrics, type Prediction } from './metrics.js';

describe('metrics', () => {
  it('averages tied ranks', () => {
    expect(averageRanks([10, 20, 20, 5])).toEqual([2, 3.5, 3.5, 1]);
  });

  it('Spearman equals scipy.stats.spearmanr on a tied example', () => {
    // scipy.stats.spearmanr([1, 2, 2, 3, 5], [2, 1, 4, 4, 6]).statistic == 0.7631578947368421 (checked with scipy 1.x)
    expect(spearman([1, 2, 2, 3, 5], [2, 1, 4, 4, 6])).toBeCloseTo(0.7631578947368421, 12);
    expect(spearman([1, 2, 3], [3, 2, 1])).toBeCloseTo(-1, 12);
    expect(Number.isNaN(spearman([1, 2, 3], [5, 5, 5]))).toBe(true);
  });

  it('pairwise accuracy compares only solutions of one problem, ties count one half', () => {
    const p = (problemId: string, trueLog: number, predLog: number): Prediction => ({ problemId, trueLog, predLog });
    const preds = [p('a', 1, 1), p('a', 2, 3), p('a', 3, 2), p('b', 5, 0), p('b', 6, 0), p('c', 9, 9)];
    // a: (1,2) right, (1,3) right, (2,3) wrong; b: tie -> 0.5; c: no pair; cross-problem pairs ignored
    expect(pairwiseAccuracy(preds)).toEqual({ accuracy: 2.5 / 4, pairs: 4 });
    // with a minimum gap of 1.5 only (1,3) in a remains
    expect(pairwiseAccuracy(preds, 1.5)).toEqual({ accuracy: 1, pairs: 1 });
    expect(pairwiseAccuracy([p('x', 1, 1), p('x', 1, 2)]).pairs).toBe(0);
  });

  it('MAE in µs and in log-time', () => {
    const m = timeMetrics([
      { problemId: 'a', trueLog: Math.log(100), predLog: Math.log(200) },
      { problemId: 'a', trueLog: Math.log(400), predLog: Math.log(100) },
    ]);
    expect(m.maeUs).toBeCloseTo((100 + 300) / 2, 9);
    expect(m.maeLog).toBeCloseTo((Math.log(2) + Math.log(4)) / 2, 12);
    expect(m.medianAbsLog).toBeCloseTo((Math.log(2) + Math.log(4)) / 2, 12);
    expect(m.pairwiseAccuracy).toBe(0);
    expect(m.n).toBe(2);
  });
});
