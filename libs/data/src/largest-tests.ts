import type { TestCase } from './problem.js';

/**
 * The tests a program's cost is measured on: the `n` largest, those flagged `large` first (the
 * synthetic generator's timing tests), then by input length, longest first; ties keep the
 * dataset's order. `n = 0` means every test, in the dataset's order.
 */
export function largestTests<T extends Pick<TestCase, 'input' | 'large'>>(tests: T[], n: number): T[] {
  if (!Number.isInteger(n) || n < 0) throw new Error(`largestTests: n must be an integer >= 0, got ${n}`);
  if (n === 0) return [...tests];
  const indexed = tests.map((t, i) => ({ t, i }));
  indexed.sort(
    (a, b) =>
      Number(b.t.large === true) - Number(a.t.large === true) || b.t.input.length - a.t.input.length || a.i - b.i,
  );
  return indexed.slice(0, n).map((x) => x.t);
}
