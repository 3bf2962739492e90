/**
 * Sandbox: the lib's front door. Judges programs on tests (streamed or all at once), measures CPU
 * time over repeats, compares two programs with interleaved runs, and counts instructions with
 * cachegrind; optionally caching results on disk.
 */
import { ResultCache, type CacheKeyParts } from './cache.js';
import { detectHost, findValgrind, type HostInfo, type ValgrindInfo } from './host.js';
import { runUnderCachegrind, type InstructionRun } from './instructions.js';
import { summarizeProgram, toTestResult, type CompareOptions } from './judge.js';
import { installLauncher } from './launcher.js';
import { SandboxPool } from './pool.js';
import { summarize, type SampleSummary } from './stats.js';
import type { LauncherRequest } from './worker.js';
import {
  DEFAULT_SANDBOX_OPTIONS,
  type CostMeasure,
  type ProgramResult,
  type SandboxHostOptions,
  type SandboxJob,
  type SandboxOptions,
  type SandboxTest,
  type TestResult,
} from './types.js';

export interface CpuMeasurement {
  /** Total CPU µs over the tests, one sample per repeat. */
  samples: number[];
  summary: SampleSummary;
  /** Every test passed in every repeat (a measurement of a wrong program is flagged, not hidden). */
  allPassed: boolean;
}

export interface PairedComparison {
  a: CpuMeasurement;
  b: CpuMeasurement;
  /** Per pair: B's CPU time / A's, runs interleaved A B A B ... (order swapped every other pair). */
  ratios: number[];
  ratioSummary: SampleSummary;
}

export interface InstructionCount {
  /** Instructions of the run minus those of the empty program. */
  net: number;
  gross: number;
  empty: number;
  exitCode: number | null;
}

export interface CostResult {
  measure: CostMeasure;
  /** Median CPU µs (cpu-time) or net instructions (instructions), summed over the tests. */
  value: number;
  /** Per test: median CPU µs or net instruction count. */
  perTest: number[];
  spread?: SampleSummary;
}

function validate(o: SandboxOptions): void {
  const positive: Array<keyof SandboxOptions> = [
    'concurrency',
    'memoryMb',
    'cpuSeconds',
    'fileSizeMb',
    'maxProcesses',
    'outputLimitKb',
    'wallTimeoutSeconds',
  ];
  for (const k of positive) {
    const v = o[k];
    if (typeof v !== 'number' || !(v > 0) || !Number.isFinite(v))
      throw new Error(`sandbox options: ${k} must be a positive number, got ${String(v)}`);
  }
  if (o.mode !== 'pool' && o.mode !== 'strict')
    throw new Error(`sandbox options: mode must be 'pool' or 'strict', got ${String(o.mode)}`);
}

export class Sandbox {
  readonly options: SandboxOptions;
  readonly host: HostInfo;
  readonly launcher: { path: string; hash: string };
  private readonly pool: SandboxPool;
  private readonly cache?: ResultCache;
  private readonly prelude: boolean;
  private readonly tmpMb: number;
  private readonly uidBase: number;
  private valgrind?: ValgrindInfo;
  private emptyCount?: Promise<number>;

  constructor(
    options: Partial<SandboxOptions> = {},
    readonly hostOptions: SandboxHostOptions = {},
    readonly compare: CompareOptions = {},
  ) {
    this.options = { ...DEFAULT_SANDBOX_OPTIONS, ...options };
    validate(this.options);
    this.host = detectHost(hostOptions.pythonPath);
    this.launcher = installLauncher();
    this.prelude = hostOptions.prelude ?? true;
    this.tmpMb = hostOptions.tmpMb ?? 64;
    this.uidBase = hostOptions.uidBase ?? 61000;
    this.pool = new SandboxPool({
      host: this.host,
      launcherPath: this.launcher.path,
      mode: this.options.mode,
      concurrency: this.options.concurrency,
      tmpMb: this.tmpMb,
      uidBase: this.uidBase,
    });
    if (hostOptions.cacheDir) this.cache = new ResultCache(hostOptions.cacheDir);
  }

  /** The pool underneath (restart counts, worker handles). */
  get workers(): SandboxPool {
    return this.pool;
  }

  get cacheStats(): { hits: number; misses: number } | undefined {
    return this.cache ? { hits: this.cache.hits, misses: this.cache.misses } : undefined;
  }

  private request(code: string, test: SandboxTest): LauncherRequest {
    const o = this.options;
    return {
      code,
      input: test.input,
      kind: test.kind ?? 'stdio',
      ...(test.fnName ? { fnName: test.fnName } : {}),
      cpuSeconds: o.cpuSeconds,
      memoryMb: o.memoryMb,
      fileSizeMb: o.fileSizeMb,
      maxProcesses: o.maxProcesses,
      outputLimitBytes: o.outputLimitKb * 1024,
      wallTimeoutMs: Math.round(o.wallTimeoutSeconds * 1000),
      prelude: this.prelude,
    };
  }

  private keyParts(code: string, test: SandboxTest, measure: string): CacheKeyParts {
    const { mode: _mode, concurrency: _c, ...limits } = this.options;
    return {
      code,
      test: { input: test.input, output: test.output, kind: test.kind ?? 'stdio', fnName: test.fnName },
      limits: { ...limits, prelude: this.prelude, tmpMb: this.tmpMb, compare: this.compare },
      measure,
      pythonVersion: this.host.python.version,
      launcherHash: this.launcher.hash,
    };
  }

  /** Judges many (program, test) jobs, yielding each result as it finishes. */
  async *judgeJobs(jobs: SandboxJob[]): AsyncGenerator<{ job: SandboxJob; jobIndex: number; result: TestResult }> {
    const todo: number[] = [];
    for (let i = 0; i < jobs.length; i++) {
      const hit = this.cache?.get<TestResult>(this.keyParts(jobs[i].code, jobs[i].test, 'judge'));
      if (hit) yield { job: jobs[i], jobIndex: i, result: { ...hit, index: i, cached: true } };
      else todo.push(i);
    }
    const reqs = todo.map((i) => this.request(jobs[i].code, jobs[i].test));
    for await (const [k, r] of this.pool.stream(reqs)) {
      const i = todo[k];
      const job = jobs[i];
      const result = toTestResult(i, r.reply, job.test, this.options, this.compare);
      if (r.workerDied) {
        result.verdict = 'runtime-error';
        result.detail = `the sandbox died during this test and was restarted (${r.reply.stderr?.slice(0, 300)})`;
        result.workerRestarted = true;
      }
      // wall-clock timeouts depend on the machine's load at the time: never cached
      const loadDependent = r.workerDied || (result.verdict === 'timeout' && result.detail === 'wall-clock limit');
      if (this.cache && !loadDependent)
        this.cache.set(this.keyParts(job.code, job.test, 'judge'), { ...result, index: 0 });
      yield { job, jobIndex: i, result };
    }
  }

  /** Judges one program, yielding each test's result as it finishes (`index` says which test). */
  async *judgeStream(code: string, tests: SandboxTest[]): AsyncGenerator<TestResult> {
    for await (const { result } of this.judgeJobs(tests.map((test) => ({ code, test })))) yield result;
  }

  /** Judges one program on its tests: per-test verdicts plus pass rate, all-pass and compiled. */
  async judge(code: string, tests: SandboxTest[], onResult?: (r: TestResult) => void): Promise<ProgramResult> {
    const results: TestResult[] = new Array(tests.length);
    for await (const r of this.judgeStream(code, tests)) {
      results[r.index] = r;
      onResult?.(r);
    }
    return summarizeProgram(results);
  }

  private async cpuOnce(
    code: string,
    tests: SandboxTest[],
  ): Promise<{ total: number; perTest: number[]; ok: boolean }> {
    const perTest: number[] = [];
    let ok = true;
    for (const test of tests) {
      const r = await this.pool.run(this.request(code, test));
      const res = toTestResult(0, r.reply, test, this.options, this.compare);
      ok &&= res.verdict === 'pass' && !r.workerDied;
      perTest.push(res.cpuUs);
    }
    return { total: perTest.reduce((a, b) => a + b, 0), perTest, ok };
  }

  /** CPU time (µs, user + system, from wait4) of the program over `repeats` runs of all tests. */
  async measureCpu(code: string, tests: SandboxTest[], repeats: number): Promise<CpuMeasurement> {
    if (!(repeats >= 1)) throw new Error(`measureCpu: repeats must be >= 1, got ${repeats}`);
    const samples: number[] = [];
    let allPassed = true;
    for (let i = 0; i < repeats; i++) {
      const r = await this.cpuOnce(code, tests);
      samples.push(r.total);
      allPassed &&= r.ok;
    }
    return { samples, summary: summarize(samples), allPassed };
  }

  /** Paired comparison: runs A and B interleaved (A B, B A, A B, ...) and returns B/A per pair. */
  async compareCpu(codeA: string, codeB: string, tests: SandboxTest[], repeats: number): Promise<PairedComparison> {
    if (!(repeats >= 1)) throw new Error(`compareCpu: repeats must be >= 1, got ${repeats}`);
    const a: number[] = [];
    const b: number[] = [];
    let okA = true;
    let okB = true;
    for (let i = 0; i < repeats; i++) {
      const first = i % 2 === 0 ? 'a' : 'b';
      const r1 = await this.cpuOnce(first === 'a' ? codeA : codeB, tests);
      const r2 = await this.cpuOnce(first === 'a' ? codeB : codeA, tests);
      const [ra, rb] = first === 'a' ? [r1, r2] : [r2, r1];
      a.push(ra.total);
      b.push(rb.total);
      okA &&= ra.ok;
      okB &&= rb.ok;
    }
    const ratios = a.map((x, i) => b[i] / x);
    return {
      a: { samples: a, summary: summarize(a), allPassed: okA },
      b: { samples: b, summary: summarize(b), allPassed: okB },
      ratios,
      ratioSummary: summarize(ratios),
    };
  }

  private instructionOptions() {
    this.valgrind ??= findValgrind();
    const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;
    return {
      host: this.host,
      valgrind: this.valgrind,
      launcherPath: this.launcher.path,
      limits: this.options,
      tmpMb: this.tmpMb,
      prelude: this.prelude,
      ...(asRoot ? { uid: this.uidBase + 999 } : {}),
    };
  }

  /** The instruction count of the empty program (subtracted from every count). */
  emptyProgramInstructions(): Promise<number> {
    this.emptyCount ??= this.rawInstructions('', { input: '', output: '' }).then((r) => {
      if (!Number.isFinite(r.instructions)) throw new Error(`cachegrind failed on the empty program: ${r.stderr}`);
      return r.instructions;
    });
    return this.emptyCount;
  }

  private async rawInstructions(code: string, test: SandboxTest): Promise<InstructionRun> {
    const parts = this.keyParts(code, test, 'instructions');
    const hit = this.cache?.get<InstructionRun>(parts);
    if (hit) return hit;
    const r = await runUnderCachegrind(code, test, this.instructionOptions());
    if (this.cache && Number.isFinite(r.instructions)) this.cache.set(parts, r);
    return r;
  }

  /** Deterministic cost of one run: cachegrind instruction count minus the empty program's. */
  async countInstructions(code: string, test: SandboxTest): Promise<InstructionCount> {
    const empty = await this.emptyProgramInstructions();
    const r = await this.rawInstructions(code, test);
    if (!Number.isFinite(r.instructions)) {
      throw new Error(
        `countInstructions: cachegrind gave no count (exit ${r.exitCode}, signal ${r.signal}${r.timedOut ? ', timed out' : ''}): ${r.stderr.slice(-500)}`,
      );
    }
    return { net: r.instructions - empty, gross: r.instructions, empty, exitCode: r.exitCode };
  }

  /** The cost of a program on tests under the configured measure (evaluation.costMeasure). */
  async measureCost(
    code: string,
    tests: SandboxTest[],
    evaluation: { costMeasure: CostMeasure; repeats: number },
  ): Promise<CostResult> {
    if (evaluation.costMeasure === 'instructions') {
      const perTest: number[] = [];
      for (const t of tests) perTest.push((await this.countInstructions(code, t)).net);
      return { measure: 'instructions', value: perTest.reduce((a, b) => a + b, 0), perTest };
    }
    const parts = this.keyParts(code, { input: JSON.stringify(tests), output: '' }, `cpu-time:${evaluation.repeats}`);
    const hit = this.cache?.get<CostResult>(parts);
    if (hit) return hit;
    const perRepeat: number[][] = [];
    for (let i = 0; i < evaluation.repeats; i++) perRepeat.push((await this.cpuOnce(code, tests)).perTest);
    const perTest = tests.map((_, j) => summarize(perRepeat.map((r) => r[j])).median);
    const totals = perRepeat.map((r) => r.reduce((a, b) => a + b, 0));
    const spread = summarize(totals);
    const result: CostResult = { measure: 'cpu-time', value: spread.median, perTest, spread };
    this.cache?.set(parts, result);
    return result;
  }

  async close(): Promise<void> {
    await this.pool.close();
  }
}
