import type { PairedComparison } from '../stats/bootstrap.js';
import type { CostMeasure, Interval } from '../types.js';

export interface TrainingPoint {
  step: number;
  loss: number;
  /** Validation loss, on the steps where it was computed. */
  evalLoss?: number;
}

/** A variant's results on one test split (aggregates with intervals, per-problem speedups). */
export interface ReportSplitResults {
  programs?: number;
  metrics: Record<string, Interval>;
  perProblemSpeedups?: Array<{ problemId: string; speedup: number }>;
}

/** One variant's results as the report needs them. */
export interface ReportVariant {
  name: string;
  /** Programs evaluated (shown in the tables). */
  programs?: number;
  /** Aggregates with intervals, keyed by metric name (see METRICS; extra names are allowed). */
  metrics: Record<string, Interval>;
  /** Per-problem speedups (mean over the problem's samples). */
  perProblemSpeedups?: Array<{ problemId: string; speedup: number }>;
  trainingCurve?: TrainingPoint[];
  /** Aggregates by difficulty, if available. */
  byDifficulty?: Record<string, { programs: number; metrics: Record<string, Interval> }>;
  /** The same variant on the second test split (problems of families held out of training). */
  heldOut?: ReportSplitResults;
}

export interface ReportInput {
  title: string;
  /** The cost measure behind every efficiency number; the report states it. */
  measure: CostMeasure;
  variants: ReportVariant[];
  comparisons?: PairedComparison[];
  /**
   * The second test split, when the runs had one: what it is (e.g. "held-out families: a, b") and
   * the paired comparisons on it. The variants' `heldOut` hold its results.
   */
  heldOut?: { label: string; comparisons?: PairedComparison[] };
  /** Which metrics to show, in order (default: every metric any variant has). */
  metrics?: string[];
  /** Free-form lines shown under the title (config hashes, dataset, seeds, ...). */
  notes?: string[];
  /** Confidence level of the intervals, for the captions (default 0.95). */
  confidence?: number;
}

export interface RenderedReport {
  markdown: string;
  html: string;
}
