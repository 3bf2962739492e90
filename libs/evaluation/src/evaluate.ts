/**
 * evaluatePrograms: every metric's mean with a seeded bootstrap interval, overall and by
 * difficulty, plus per-problem values (for speedup distributions and paired comparisons).
 */
import { METRICS, metricDef, type MetricName } from './metrics.js';
import { bootstrapMeans, pairedBootstrap, type BootstrapOptions, type PairedComparison } from './stats/bootstrap.js';
import type { CostMeasure, Interval, JudgedProgram } from './types.js';

export interface EvaluateOptions extends BootstrapOptions {
  /** The cost measure the costs were taken with; every result carries it. */
  measure: CostMeasure;
  /** Per-program values of extra metrics (e.g. codeBleu from perProgramCodeBleu), aligned with programs. */
  extra?: Record<string, ReadonlyArray<number | undefined>>;
}

export interface ProblemValues {
  problemId: string;
  difficulty?: string;
  /** Per metric: mean over the problem's samples where defined. */
  values: Record<string, number | undefined>;
}

export interface Evaluation {
  measure: CostMeasure;
  programs: number;
  problems: number;
  /** Count of programs passing every case (the original's "number of code passes"). */
  passCount: number;
  metrics: Record<string, Interval>;
  byDifficulty: Record<string, { programs: number; metrics: Record<string, Interval> }>;
  perProblem: ProblemValues[];
  bootstrap: { seed: number; resamples: number; confidence: number };
}

function perProgramValues(
  programs: readonly JudgedProgram[],
  extra: EvaluateOptions['extra'],
): Record<string, Array<number | undefined>> {
  const out: Record<string, Array<number | undefined>> = {};
  for (const m of METRICS) out[m.name] = programs.map((p) => m.perProgram(p));
  for (const [k, v] of Object.entries(extra ?? {})) {
    if (v.length !== programs.length)
      throw new Error(`extra metric "${k}" has ${v.length} values for ${programs.length} programs`);
    out[k] = [...v];
  }
  return out;
}

export function evaluatePrograms(programs: readonly JudgedProgram[], options: EvaluateOptions): Evaluation {
  if (!options.measure?.name)
    throw new Error('evaluatePrograms: options.measure.name is required (which cost measure the costs use)');
  const seed = options.seed ?? 0;
  const resamples = options.resamples ?? 1000;
  const confidence = options.confidence ?? 0.95;
  const bs = { seed, resamples, confidence };
  const values = perProgramValues(programs, options.extra);
  const keys = programs.map((p) => p.problemId);
  const metrics = bootstrapMeans(values, keys, bs);

  const byDifficulty: Evaluation['byDifficulty'] = {};
  const diffs = [...new Set(programs.map((p) => p.difficulty ?? 'unknown'))].sort();
  for (const d of diffs) {
    const idx = programs.flatMap((p, i) => ((p.difficulty ?? 'unknown') === d ? [i] : []));
    const sub: Record<string, Array<number | undefined>> = {};
    for (const [k, v] of Object.entries(values)) sub[k] = idx.map((i) => v[i]);
    byDifficulty[d] = {
      programs: idx.length,
      metrics: bootstrapMeans(
        sub,
        idx.map((i) => keys[i]),
        bs,
      ),
    };
  }

  const perProblem = new Map<string, { difficulty?: string; idx: number[] }>();
  programs.forEach((p, i) => {
    const e = perProblem.get(p.problemId) ?? { difficulty: p.difficulty, idx: [] };
    e.idx.push(i);
    perProblem.set(p.problemId, e);
  });
  const problems: ProblemValues[] = [...perProblem.entries()].map(([problemId, e]) => {
    const vals: Record<string, number | undefined> = {};
    for (const [k, v] of Object.entries(values)) {
      const def = e.idx.map((i) => v[i]).filter((x): x is number => x !== undefined && !Number.isNaN(x));
      vals[k] = def.length ? def.reduce((s, x) => s + x, 0) / def.length : undefined;
    }
    return { problemId, difficulty: e.difficulty, values: vals };
  });

  return {
    measure: options.measure,
    programs: programs.length,
    problems: problems.length,
    passCount: programs.filter((_, i) => values.allPassRate[i] === 1).length,
    metrics,
    byDifficulty,
    perProblem: problems,
    bootstrap: bs,
  };
}

/** Paired bootstrap of one metric between two evaluated variants on their common problems. */
export function compareVariants(
  a: { name: string; evaluation: Evaluation },
  b: { name: string; evaluation: Evaluation },
  metric: MetricName | string,
  options: BootstrapOptions = {},
): PairedComparison {
  if (
    a.evaluation.measure.name !== b.evaluation.measure.name &&
    METRICS.some((m) => m.name === metric && metricDef(metric).usesCost)
  ) {
    throw new Error(
      `compareVariants: ${a.name} uses cost measure "${a.evaluation.measure.name}" but ${b.name} uses "${b.evaluation.measure.name}"`,
    );
  }
  const toMap = (e: Evaluation): Map<string, number> => {
    const m = new Map<string, number>();
    for (const p of e.perProblem) {
      const v = p.values[metric];
      if (v !== undefined) m.set(p.problemId, v);
    }
    return m;
  };
  return {
    ...pairedBootstrap(
      toMap(a.evaluation),
      toMap(b.evaluation),
      { metric, variantA: a.name, variantB: b.name },
      options,
    ),
    measure: a.evaluation.measure.name,
  };
}
