/**
 * Input types of @ecode/evaluation. They are deliberately independent of @ecode/sandbox:
 * the runner maps sandbox results into a JudgedProgram.
 */

/** Per-test-case verdict. The original's codes: pass = True, wrong-answer = False,
 * runtime-error / timeout / memory-limit = -1, compile-error = -2. */
export type Verdict = 'pass' | 'wrong-answer' | 'runtime-error' | 'timeout' | 'memory-limit' | 'compile-error';

export const VERDICTS: readonly Verdict[] = [
  'pass',
  'wrong-answer',
  'runtime-error',
  'timeout',
  'memory-limit',
  'compile-error',
];

/** One generated program after judging (E-code output, "EC"). */
export interface JudgedProgram {
  problemId: string;
  /** Which sample of the problem (several generations per problem are allowed). */
  sampleId?: string | number;
  /** Difficulty label used for breakdowns (e.g. "introductory", "interview", "competition"). */
  difficulty?: string;
  /** One verdict per test case, in test order. */
  verdicts: Verdict[];
  /** Cost of the generated program (EC), in the run's cost measure. Absent when not measured. */
  cost?: number;
  /** Cost of the inefficient input program (IC) in the same measure. */
  icCost?: number;
  /** Cost of the problem's reference fast solution in the same measure (for NET). */
  referenceCost?: number;
  /** Costs of the problem's pool of known solutions (for NPI and Beyond). */
  solutionCosts?: number[];
  /** Generated source (for BLEU-type metrics). */
  generated?: string;
  /** Reference efficient source (for BLEU-type metrics). */
  reference?: string;
}

/** Names the cost measure every efficiency number was computed with, e.g. "cpu-time-us". */
export interface CostMeasure {
  name: string;
  unit?: string;
}

/** A point estimate with a bootstrap interval. */
export interface Interval {
  estimate: number;
  lower: number;
  upper: number;
  /** Number of items the estimate was computed over (NaN estimates have n = 0). */
  n: number;
}
