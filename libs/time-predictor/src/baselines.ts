/**
 * The baselines the predictor must beat, all in log-time:
 * - global mean: the mean ln(µs) of the training rows, for every program;
 * - per-problem mean (an oracle): the mean ln(µs) of the problem's own evaluated rows, the same for
 *   every solution of a problem; it knows the problem's scale from measurements, so it bounds what
 *   problem-level knowledge alone gives (its pairwise accuracy is 0.5 by construction);
 * - lines of code: least-squares ln(µs) = a + b * (non-blank lines), fitted on the training rows.
 */
import { linesOfCode } from './timedb-row.js';

export interface LabelledCode {
  problemId: string;
  code: string;
  /** ln(µs). */
  logTime: number;
}

export interface Baseline {
  name: string;
  predictLog(rows: LabelledCode[]): number[];
}

export function globalMeanBaseline(train: LabelledCode[]): Baseline & { mean: number } {
  if (train.length === 0) throw new Error('globalMeanBaseline: no training rows');
  const mean = train.reduce((s, r) => s + r.logTime, 0) / train.length;
  return { name: 'global mean', mean, predictLog: (rows) => rows.map(() => mean) };
}

export function problemMeanBaseline(): Baseline {
  return {
    name: 'per-problem mean (oracle)',
    predictLog(rows) {
      const sums = new Map<string, { s: number; n: number }>();
      for (const r of rows) {
        const e = sums.get(r.problemId) ?? { s: 0, n: 0 };
        e.s += r.logTime;
        e.n++;
        sums.set(r.problemId, e);
      }
      return rows.map((r) => {
        const e = sums.get(r.problemId)!;
        return e.s / e.n;
      });
    },
  };
}

/** Ordinary least squares of y on one feature x; a constant x gives slope 0. */
export function fitLine(x: number[], y: number[]): { intercept: number; slope: number } {
  const n = x.length;
  if (n === 0 || y.length !== n)
    throw new Error(`fitLine: need equal, non-empty x and y (got ${x.length} and ${y.length})`);
  const mx = x.reduce((s, v) => s + v, 0) / n;
  const my = y.reduce((s, v) => s + v, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) ** 2;
  }
  const slope = sxx === 0 ? 0 : sxy / sxx;
  return { intercept: my - slope * mx, slope };
}

export function linesOfCodeBaseline(train: LabelledCode[]): Baseline & { intercept: number; slope: number } {
  const { intercept, slope } = fitLine(
    train.map((r) => linesOfCode(r.code)),
    train.map((r) => r.logTime),
  );
  return {
    name: 'lines of code',
    intercept,
    slope,
    predictLog: (rows) => rows.map((r) => intercept + slope * linesOfCode(r.code)),
  };
}
