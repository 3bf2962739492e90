/**
 * Seeded percentile bootstrap. Items are resampled by cluster (problem): with one sample per
 * problem this is the ordinary bootstrap over programs; with several samples per problem it
 * keeps a problem's samples together.
 */
import type { Interval } from '../types.js';
import { mulberry32 } from '@ecode/config';

export interface BootstrapOptions {
  seed?: number;
  /** Number of resamples (default 1000). */
  resamples?: number;
  /** Confidence level (default 0.95). */
  confidence?: number;
}

/** numpy.percentile's default (linear interpolation) on a sorted array, q in [0, 1]. */
export function quantileSorted(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

/** Group item indices by cluster key, in first-appearance order. */
export function clusters(keys: readonly string[]): number[][] {
  const m = new Map<string, number[]>();
  keys.forEach((k, i) => {
    const g = m.get(k);
    if (g) g.push(i);
    else m.set(k, [i]);
  });
  return [...m.values()];
}

/**
 * Mean of the defined values (NaN/undefined = excluded) with a percentile bootstrap interval,
 * resampling clusters of items.
 */
export function bootstrapMean(
  values: ReadonlyArray<number | undefined>,
  clusterKeys: readonly string[] | undefined,
  options: BootstrapOptions = {},
): Interval {
  return bootstrapMeans({ v: values }, clusterKeys, options).v;
}

/** Several metrics over the same items, resampled with the same draws. */
export function bootstrapMeans<K extends string>(
  metrics: Record<K, ReadonlyArray<number | undefined>>,
  clusterKeys: readonly string[] | undefined,
  options: BootstrapOptions = {},
): Record<K, Interval> {
  const names = Object.keys(metrics) as K[];
  const n = names.length ? metrics[names[0]].length : 0;
  for (const k of names) {
    if (metrics[k].length !== n)
      throw new Error(`bootstrapMeans: metric "${k}" has ${metrics[k].length} values, expected ${n}`);
  }
  if (clusterKeys && clusterKeys.length !== n) {
    throw new Error(`bootstrapMeans: ${clusterKeys.length} cluster keys for ${n} items`);
  }
  const B = options.resamples ?? 1000;
  const conf = options.confidence ?? 0.95;
  if (!(conf > 0 && conf < 1)) throw new Error(`bootstrap confidence must be in (0, 1), got ${conf}`);
  const groups = clusterKeys ? clusters(clusterKeys) : Array.from({ length: n }, (_, i) => [i]);
  const rand = mulberry32(options.seed ?? 0);
  const vals = names.map((k) => Float64Array.from(metrics[k], (x) => (x === undefined ? NaN : x)));
  // per-cluster sums and counts of defined values
  const gs = vals.map((v) => groups.map((g) => g.reduce((s, i) => (Number.isNaN(v[i]) ? s : s + v[i]), 0)));
  const gc = vals.map((v) => groups.map((g) => g.reduce((s, i) => (Number.isNaN(v[i]) ? s : s + 1), 0)));
  const stats = names.map(() => [] as number[]);
  const G = groups.length;
  for (let b = 0; b < B && G > 0; b++) {
    const sums = new Array<number>(names.length).fill(0);
    const cnts = new Array<number>(names.length).fill(0);
    for (let j = 0; j < G; j++) {
      const g = Math.floor(rand() * G);
      for (let m = 0; m < names.length; m++) {
        sums[m] += gs[m][g];
        cnts[m] += gc[m][g];
      }
    }
    for (let m = 0; m < names.length; m++) if (cnts[m] > 0) stats[m].push(sums[m] / cnts[m]);
  }
  const out = {} as Record<K, Interval>;
  names.forEach((k, m) => {
    const count = gc[m].reduce((a, c) => a + c, 0);
    const estimate = count ? gs[m].reduce((a, c) => a + c, 0) / count : NaN;
    const sorted = stats[m].sort((a, c) => a - c);
    const alpha = (1 - conf) / 2;
    out[k] = {
      estimate,
      lower: count ? quantileSorted(sorted, alpha) : NaN,
      upper: count ? quantileSorted(sorted, 1 - alpha) : NaN,
      n: count,
    };
  });
  return out;
}

export interface PairedComparison {
  metric: string;
  variantA: string;
  variantB: string;
  /** Problems where both variants have a defined value. */
  problems: number;
  meanA: number;
  meanB: number;
  /** meanA - meanB with its bootstrap interval. */
  difference: Interval;
  /**
   * Two-sided bootstrap p-value for "no difference": the share of resampled differences that
   * lie at least |observed| from the observed one (null distribution = the bootstrap
   * distribution shifted to 0), with the +1 correction: (1 + count) / (1 + resamples).
   */
  pValue: number;
  /** The cost measure behind the compared values (set by compareVariants). */
  measure?: string;
}

/**
 * Paired bootstrap between two variants on the same problems: per-problem values (already
 * averaged over samples) are paired by problem id and problems are resampled together.
 */
export function pairedBootstrap(
  a: ReadonlyMap<string, number>,
  b: ReadonlyMap<string, number>,
  names: { metric: string; variantA: string; variantB: string },
  options: BootstrapOptions = {},
): PairedComparison {
  const ids = [...a.keys()].filter((k) => b.has(k) && Number.isFinite(a.get(k)) && Number.isFinite(b.get(k))).sort();
  const da = ids.map((k) => a.get(k) as number);
  const db = ids.map((k) => b.get(k) as number);
  const n = ids.length;
  const mean = (x: number[]): number => (x.length ? x.reduce((s, v) => s + v, 0) / x.length : NaN);
  const diffs = ids.map((_, i) => da[i] - db[i]);
  const observed = mean(diffs);
  const B = options.resamples ?? 1000;
  const conf = options.confidence ?? 0.95;
  const rand = mulberry32(options.seed ?? 0);
  const boot: number[] = [];
  for (let r = 0; r < B && n > 0; r++) {
    let s = 0;
    for (let j = 0; j < n; j++) s += diffs[Math.floor(rand() * n)];
    boot.push(s / n);
  }
  let extreme = 0;
  for (const d of boot) if (Math.abs(d - observed) >= Math.abs(observed) - 1e-12) extreme++;
  boot.sort((x, y) => x - y);
  const alpha = (1 - conf) / 2;
  return {
    ...names,
    problems: n,
    meanA: mean(da),
    meanB: mean(db),
    difference: {
      estimate: observed,
      lower: quantileSorted(boot, alpha),
      upper: quantileSorted(boot, 1 - alpha),
      n,
    },
    pValue: n ? (1 + extreme) / (1 + B) : NaN,
  };
}
