import { describe, expect, it } from 'vitest';
import { fitLine, globalMeanBaseline, linesOfCodeBaseline, problemMeanBaseline } from './baselines.js';
import { linesOfCode } from './timedb-row.js';

describe('baselines', () => {
  it('fits a line exactly when the data are on one', () => {
    const f = fitLine([1, 2, 3, 4], [3, 5, 7, 9]);
    expect(f.intercept).toBeCloseTo(1, 12);
    expect(f.slope).toBeCloseTo(2, 12);
    expect(fitLine([2, 2], [1, 3])).toEqual({ intercept: 2, slope: 0 });
  });

  it('counts non-blank lines', () => {
    expect(linesOfCode('a = 1\n\n   \nprint(a)\n')).toBe(2);
  });

  it('regresses log-time on lines of code, and the means predict what they say', () => {
    const train = [
      { problemId: 'p', code: 'a\n', logTime: 1 },
      { problemId: 'p', code: 'a\nb\n', logTime: 2 },
      { problemId: 'q', code: 'a\nb\nc\n', logTime: 3 },
    ];
    const loc = linesOfCodeBaseline(train);
    expect(loc.slope).toBeCloseTo(1, 12);
    expect(loc.predictLog([{ problemId: 'z', code: 'x\ny\nz\nw\n', logTime: 0 }])[0]).toBeCloseTo(4, 12);
    expect(globalMeanBaseline(train).predictLog(train)).toEqual([2, 2, 2]);
    expect(problemMeanBaseline().predictLog(train)).toEqual([1.5, 1.5, 3]);
  });
});
