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
  /** The same variant on the other test splits, by split id (see ReportInput.splits). */
  splits?: Record<string, ReportSplitResults>;
}

/** A test split after the first (e.g. problems of families held out of training). */
export interface ReportSplit {
  id: string;
  /** What it is, as headings say it (e.g. "held-out families (a, b)"). */
  label: string;
  comparisons?: PairedComparison[];
}

export interface ReportInput {
  title: string;
  /** The cost measure behind every efficiency number; the report states it. */
  measure: CostMeasure;
  variants: ReportVariant[];
  comparisons?: PairedComparison[];
  /** What the first test split is (default "test problems"), when there are several. */
  primaryLabel?: string;
  /** Its short name, for table columns (default "test"). */
  primaryId?: string;
  /** The other test splits, in order; the variants' `splits[id]` hold their results. */
  splits?: ReportSplit[];
  /** Which metrics to show, in order (default: every metric any variant has). */
  metrics?: string[];
  /**
   * The metrics of the headline chart, the first thing on the page (default: all-pass rate and
   * speedup, those present).
   */
  headline?: string[];
  /**
   * A grid or random search: each variant's point (swept key -> value), drawn as parallel
   * coordinates against `metric` (default: the first headline metric).
   */
  grid?: { keys: string[]; points: Record<string, Record<string, unknown>>; metric?: string };
  /** Free-form lines shown under the title (config hashes, dataset, seeds, ...). */
  notes?: string[];
  /** Confidence level of the intervals, for the captions (default 0.95). */
  confidence?: number;
}

export interface RenderedReport {
  markdown: string;
  html: string;
}
