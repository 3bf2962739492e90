/**
 * Building CodeExecTimeDB from a dataset: every solution of every problem is measured in the
 * sandbox on the problem's largest tests (CPU µs, median of `repeats`; instructions too when the
 * cost measure is `instructions`), its views are derived, and the row keeps its problem's split.
 * Rows whose key (code, tests, measure, repeats) is already known are reused, not re-measured.
 */
import { createHash } from 'node:crypto';
import { assignSplits, largestTests, type Problem, type Split, type TestCase } from '@ecode/data';
import type { CpuMeasurement, InstructionCount, SandboxTest } from '@ecode/sandbox';
import type { TimePredictorConfig } from './config.js';
import type { TimeRow } from './timedb-row.js';
import { deriveViews, type DeriveOptions } from './views.js';

/** What building needs from a sandbox (`Sandbox` from @ecode/sandbox fits). */
export interface Measurer {
  measureCpu(code: string, tests: SandboxTest[], repeats: number): Promise<CpuMeasurement>;
  countInstructions(code: string, test: SandboxTest): Promise<InstructionCount>;
}

export type MeasurementOptions = Pick<
  TimePredictorConfig['measurement'],
  'costMeasure' | 'repeats' | 'largestTests' | 'concurrency' | 'deleteFraction'
>;

export interface BuildProgress {
  done: number;
  total: number;
  reused: number;
}

export interface BuildOptions {
  measurement: MeasurementOptions;
  /** Seed of the RandDel deletions. */
  seed: number;
  /** Split of each problem (default: the problem's own). */
  splitOf?: (p: Problem) => Split;
  /** Rows from an earlier build, by key. */
  known?: Map<string, TimeRow>;
  /** Called with each newly measured row (e.g. to append it to a partial file). */
  onRow?: (row: TimeRow) => void | Promise<void>;
  onProgress?: (p: BuildProgress) => void;
  views?: DeriveOptions;
}

export interface BuildResult {
  rows: TimeRow[];
  /** Solutions left out, by reason. */
  skipped: Record<string, number>;
  reused: number;
}

export function measurementKey(
  code: string,
  tests: TestCase[],
  m: Pick<MeasurementOptions, 'costMeasure' | 'repeats'>,
): string {
  const h = createHash('sha256');
  h.update(
    JSON.stringify([
      code,
      tests.map((t) => [t.input, t.output, t.kind ?? 'stdio', t.fnName ?? '']),
      m.costMeasure,
      m.repeats,
    ]),
  );
  return h.digest('hex').slice(0, 32);
}

/** Splits problems by id with the config's seed and fractions. */
export function problemSplitter(
  problems: Problem[],
  split: TimePredictorConfig['data']['split'],
): (p: Problem) => Split {
  if (split.mode === 'source') return (p) => p.split;
  // Corpus problems of the unseen splits stay test problems; only in-distribution ones are re-split.
  const pool = problems.filter((p) => (p.testSplit ?? 'in-distribution') === 'in-distribution');
  const map = assignSplits(
    pool.map((p) => p.id),
    { seed: split.seed, fractions: { train: 1 - split.valid - split.test, valid: split.valid, test: split.test } },
  );
  return (p) => map.get(p.id) ?? 'test';
}

async function pool<T>(items: T[], concurrency: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(concurrency, items.length) }, async () => {
    while (next < items.length) await work(items[next++]);
  });
  await Promise.all(workers);
}

export async function buildTimeDb(
  problems: Problem[],
  measurer: Measurer,
  options: BuildOptions,
): Promise<BuildResult> {
  const m = options.measurement;
  const splitOf = options.splitOf ?? ((p: Problem) => p.split);
  const skipped: Record<string, number> = {};
  const bump = (k: string) => (skipped[k] = (skipped[k] ?? 0) + 1);

  interface Job {
    /** Position in `jobs` (and in the views batch). */
    n: number;
    problem: Problem;
    index: number;
    tests: TestCase[];
    key: string;
  }
  const jobs: Job[] = [];
  for (const problem of problems) {
    const tests = largestTests(problem.tests, m.largestTests);
    if (tests.length === 0) {
      for (let i = 0; i < problem.solutions.length; i++) bump('problem has no tests');
      continue;
    }
    problem.solutions.forEach((s, index) =>
      jobs.push({ n: jobs.length, problem, index, tests, key: measurementKey(s.code, tests, m) }),
    );
  }

  const viewResults = await deriveViews(
    jobs.map((j) => ({ key: `${j.problem.id}#${j.index}`, code: j.problem.solutions[j.index].code })),
    { ...options.views, seed: options.seed, deleteFraction: m.deleteFraction },
  );

  const rows = new Map<Job, TimeRow>();
  let done = 0;
  let reused = 0;
  const measure = async (job: Job): Promise<void> => {
    const v = viewResults[job.n];
    const sol = job.problem.solutions[job.index];
    const id = `${job.problem.id}#${job.index}`;
    const split = splitOf(job.problem);
    const base = {
      id,
      problemId: job.problem.id,
      split,
      role: sol.role,
      family: job.problem.family,
      variant: sol.variant,
      ...(job.problem.testSplit ? { testSplit: job.problem.testSplit } : {}),
    };
    if (!v.ok) {
      bump(`python cannot parse the program (${v.error.split(':')[0]})`);
    } else {
      const known = options.known?.get(job.key);
      if (known && known.views.ori === sol.code) {
        rows.set(job, { ...known, ...base, views: v.views });
        reused++;
      } else {
        const cpu = await measurer.measureCpu(sol.code, job.tests, m.repeats);
        let instructions: number | undefined;
        if (m.costMeasure === 'instructions') {
          instructions = 0;
          for (const t of job.tests) instructions += (await measurer.countInstructions(sol.code, t)).net;
        }
        const s = cpu.summary;
        const row: TimeRow = {
          ...base,
          views: v.views,
          timeUs: s.median,
          ...(instructions !== undefined ? { instructions } : {}),
          spread: { n: s.n, min: s.min, max: s.max, cv: s.cv, iqr: s.iqr },
          tests: job.tests.length,
          passed: cpu.allPassed,
          key: job.key,
        };
        rows.set(job, row);
        await options.onRow?.(row);
      }
    }
    done++;
    options.onProgress?.({ done, total: jobs.length, reused });
  };
  await pool(jobs, Math.max(1, m.concurrency), measure);
  return { rows: jobs.filter((j) => rows.has(j)).map((j) => rows.get(j)!), skipped, reused };
}
