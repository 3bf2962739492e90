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
  /** The same variant on each further named test split (`ReportInput.splits`), by key. */
  splits?: Record<string, ReportSplitResults>;
}

/** A further named test split beside the main one (e.g. `unseen-idiom`). */
export interface ReportSplit {
  key: string;
  /** What it is, for headings (e.g. "unseen idioms: a, b"). */
  label: string;
  comparisons?: PairedComparison[];
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
  /**
   * Further test splits, in order, reported beside the main one (each variant's `splits[key]`).
   * A legacy `heldOut` is the split with key `held-out`.
   */
  splits?: ReportSplit[];
  /** What the main test split is, for headings (default `in-family`). */
  mainSplitLabel?: string;
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
