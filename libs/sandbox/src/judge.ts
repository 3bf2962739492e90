/**
 * Judging as the original harness (APPS `testing_util`): a test's verdict from what the launcher
 * reported, output comparison that ignores whitespace and tolerates float differences (and, like
 * APPS, accepts the same tokens per line in another order), and the per-program figures: the
 * fractional pass rate, all-pass and the "compiled" rule.
 */
import type { LauncherReply, ProgramResult, SandboxOptions, SandboxTest, TestResult, Verdict } from './types.js';

export interface CompareOptions {
  /** np.allclose's defaults: |a - b| <= atol + rtol * |b|. */
  rtol?: number;
  atol?: number;
  /** APPS's last resort: compare each line as a set of tokens, lines as a set (default true). */
  lenientSets?: boolean;
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

function lines(text: string): string[] {
  return text
    .split(/\r?\n|\r/)
    .map((l) => l.trim())
    .filter((l) => l.length > 0);
}

function close(a: string, b: string, rtol: number, atol: number): boolean {
  if (a === b) return true;
  if (!NUMBER.test(a) || !NUMBER.test(b)) return false;
  const x = Number(a);
  const y = Number(b);
  return Math.abs(x - y) <= atol + rtol * Math.abs(y);
}

function setKey(tokens: string[], round: boolean): string {
  const vals = tokens.map((t) => (round ? String(Math.round(Number(t) * 1000) / 1000) : t));
  return [...new Set(vals)].sort().join('\u0000');
}

function setOfSets(rows: string[][], round: boolean): string {
  return [...new Set(rows.map((r) => setKey(r, round)))].sort().join('\u0001');
}

/** True when a stdio program's output matches the expected output under APPS rules. */
export function stdioOutputsMatch(actual: string, expected: string, opts: CompareOptions = {}): boolean {
  const rtol = opts.rtol ?? 1e-5;
  const atol = opts.atol ?? 1e-8;
  const a = lines(actual);
  const e = lines(expected);
  if (a.length === e.length && a.every((l, i) => l === e[i])) return true;
  const at = a.map((l) => l.split(/\s+/));
  const et = e.map((l) => l.split(/\s+/));
  if (
    at.length === et.length &&
    at.every((row, i) => row.length === et[i].length && row.every((t, j) => close(t, et[i][j], rtol, atol)))
  ) {
    return true;
  }
  if (opts.lenientSets ?? true) {
    if (at.length === 0 || et.length === 0) return false;
    if (setOfSets(at, false) === setOfSets(et, false)) return true;
    const numeric = (rows: string[][]) => rows.every((r) => r.every((t) => NUMBER.test(t)));
    if (numeric(at) && numeric(et) && setOfSets(at, true) === setOfSets(et, true)) return true;
  }
  return false;
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (a && b && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
    const ka = Object.keys(a).sort();
    const kb = Object.keys(b).sort();
    return (
      deepEqual(ka, kb) &&
      ka.every((k) => deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]))
    );
  }
  return false;
}

/** Call-based tests (APPS): equal return value (tuples as lists), or equal to the expected list's first item. */
export function callResultMatches(actualJson: string, expectedJson: string): boolean {
  let actual: unknown;
  let expected: unknown;
  try {
    actual = JSON.parse(actualJson);
  } catch {
    return false;
  }
  try {
    expected = JSON.parse(expectedJson);
  } catch {
    expected = expectedJson;
  }
  if (deepEqual(actual, expected)) return true;
  return Array.isArray(expected) && expected.length > 0 && deepEqual(actual, expected[0]);
}

const SIGNAL_NAMES: Record<number, string> = {
  6: 'SIGABRT',
  9: 'SIGKILL',
  11: 'SIGSEGV',
  24: 'SIGXCPU',
  25: 'SIGXFSZ',
};

function lastLine(text: string): string {
  const l = lines(text);
  return l.length ? l[l.length - 1].slice(0, 300) : '';
}

/** The verdict of one test from the launcher's reply. */
export function verdictOf(
  reply: LauncherReply,
  test: SandboxTest,
  limits: Pick<SandboxOptions, 'cpuSeconds' | 'memoryMb'>,
  compare: CompareOptions = {},
): { verdict: Verdict; detail?: string } {
  if (reply.compileError) return { verdict: 'compile-error', detail: reply.compileError };
  if (reply.launcherError) return { verdict: 'runtime-error', detail: `launcher: ${reply.launcherError}` };
  if (reply.timedOut) return { verdict: 'timeout', detail: 'wall-clock limit' };
  const cpuLimitUs = Math.max(1, Math.ceil(limits.cpuSeconds)) * 1e6;
  // RLIMIT_CPU (soft = hard) ends a program with SIGKILL (SIGXCPU when soft < hard). Nothing else
  // in the sandbox sends SIGKILL but the launcher (wall timeout, output cap: handled above and
  // below), so a SIGKILL after a good share of the CPU budget is the CPU limit. The share is loose
  // because CPU accounting under a loaded VM lags the kernel's enforcement (seen in CI).
  if ((reply.signal === 9 || reply.signal === 24) && !reply.outputExceeded && (reply.cpuUs ?? 0) >= cpuLimitUs * 0.5) {
    return { verdict: 'timeout', detail: 'CPU limit' };
  }
  if (reply.exception === 'MemoryError')
    return { verdict: 'memory-limit', detail: 'MemoryError (address-space limit)' };
  if ((reply.maxRssKb ?? 0) > limits.memoryMb * 1024)
    return { verdict: 'memory-limit', detail: `peak RSS ${reply.maxRssKb} KiB` };
  if (reply.outputExceeded) return { verdict: 'runtime-error', detail: 'output limit exceeded' };
  if (reply.signal)
    return {
      verdict: 'runtime-error',
      detail: `killed by ${SIGNAL_NAMES[reply.signal] ?? `signal ${reply.signal}`} after ${Math.round((reply.cpuUs ?? 0) / 1000)} ms CPU`,
    };
  if (reply.exitCode !== 0) {
    return {
      verdict: 'runtime-error',
      detail: `exit code ${reply.exitCode}${reply.exception ? ` (${reply.exception})` : ''}: ${lastLine(reply.stderr ?? '')}`,
    };
  }
  if ((test.kind ?? 'stdio') === 'call') {
    if (reply.result === null || reply.result === undefined)
      return { verdict: 'runtime-error', detail: 'no return value' };
    return callResultMatches(reply.result, test.output)
      ? { verdict: 'pass' }
      : { verdict: 'wrong-answer', detail: `returned ${reply.result.slice(0, 200)}` };
  }
  return stdioOutputsMatch(reply.stdout ?? '', test.output, compare)
    ? { verdict: 'pass' }
    : { verdict: 'wrong-answer' };
}

export function toTestResult(
  index: number,
  reply: LauncherReply,
  test: SandboxTest,
  limits: SandboxOptions,
  compare?: CompareOptions,
): TestResult {
  const { verdict, detail } = verdictOf(reply, test, limits, compare);
  return {
    index,
    verdict,
    ...(detail ? { detail } : {}),
    cpuUs: reply.cpuUs ?? 0,
    wallUs: reply.wallUs ?? 0,
    maxRssKb: reply.maxRssKb ?? 0,
    stdout: reply.stdout ?? '',
    stderr: reply.stderr ?? '',
  };
}

const ERRORISH: Verdict[] = ['runtime-error', 'timeout', 'memory-limit'];

/** Per-program figures as the original computes them. */
export function summarizeProgram(results: TestResult[]): ProgramResult {
  const n = results.length;
  const passed = results.filter((r) => r.verdict === 'pass').length;
  const allRuntime = n > 0 && results.every((r) => ERRORISH.includes(r.verdict));
  const allCompile = n > 0 && results.every((r) => r.verdict === 'compile-error');
  return {
    results,
    passRate: n ? passed / n : 0,
    allPass: n > 0 && passed === n,
    compiled: n === 0 || allRuntime || allCompile ? 0 : 1,
  };
}
