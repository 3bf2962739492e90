/**
 * The sandbox's vocabulary: tests, options (named as in the experiment config's `sandbox` and
 * `evaluation` sections), verdicts and results.
 */

/** One test case. Structurally the same as @ecode/data's TestCase. */
export interface SandboxTest {
  /** stdin text, or for call-based tests a JSON array of arguments. */
  input: string;
  /** expected stdout, or for call-based tests the JSON of the return value. */
  output: string;
  kind?: 'stdio' | 'call';
  fnName?: string;
}

export type SandboxMode = 'pool' | 'strict';
export type CostMeasure = 'cpu-time' | 'instructions';

/** Mirrors the config's `sandbox` section. */
export interface SandboxOptions {
  /** `pool`: one long-lived sandbox per slot, a fork per test. `strict`: a fresh sandbox per test. */
  mode: SandboxMode;
  /** Tests run at the same time (slots). */
  concurrency: number;
  /** Address-space limit of a test (RLIMIT_AS). */
  memoryMb: number;
  /** CPU-seconds limit of a test (RLIMIT_CPU, soft = hard); fractions round up. */
  cpuSeconds: number;
  /** Largest file a test may write (RLIMIT_FSIZE). */
  fileSizeMb: number;
  /** RLIMIT_NPROC of a slot's uid (the worker counts too). */
  maxProcesses: number;
  /** stdout cap; a test that writes more is killed (runtime error). */
  outputLimitKb: number;
  /** Wall-clock limit of a test, enforced from outside the program. */
  wallTimeoutSeconds: number;
}

/** Mirrors the config's `evaluation` section (the parts the sandbox uses). */
export interface EvaluationOptions {
  timeoutSeconds: number;
  repeats: number;
  costMeasure: CostMeasure;
}

/** Host-side settings that are not part of the experiment config. */
export interface SandboxHostOptions {
  /** Python interpreter to run programs with (default /usr/bin/python3, resolved). */
  pythonPath?: string;
  /** Run the import prelude of the original harness before each program (default true). */
  prelude?: boolean;
  /** When the judge runs as root, slot i runs as uid/gid `uidBase + i` (default 61000). */
  uidBase?: number;
  /** Size of the sandbox's /tmp tmpfs in MiB (default 64). */
  tmpMb?: number;
  /** On-disk result cache folder; none when absent. */
  cacheDir?: string;
}

/** The config schema's defaults (libs/config `SandboxSection`). */
export const DEFAULT_SANDBOX_OPTIONS: SandboxOptions = {
  mode: 'pool',
  concurrency: 2,
  memoryMb: 1024,
  cpuSeconds: 10,
  fileSizeMb: 16,
  maxProcesses: 16,
  outputLimitKb: 1024,
  wallTimeoutSeconds: 10,
};

export type Verdict = 'pass' | 'wrong-answer' | 'runtime-error' | 'timeout' | 'memory-limit' | 'compile-error';

/** What the launcher reports for one run (see python/launcher.py). */
export interface LauncherReply {
  id?: number;
  compileError?: string;
  launcherError?: string;
  exitCode?: number | null;
  signal?: number | null;
  cpuUs?: number;
  wallUs?: number;
  maxRssKb?: number;
  minorFaults?: number;
  timedOut?: boolean;
  outputExceeded?: boolean;
  stdout?: string;
  stderr?: string;
  exception?: string | null;
  result?: string | null;
  workerPid?: number;
}

export interface TestResult {
  /** Index of the test in the list given. */
  index: number;
  verdict: Verdict;
  /** Why, in words, for anything but a pass. */
  detail?: string;
  /** User + system CPU time of the test's process (µs), from wait4. */
  cpuUs: number;
  wallUs: number;
  maxRssKb: number;
  stdout: string;
  stderr: string;
  /** The worker died during this test and was restarted. */
  workerRestarted?: boolean;
  cached?: boolean;
}

export interface ProgramResult {
  results: TestResult[];
  /** Fraction of tests passed (the original's fractional IO pass rate). */
  passRate: number;
  allPass: boolean;
  /** The original's rule: 0 when every test is a runtime error, or every test a compile error. */
  compiled: 0 | 1;
}

/** One unit of work for the pool. */
export interface SandboxJob {
  code: string;
  test: SandboxTest;
  /** Caller's tag, returned with the result. */
  tag?: unknown;
}
