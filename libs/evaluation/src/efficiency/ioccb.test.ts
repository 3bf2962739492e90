import { describe, expect, it } from 'vitest';
import { ioccbFromScores } from './ioccb.js';

describe('IOCCB combination (ACEOB formula)', () => {
  it('adds sqrt of the mean gain when normalisation raises the scores', () => {
    // mean O 20, mean S 29, d = 3, max S 40 -> 43
    expect(ioccbFromScores([10, 30], [18, 40])).toBe(43);
  });
  it('subtracts it otherwise, and clips to [0, 100]', () => {
    // mean O 50, mean S 46, d = 2, max S 50 -> 48
    expect(ioccbFromScores([40, 60], [42, 50])).toBe(48);
    expect(ioccbFromScores([0], [99])).toBe(100);
    expect(ioccbFromScores([36], [0])).toBe(0);
  });
  it('rejects empty score lists', () => {
    expect(() => ioccbFromScores([], [1])).toThrow(/O has 0/);
  });
});
