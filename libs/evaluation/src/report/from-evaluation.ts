import { compareVariants, type Evaluation } from '../evaluate.js';
import type { BootstrapOptions } from '../stats/bootstrap.js';
import type { ReportInput, ReportVariant, TrainingPoint } from './types.js';

/** Turn evaluated variants into a ReportInput, comparing every variant with the first (the baseline). */
export function buildReportInput(
  title: string,
  variants: Array<{ name: string; evaluation: Evaluation; trainingCurve?: TrainingPoint[] }>,
  options: BootstrapOptions & { compareMetrics?: string[]; metrics?: string[]; notes?: string[] } = {},
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
    perProblemSpeedups: v.evaluation.perProblem.flatMap((p) =>
      p.values.speedup === undefined ? [] : [{ problemId: p.problemId, speedup: p.values.speedup }],
    ),
  }));
  const compareMetrics = options.compareMetrics ?? ['passRate', 'strictPassRate', 'speedup', 'improvement'];
  const comparisons = variants
    .slice(1)
    .flatMap((v) =>
      compareMetrics.map((m) => compareVariants(v, variants[0], m, options)).filter((c) => c.problems > 0),
    );
  return {
    title,
    measure,
    variants: rv,
    comparisons,
    metrics: options.metrics,
    notes: options.notes,
    confidence: variants[0].evaluation.bootstrap.confidence,
  };
}
