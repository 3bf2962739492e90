/**
 * The evaluate stage: every generated program judged in the sandbox, its cost measured, and the
 * metrics per test split -> `judged.jsonl`, `evaluation.json` and one evaluation file per further
 * test split (`evaluation-heldout.json`, ...).
 */
import { resolve } from 'node:path';
import { rm, writeFile } from 'node:fs/promises';
import type { ExperimentConfig } from '@ecode/config';
import { largestTests, type Problem } from '@ecode/data';
import {
  evaluatePrograms,
  peerMetricValues,
  perProgramCodeBleu,
  type Evaluation,
  type JudgedProgram,
} from '@ecode/evaluation';
import { Sandbox, type SandboxTest } from '@ecode/sandbox';
import type { GeneratedProgram, TestSplit } from './generate-stage.js';
import { evaluationPathOf } from './run-paths.js';
import type { StageContext } from './stage-context.js';

export interface JudgedRecord extends JudgedProgram {
  /** The test split beyond the main one (`held-out`, `unseen-idiom`, ...); absent for the main one. */
  testSplit?: string;
  solutionIndex: number;
  sample: number;
  passRate: number;
  compiled: 0 | 1;
  allPass: boolean;
  details: string[];
  /** CPU µs estimated by the execution-time predictor (programs that do not compile only). */
  predictedCost?: number;
  costLabel?: 'predicted';
}

/**
 * The peers' efficiency metrics (ENAMEL eff@k with pass@k, EvalPerf DPS / DPS_norm), computed
 * when generation draws several samples per input (a slow solution); undefined otherwise.
 * EvalPerf's clustering weight (10,000) is for CPU instructions; with CPU time only relative gaps count.
 */
export function peerExtras(
  judged: readonly JudgedRecord[],
  config: ExperimentConfig,
): Record<string, Array<number | undefined>> | undefined {
  if (config.generation.samplesPerInput < 2 || judged.length === 0) return undefined;
  return peerMetricValues(judged, {
    inputOf: (p) => `${p.problemId}#${(p as JudgedRecord).solutionIndex}`,
    dpsWeight: config.evaluation.costMeasure === 'instructions' ? 10_000 : 0,
  });
}

/** The metric names peerExtras adds, for the report's metric list. */
export function peerMetricNames(evaluation: { metrics: Record<string, unknown> }): string[] {
  const names = Object.keys(evaluation.metrics).filter((m) => /^effAt\d+$/.test(m));
  return [...names, ...['dps', 'dpsNorm'].filter((m) => m in evaluation.metrics)];
}

function toSandboxTests(tests: Problem['tests']): SandboxTest[] {
  return tests.map((t) => ({ input: t.input, output: t.output, kind: t.kind, fnName: t.fnName }));
}

export function measureName(config: ExperimentConfig): { name: string; unit: string } {
  const n = config.evaluation.largestTests;
  const on = n === 0 ? 'over every test' : `on the ${n === 1 ? 'largest test' : `${n} largest tests`}`;
  return config.evaluation.costMeasure === 'instructions'
    ? { name: 'instructions', unit: `instructions (valgrind cachegrind, empty program subtracted) ${on}` }
    : { name: 'cpu-time', unit: `µs CPU (median of ${config.evaluation.repeats}) ${on}` };
}

/** Judges every generated program in the sandbox and measures the costs the metrics need. */
export async function evaluateStage(
  ctx: StageContext,
  programs: GeneratedProgram[],
  problems: Map<string, Problem>,
): Promise<{
  evaluation: Evaluation;
  heldOutEvaluation?: Evaluation;
  /** Every further test split's evaluation, by name (`held-out`, `unseen-combination`, ...). */
  splitEvaluations: Record<string, Evaluation>;
  judged: JudgedRecord[];
}> {
  const { config, paths } = ctx;
  const e = config.evaluation;
  const s = config.sandbox;
  const sandbox = new Sandbox(
    {
      mode: s.mode,
      concurrency: s.concurrency,
      memoryMb: s.memoryMb,
      cpuSeconds: Math.min(s.cpuSeconds, e.timeoutSeconds),
      fileSizeMb: s.fileSizeMb,
      maxProcesses: s.maxProcesses,
      outputLimitKb: s.outputLimitKb,
      wallTimeoutSeconds: Math.min(s.wallTimeoutSeconds, e.timeoutSeconds * 2),
    },
    { cacheDir: '.cache/sandbox' },
  );
  const costOpts = { costMeasure: e.costMeasure, repeats: e.repeats };
  const solutionCosts = new Map<string, number[]>();
  const judged: JudgedRecord[] = [];
  const started = Date.now();
  try {
    let i = 0;
    for (const prog of programs) {
      if (ctx.signal.aborted) throw new Error('interrupted');
      const problem = problems.get(prog.problemId);
      if (!problem) throw new Error(`generations: problem ${prog.problemId} is not in the dataset`);
      const tests = toSandboxTests(problem.tests);
      // Correctness on every test; the cost on the largest ones (evaluation.largestTests).
      const timed = toSandboxTests(largestTests(problem.tests, e.largestTests));
      const result = await sandbox.judge(prog.code, tests);
      if (!solutionCosts.has(problem.id)) {
        const costs: number[] = [];
        for (const sol of problem.solutions) costs.push((await sandbox.measureCost(sol.code, timed, costOpts)).value);
        solutionCosts.set(problem.id, costs);
      }
      const costs = solutionCosts.get(problem.id) as number[];
      const fastIndex = problem.solutions.findIndex((x) => x.role === 'fast');
      const cost = result.allPass ? (await sandbox.measureCost(prog.code, timed, costOpts)).value : undefined;
      judged.push({
        problemId: problem.id,
        ...(prog.testSplit ? { testSplit: prog.testSplit } : {}),
        sampleId: `${prog.sampleId}/${prog.sample}`,
        difficulty: problem.difficulty,
        verdicts: result.results.map((r) => r.verdict),
        cost,
        icCost: costs[prog.solutionIndex],
        referenceCost: costs[fastIndex],
        solutionCosts: costs,
        generated: prog.code,
        reference: problem.solutions[fastIndex].code,
        solutionIndex: prog.solutionIndex,
        sample: prog.sample,
        passRate: result.passRate,
        compiled: result.compiled,
        allPass: result.allPass,
        details: result.results
          .filter((r) => r.detail)
          .map((r) => `test ${r.index}: ${r.verdict}: ${r.detail}`)
          .slice(0, 3),
      });
      i++;
      if (i % 5 === 0 || i === programs.length) ctx.log(`evaluate: ${i}/${programs.length} programs judged`);
    }
  } finally {
    await sandbox.close();
  }
  ctx.log(`evaluated ${judged.length} programs in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  const predicted = e.timePredictor ? await predictUncompiledCosts(ctx, judged) : undefined;
  await writeFile(paths.judged, judged.map((j) => JSON.stringify(j)).join('\n') + '\n');
  const codeBleu = e.metrics.includes('codeBleu') ? await perProgramCodeBleu(judged) : undefined;
  // One evaluation per test split: in-family (evaluation.json) and held-out families.
  const evaluateSplit = (split: TestSplit): Evaluation | undefined => {
    const idx = judged.flatMap((j, i) => (testSplitOf(j) === split ? [i] : []));
    if (idx.length === 0) return undefined;
    const extra: Record<string, Array<number | undefined>> = {};
    if (predicted) extra.predictedSpeedupUncompiled = idx.map((i) => predicted[i]);
    if (codeBleu) extra.codeBleu = idx.map((i) => codeBleu[i]);
    Object.assign(
      extra,
      peerExtras(
        idx.map((i) => judged[i]),
        config,
      ),
    );
    return evaluatePrograms(
      idx.map((i) => judged[i]),
      { measure: measureName(config), seed: config.experiment.seed, resamples: e.bootstrapSamples, extra },
    );
  };
  const evaluation = evaluateSplit('in-family');
  if (!evaluation) throw new Error('evaluate: no generated program of the in-family test split');
  await writeFile(paths.evaluation, JSON.stringify(evaluation, null, 2) + '\n');
  const splitEvaluations: Record<string, Evaluation> = {};
  for (const name of [...new Set(judged.flatMap((j) => (j.testSplit ? [j.testSplit] : [])))].sort()) {
    const ev = evaluateSplit(name)!;
    splitEvaluations[name] = ev;
    await writeFile(evaluationPathOf(paths, name), JSON.stringify(ev, null, 2) + '\n');
  }
  if (!splitEvaluations['held-out']) await rm(paths.evaluationHeldOut, { force: true });
  return { evaluation, heldOutEvaluation: splitEvaluations['held-out'], splitEvaluations, judged };
}

export function testSplitOf(j: { testSplit?: string }): TestSplit {
  return j.testSplit ?? 'in-family';
}

/**
 * `evaluation.timePredictor`: programs that do not compile cannot be timed; the execution-time
 * predictor estimates their CPU time instead. Their speedup over the slow input is kept apart
 * (metric `predictedSpeedupUncompiled`, labelled predicted) and never mixed into measured metrics.
 */
export async function predictUncompiledCosts(
  ctx: StageContext,
  judged: JudgedRecord[],
): Promise<Array<number | undefined>> {
  const { config } = ctx;
  const dir = resolve(ctx.configDir, config.evaluation.timePredictor as string);
  if (config.evaluation.costMeasure !== 'cpu-time') {
    ctx.log(
      `evaluation.timePredictor: ignored, it predicts CPU time but the cost measure is ${config.evaluation.costMeasure}`,
    );
    return judged.map(() => undefined);
  }
  const { TimePredictor, predictUncompiled } = await import('@ecode/time-predictor');
  const predictor = await TimePredictor.load(dir);
  const targets = judged.map((j, i) => ({ j, i })).filter(({ j }) => j.compiled === 0);
  const out: Array<number | undefined> = judged.map(() => undefined);
  if (targets.length === 0) return out;
  const estimates = predictUncompiled(
    predictor,
    targets.map(({ j }) => j.generated ?? ''),
  );
  targets.forEach(({ j, i }, k) => {
    j.predictedCost = estimates[k].timeUs;
    j.costLabel = 'predicted';
    if (j.icCost !== undefined && estimates[k].timeUs > 0) out[i] = j.icCost / estimates[k].timeUs;
  });
  ctx.log(`evaluate: predicted CPU time for ${targets.length} programs that do not compile (${dir})`);
  return out;
}
