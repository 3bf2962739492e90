import { compareVariants, type Evaluation } from '../evaluate.js';
import type { BootstrapOptions } from '../stats/bootstrap.js';
import type { ReportInput, ReportVariant, TrainingPoint } from './types.js';

const speedupsOf = (e: Evaluation): Array<{ problemId: string; speedup: number }> =>
  e.perProblem.flatMap((p) =>
    p.values.speedup === undefined ? [] : [{ problemId: p.problemId, speedup: p.values.speedup }],
  );

/**
 * Turn evaluated variants into a ReportInput, comparing every variant with the first (the
 * baseline). Variants with a `heldOutEvaluation` (the second test split, of families held out of
 * training) get it reported beside the in-family one, with its own comparisons; `heldOutLabel`
 * says what it is.
 */
export function buildReportInput(
  title: string,
  variants: Array<{
    name: string;
    evaluation: Evaluation;
    heldOutEvaluation?: Evaluation;
    /** Further named test splits (e.g. `unseen-idiom`), by key. */
    splitEvaluations?: Record<string, Evaluation>;
    trainingCurve?: TrainingPoint[];
  }>,
  options: BootstrapOptions & {
    compareMetrics?: string[];
    metrics?: string[];
    notes?: string[];
    heldOutLabel?: string;
    /** Labels of the further test splits, by key, in the order the report shows them. */
    splitLabels?: Record<string, string>;
    /** What the main test split is (default `in-family`). */
    mainSplitLabel?: string;
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
  const rv: ReportVariant[] = variants.map((v) => ({
    name: v.name,
    programs: v.evaluation.programs,
    metrics: v.evaluation.metrics,
    byDifficulty: v.evaluation.byDifficulty,
    trainingCurve: v.trainingCurve,
    perProblemSpeedups: speedupsOf(v.evaluation),
    ...(v.heldOutEvaluation
      ? {
          heldOut: {
            programs: v.heldOutEvaluation.programs,
            metrics: v.heldOutEvaluation.metrics,
            perProblemSpeedups: speedupsOf(v.heldOutEvaluation),
          },
        }
      : {}),
    ...(v.splitEvaluations
      ? {
          splits: Object.fromEntries(
            Object.entries(v.splitEvaluations).map(([k, e]) => [
              k,
              { programs: e.programs, metrics: e.metrics, perProblemSpeedups: speedupsOf(e) },
            ]),
          ),
        }
      : {}),
  }));
  const compareMetrics = options.compareMetrics ?? ['passRate', 'strictPassRate', 'speedup', 'improvement'];
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
  const hasHeldOut = variants.some((v) => v.heldOutEvaluation);
  const splitKeys = [
    ...new Set([
      ...Object.keys(options.splitLabels ?? {}),
      ...variants.flatMap((v) => Object.keys(v.splitEvaluations ?? {})),
    ]),
  ].filter((k) => variants.some((v) => v.splitEvaluations?.[k]));
  return {
    title,
    measure,
    variants: rv,
    comparisons,
    ...(hasHeldOut
      ? {
          heldOut: {
            label: options.heldOutLabel ?? 'held-out families',
            comparisons: compareAll((v) => v.heldOutEvaluation),
          },
        }
      : {}),
    ...(splitKeys.length
      ? {
          splits: splitKeys.map((key) => ({
            key,
            label: options.splitLabels?.[key] ?? key,
            comparisons: compareAll((v) => v.splitEvaluations?.[key]),
          })),
        }
      : {}),
    ...(options.mainSplitLabel ? { mainSplitLabel: options.mainSplitLabel } : {}),
    metrics: options.metrics,
    notes: options.notes,
    confidence: variants[0].evaluation.bootstrap.confidence,
  };
}
