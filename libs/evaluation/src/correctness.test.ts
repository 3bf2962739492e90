import { describe, expect, it } from 'vitest';
import { allPassed, compiled, correctnessSummary, passRate } from './correctness.js';
import type { JudgedProgram, Verdict } from './types.js';

const prog = (verdicts: Verdict[], id = 'p'): JudgedProgram => ({ problemId: id, verdicts });

describe('the original IO rules', () => {
  it('compiled is 0 only when every case is a runtime-class error or every case a compile error', () => {
    expect(compiled(prog(['runtime-error', 'timeout', 'memory-limit']))).toBe(0);
    expect(compiled(prog(['compile-error', 'compile-error']))).toBe(0);
    expect(compiled(prog(['wrong-answer', 'wrong-answer']))).toBe(1);
    // a mix of -1 and -2 is neither "all -1" nor "all -2": compiled
    expect(compiled(prog(['runtime-error', 'compile-error']))).toBe(1);
    expect(compiled(prog(['pass', 'runtime-error']))).toBe(1);
    expect(compiled(prog([]))).toBe(0);
  });
  it('pass rate is fractional', () => {
    expect(passRate(prog(['pass', 'wrong-answer', 'pass', 'timeout']))).toBe(0.5);
    expect(passRate(prog(['compile-error']))).toBe(0);
    expect(allPassed(prog(['pass', 'pass']))).toBe(true);
    expect(allPassed(prog([]))).toBe(false);
  });
  it('summarises: hand-computed means and pass count', () => {
    const s = correctnessSummary([
      prog(['pass', 'pass']), // compiled 1, rate 1
      prog(['pass', 'wrong-answer', 'wrong-answer', 'wrong-answer']), // 1, 0.25
      prog(['runtime-error', 'runtime-error']), // 0, 0
      prog(['wrong-answer']), // 1, 0
    ]);
    expect(s).toEqual({ programs: 4, compileRate: 0.75, passRate: 1.25 / 4, allPassRate: 0.25, passCount: 1 });
  });
  it('names a bad verdict and where it is', () => {
    expect(() => passRate({ problemId: 'x7', sampleId: 2, verdicts: ['ok' as Verdict] })).toThrow(
      /x7 sample 2 verdict #0 is "ok"/,
    );
  });
});
