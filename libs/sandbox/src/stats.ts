/** Median and spread of repeated measurements. */

export interface SampleSummary {
  n: number;
  median: number;
  min: number;
  max: number;
  mean: number;
  /** Sample standard deviation (n - 1). */
  stdev: number;
  /** Coefficient of variation: stdev / mean (0 when the mean is 0). */
  cv: number;
  /** Interquartile range (linear interpolation). */
  iqr: number;
}

function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

export function summarize(samples: number[]): SampleSummary {
  const s = [...samples].sort((a, b) => a - b);
  const n = s.length;
  if (n === 0) return { n: 0, median: NaN, min: NaN, max: NaN, mean: NaN, stdev: NaN, cv: NaN, iqr: NaN };
  const mean = s.reduce((a, b) => a + b, 0) / n;
  const stdev = n > 1 ? Math.sqrt(s.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1)) : 0;
  return {
    n,
    median: quantile(s, 0.5),
    min: s[0],
    max: s[n - 1],
    mean,
    stdev,
    cv: mean === 0 ? 0 : stdev / mean,
    iqr: quantile(s, 0.75) - quantile(s, 0.25),
  };
}
