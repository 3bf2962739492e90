import { compareVariants, type Evaluation } from '../evaluate.js';
import type { BootstrapOptions } from '../stats/bootstrap.js';
import type { ReportInput, ReportSplit, ReportVariant, TrainingPoint } from './types.js';

const speedupsOf = (e: Evaluation): Array<{ problemId: string; speedup: number }> =>
  e.perProblem.flatMap((p) =>
    p.values.speedup === undefined ? [] : [{ problemId: p.problemId, speedup: p.values.speedup }],
  );

/**
 * Turn evaluated variants into a ReportInput, comparing every variant with the first (the
 * baseline). `evaluation` is the first test split; `splitEvaluations[id]` the others, named by
 * `options.splits` (in order) and reported beside it with their own comparisons.
 * `heldOutEvaluation` / `heldOutLabel` are shorthand for one more split with id `held-out`.
 */
export function buildReportInput(
  title: string,
  variants: Array<{
    name: string;
    evaluation: Evaluation;
    splitEvaluations?: Record<string, Evaluation>;
    heldOutEvaluation?: Evaluation;
    trainingCurve?: TrainingPoint[];
  }>,
  options: BootstrapOptions & {
    compareMetrics?: string[];
    metrics?: string[];
    notes?: string[];
    primaryLabel?: string;
    primaryId?: string;
    splits?: Array<{ id: string; label: string }>;
    heldOutLabel?: string;
    headline?: string[];
    grid?: ReportInput['grid'];
  } = {},
): ReportInput {
  if (variants.length === 0) throw new Error('buildReportInput: no variants');
  const measure = variants[0].evaluation.measure;
  for (const v of variants) {
    if (v.evaluation.measure.name !== measure.name) {
      throw new Error(
        `buildReportInput: variant ${v.name} uses cost measure "${v.evaluation.measure.name}", ${variants[0].name} uses "${measure.name}"`,
      );
    }
  }
  const splitsOf = (v: (typeof variants)[number]): Record<string, Evaluation> => ({
    ...(v.heldOutEvaluation ? { 'held-out': v.heldOutEvaluation } : {}),
    ...(v.splitEvaluations ?? {}),
  });
  const declared = [
    ...(options.splits ?? []),
    ...(variants.some((v) => v.heldOutEvaluation)
      ? [{ id: 'held-out', label: options.heldOutLabel ?? 'held-out families' }]
      : []),
  ];
  // Every split some variant has, in the declared order, then any undeclared (named by its id).
  const ids = [...new Set([...declared.map((s) => s.id), ...variants.flatMap((v) => Object.keys(splitsOf(v)))])].filter(
    (id) => variants.some((v) => splitsOf(v)[id]),
  );
  const rv: ReportVariant[] = variants.map((v) => ({
    name: v.name,
    programs: v.evaluation.programs,
    metrics: v.evaluation.metrics,
    byDifficulty: v.evaluation.byDifficulty,
    trainingCurve: v.trainingCurve,
    perProblemSpeedups: speedupsOf(v.evaluation),
    splits: Object.fromEntries(
      Object.entries(splitsOf(v)).map(([id, e]) => [
        id,
        { programs: e.programs, metrics: e.metrics, perProblemSpeedups: speedupsOf(e) },
      ]),
    ),
  }));
  const compareMetrics = options.compareMetrics ?? ['passRate', 'allPassRate', 'speedup', 'improvement'];
  const compareAll = (pick: (v: (typeof variants)[number]) => Evaluation | undefined) => {
    const base = pick(variants[0]);
    if (!base) return [];
    return variants.slice(1).flatMap((v) => {
      const e = pick(v);
      if (!e) return [];
      return compareMetrics
        .map((m) =>
          compareVariants({ name: v.name, evaluation: e }, { name: variants[0].name, evaluation: base }, m, options),
        )
        .filter((c) => c.problems > 0);
    });
  };
  const comparisons = compareAll((v) => v.evaluation);
  const splits: ReportSplit[] = ids.map((id) => ({
    id,
    label: declared.find((s) => s.id === id)?.label ?? id,
    comparisons: compareAll((v) => splitsOf(v)[id]),
  }));
  return {
    title,
    measure,
    variants: rv,
    comparisons,
    ...(options.primaryLabel ? { primaryLabel: options.primaryLabel } : {}),
    ...(options.primaryId ? { primaryId: options.primaryId } : {}),
    ...(splits.length ? { splits } : {}),
    metrics: options.metrics,
    ...(options.headline ? { headline: options.headline } : {}),
    ...(options.grid ? { grid: options.grid } : {}),
    notes: options.notes,
    confidence: variants[0].evaluation.bootstrap.confidence,
  };
}
