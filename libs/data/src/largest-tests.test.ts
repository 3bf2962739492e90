import { describe, expect, it } from 'vitest';
import { largestTests } from './largest-tests.js';

const tests = [
  { input: '3\n', output: '' },
  { input: '10\n', output: '' },
  { input: '2000\n', output: '', large: true },
  { input: '99999\n', output: '' },
];

describe('largestTests', () => {
  it('takes tests flagged large first, then the longest inputs', () => {
    expect(largestTests(tests, 1).map((t) => t.input)).toEqual(['2000\n']);
    expect(largestTests(tests, 2).map((t) => t.input)).toEqual(['2000\n', '99999\n']);
    expect(
      largestTests(
        tests.map(({ large: _, ...t }) => t),
        1,
      )[0].input,
    ).toBe('99999\n');
  });

  it('keeps the dataset order for ties and gives every test for n = 0', () => {
    const same = [{ input: 'a' }, { input: 'b' }, { input: 'c' }];
    expect(largestTests(same, 2).map((t) => t.input)).toEqual(['a', 'b']);
    expect(largestTests(tests, 0)).toEqual(tests);
    expect(largestTests(tests, 9)).toHaveLength(4);
  });

  it('names a bad count', () => {
    expect(() => largestTests(tests, -1)).toThrow('largestTests: n must be an integer >= 0, got -1');
  });
});
