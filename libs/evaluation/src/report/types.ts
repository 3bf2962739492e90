import type { PairedComparison } from '../stats/bootstrap.js';
import type { CostMeasure, Interval } from '../types.js';

export interface TrainingPoint {
  step: number;
  loss: number;
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
}

export interface ReportInput {
  title: string;
  /** The cost measure behind every efficiency number; the report states it. */
  measure: CostMeasure;
  variants: ReportVariant[];
  comparisons?: PairedComparison[];
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
