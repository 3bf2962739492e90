/**
 * How well predicted times match measured ones: MAE in µs, MAE of the natural log of the time,
 * Spearman rank correlation, and pairwise accuracy within a problem (for two solutions of the
 * same problem with different measured times, is the faster one predicted faster; a tie in the
 * prediction counts one half).
 */

export interface Prediction {
  problemId: string;
  /** ln(measured µs). */
  trueLog: number;
  /** ln(predicted µs). */
  predLog: number;
}

export interface TimeMetrics {
  n: number;
  maeUs: number;
  maeLog: number;
  /** Median |ln pred - ln true|: exp of it is the typical multiplicative error. */
  medianAbsLog: number;
  /** NaN when either side is constant. */
  spearman: number;
  /** NaN when no problem has two solutions with different times. */
  pairwiseAccuracy: number;
  pairs: number;
  /** Pairwise accuracy over pairs whose measured times differ by at least 1.25x. */
  pairwiseAccuracyClear: number;
  pairsClear: number;
}

/** Ranks 1..n with ties given their average rank. */
export function averageRanks(values: number[]): number[] {
  const order = values.map((v, i) => ({ v, i })).sort((a, b) => a.v - b.v);
  const ranks = new Array<number>(values.length);
  let i = 0;
  while (i < order.length) {
    let j = i;
    while (j + 1 < order.length && order[j + 1].v === order[i].v) j++;
    const r = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) ranks[order[k].i] = r;
    i = j + 1;
  }
  return ranks;
}

export function pearson(a: number[], b: number[]): number {
  const n = a.length;
  if (n < 2 || b.length !== n) return NaN;
  const ma = a.reduce((s, x) => s + x, 0) / n;
  const mb = b.reduce((s, x) => s + x, 0) / n;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    sab += (a[i] - ma) * (b[i] - mb);
    saa += (a[i] - ma) ** 2;
    sbb += (b[i] - mb) ** 2;
  }
  return saa === 0 || sbb === 0 ? NaN : sab / Math.sqrt(saa * sbb);
}

/** Spearman's rho: Pearson correlation of the average ranks (as scipy.stats.spearmanr). */
export function spearman(a: number[], b: number[]): number {
  return pearson(averageRanks(a), averageRanks(b));
}

/** Pairwise accuracy within groups; pairs whose true values differ by less than `minGap` are ignored. */
export function pairwiseAccuracy(preds: Prediction[], minGap = 0): { accuracy: number; pairs: number } {
  const groups = new Map<string, Prediction[]>();
  for (const p of preds) {
    const g = groups.get(p.problemId);
    if (g) g.push(p);
    else groups.set(p.problemId, [p]);
  }
  let score = 0;
  let pairs = 0;
  for (const g of groups.values()) {
    for (let i = 0; i < g.length; i++) {
      for (let j = i + 1; j < g.length; j++) {
        const dt = g[i].trueLog - g[j].trueLog;
        if (dt === 0 || Math.abs(dt) < minGap) continue;
        const dp = g[i].predLog - g[j].predLog;
        pairs++;
        score += dp === 0 ? 0.5 : Math.sign(dp) === Math.sign(dt) ? 1 : 0;
      }
    }
  }
  return { accuracy: pairs === 0 ? NaN : score / pairs, pairs };
}

function median(xs: number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export function timeMetrics(preds: Prediction[]): TimeMetrics {
  const n = preds.length;
  const absLog = preds.map((p) => Math.abs(p.predLog - p.trueLog));
  const all = pairwiseAccuracy(preds);
  const clear = pairwiseAccuracy(preds, Math.log(1.25));
  return {
    n,
    maeUs: n ? preds.reduce((s, p) => s + Math.abs(Math.exp(p.predLog) - Math.exp(p.trueLog)), 0) / n : NaN,
    maeLog: n ? absLog.reduce((s, x) => s + x, 0) / n : NaN,
    medianAbsLog: median(absLog),
    spearman: spearman(
      preds.map((p) => p.trueLog),
      preds.map((p) => p.predLog),
    ),
    pairwiseAccuracy: all.accuracy,
    pairs: all.pairs,
    pairwiseAccuracyClear: clear.accuracy,
    pairsClear: clear.pairs,
  };
}
