import { describe, expect, it } from 'vitest';
import { callResultMatches, stdioOutputsMatch, summarizeProgram, verdictOf } from './judge.js';
import type { TestResult, Verdict } from './types.js';

describe('stdioOutputsMatch (APPS rules)', () => {
  it('ignores surrounding whitespace, blank lines and spacing between tokens', () => {
    expect(stdioOutputsMatch('3\n', '3')).toBe(true);
    expect(stdioOutputsMatch('  1   2 3  \n\n4\n', '1 2 3\n4')).toBe(true);
    expect(stdioOutputsMatch('1 2\r\n', '1 2\n')).toBe(true);
    expect(stdioOutputsMatch('2\n', '3\n')).toBe(false);
    expect(stdioOutputsMatch('', '3')).toBe(false);
  });
  it('accepts floats within np.allclose tolerance, token by token', () => {
    expect(stdioOutputsMatch('0.3333333\n', '0.33333333333')).toBe(true);
    expect(stdioOutputsMatch('1.0000001 2\n', '1 2')).toBe(true);
    expect(stdioOutputsMatch('1.001\n', '1')).toBe(false);
    expect(stdioOutputsMatch('1e3\n', '1000.0')).toBe(true);
  });
  it('like APPS, accepts the same tokens in another order as a last resort (lenientSets)', () => {
    expect(stdioOutputsMatch('3 1 2\n', '1 2 3')).toBe(true);
    expect(stdioOutputsMatch('b\na\n', 'a\nb')).toBe(true);
    expect(stdioOutputsMatch('3 1 2\n', '1 2 3', { lenientSets: false })).toBe(false);
    expect(stdioOutputsMatch('1 2\n', '1 2 3')).toBe(false);
    expect(stdioOutputsMatch('0.1231\n', '0.1229')).toBe(true); // rounded to 3 decimals in the set rule
  });
});

describe('callResultMatches', () => {
  it('compares JSON values, tuples as lists, and the first item of an expected list', () => {
    expect(callResultMatches('[1, [2]]', '[1,[2]]')).toBe(true);
    expect(callResultMatches('5', '[5]')).toBe(true);
    expect(callResultMatches('{"a": 1}', '{"a":1}')).toBe(true);
    expect(callResultMatches('4', '5')).toBe(false);
    expect(callResultMatches('"x"', 'x')).toBe(true);
  });
});

describe('verdictOf', () => {
  const limits = { cpuSeconds: 1, memoryMb: 256 };
  const t = { input: '', output: '3' };
  it('maps launcher replies to verdicts', () => {
    expect(verdictOf({ compileError: 'SyntaxError: x' }, t, limits).verdict).toBe('compile-error');
    expect(verdictOf({ timedOut: true }, t, limits).verdict).toBe('timeout');
    expect(verdictOf({ signal: 24, cpuUs: 1_000_100 }, t, limits).verdict).toBe('timeout');
    expect(verdictOf({ signal: 9, cpuUs: 1000 }, t, limits).verdict).toBe('runtime-error');
    expect(verdictOf({ exitCode: 1, exception: 'MemoryError' }, t, limits).verdict).toBe('memory-limit');
    expect(verdictOf({ exitCode: 0, outputExceeded: true, stdout: '3' }, t, limits).verdict).toBe('runtime-error');
    expect(verdictOf({ exitCode: 1, exception: 'ValueError', stderr: 'ValueError: bad' }, t, limits)).toEqual({
      verdict: 'runtime-error',
      detail: 'exit code 1 (ValueError): ValueError: bad',
    });
    expect(verdictOf({ exitCode: 0, stdout: '3\n' }, t, limits).verdict).toBe('pass');
    expect(verdictOf({ exitCode: 0, stdout: '4\n' }, t, limits).verdict).toBe('wrong-answer');
    expect(verdictOf({ exitCode: 0, result: '3' }, { ...t, kind: 'call', fnName: 'f' }, limits).verdict).toBe('pass');
    expect(verdictOf({ exitCode: 0, result: null }, { ...t, kind: 'call', fnName: 'f' }, limits).verdict).toBe(
      'runtime-error',
    );
  });
});

describe('summarizeProgram (the original rules)', () => {
  const r = (verdicts: Verdict[]): TestResult[] =>
    verdicts.map((verdict, index) => ({ index, verdict, cpuUs: 0, wallUs: 0, maxRssKb: 0, stdout: '', stderr: '' }));
  it('fractional pass rate and all-pass', () => {
    expect(summarizeProgram(r(['pass', 'wrong-answer', 'pass', 'timeout']))).toMatchObject({
      passRate: 0.5,
      allPass: false,
      compiled: 1,
    });
    expect(summarizeProgram(r(['pass', 'pass']))).toMatchObject({ passRate: 1, allPass: true, compiled: 1 });
  });
  it('compiled is 0 when every case is a runtime error (timeouts included) or every case a compile error', () => {
    expect(summarizeProgram(r(['runtime-error', 'timeout', 'memory-limit'])).compiled).toBe(0);
    expect(summarizeProgram(r(['compile-error', 'compile-error'])).compiled).toBe(0);
    expect(summarizeProgram(r(['wrong-answer', 'wrong-answer'])).compiled).toBe(1);
    expect(summarizeProgram(r(['runtime-error', 'wrong-answer'])).compiled).toBe(1);
    expect(summarizeProgram([])).toMatchObject({ passRate: 0, allPass: false, compiled: 0 });
  });
});
