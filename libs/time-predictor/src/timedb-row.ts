/** One CodeExecTimeDB row: a program, where it comes from, its views and its measured cost. */
import type { Split } from '@ecode/data';
import type { TimeView } from './config.js';
import type { CodeViews } from './views.js';

export interface TimeSpread {
  /** Repeats. */
  n: number;
  min: number;
  max: number;
  /** Coefficient of variation of the per-repeat totals. */
  cv: number;
  iqr: number;
}

export interface TimeRow {
  /** `<problemId>#<solution index>`. */
  id: string;
  problemId: string;
  split: Split;
  role: 'slow' | 'fast';
  family?: string;
  variant?: string;
  /** Corpus problems: `in-distribution`, `unseen-combination` or `unseen-idiom` (@ecode/data). */
  testSplit?: string;
  /** The four views; `views.ori` is the program as written. */
  views: CodeViews;
  /** Median over repeats of the CPU µs summed over the measured tests. */
  timeUs: number;
  /** Net instructions summed over the measured tests (cost measure `instructions` only). */
  instructions?: number;
  spread: TimeSpread;
  /** Tests measured (the largest ones). */
  tests: number;
  /** Every measured test passed in every repeat. */
  passed: boolean;
  /** Hash of what was measured and how (code, tests, measure, repeats): rebuilds reuse rows with the same key. */
  key: string;
}

export function rowCode(row: TimeRow, view: TimeView): string {
  return row.views[view];
}

/** Non-blank lines of code (the lines-of-code baseline's feature). */
export function linesOfCode(code: string): number {
  let n = 0;
  for (const line of code.split('\n')) if (line.trim().length > 0) n++;
  return n;
}
