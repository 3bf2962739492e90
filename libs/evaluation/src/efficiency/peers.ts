/**
 * The efficiency metrics of two peer benchmarks, computed from ecode's judged programs:
 *
 * - ENAMEL (Qiu et al., ICLR 2025, arXiv 2406.06647; github.com/q-rz/enamel): a sample's
 *   efficiency score e = max(0, T - t) / (T - t_ref), with the time limit T = alpha x t_ref
 *   (alpha = 2 in ENAMEL's evaluation); a sample that is wrong, or that times out (its time is
 *   right-censored at T), scores 0. eff@k = the expected best score among k of a problem's n
 *   samples drawn without replacement, estimated without bias from all n:
 *   eff@k = sum_{i=k..n} C(i-1, k-1) / C(n, k) x e_(i), with e_(1) <= ... <= e_(n).
 *   With scores in {0, 1} this is exactly HumanEval's unbiased pass@k.
 * - EvalPerf (Liu et al., COLM 2024, arXiv 2408.06450; evalplus/evalperf.py): the reference
 *   solutions of a task are clustered by cost (sorted slowest first; a new cluster starts where
 *   the relative gap (a_i - a_{i+1}) / a_i exceeds 0.10 + sqrt(weight / a_i), weight = 10,000
 *   for costs in CPU instructions); cluster j's score is the percentage of references in clusters
 *   0..j (slowest first), its representative its slowest member. A correct sample scores the
 *   fastest cluster whose representative it matches or beats (DPS = that cluster's score,
 *   DPS_norm = 100 (j + 1) / clusters); slower than every cluster: 0. Wrong samples are not
 *   scored (EvalPerf leaves them out of DPS).
 *
 * What differs from the peers' own runs: ENAMEL times several input levels weighted by hardness
 * and calibrates machine speed; ecode times the problem's largest test once (one level) in the
 * run's cost measure. EvalPerf averages per task then over tasks; ecode's mean is over programs
 * (the same when every task has the same number of correct samples), with bootstrap intervals.
 */
import { allPassed } from '../correctness.js';
import type { JudgedProgram } from '../types.js';

/** ENAMEL's efficiency score of one sample (undefined when the problem has no reference cost). */
export function enamelScore(p: JudgedProgram, timeoutFactor = 2): number | undefined {
  const ref = p.referenceCost;
  if (ref === undefined) return undefined;
  if (!(Number.isFinite(ref) && ref > 0))
    throw new Error(`referenceCost of problem ${p.problemId} is ${ref}; costs must be finite and > 0`);
  if (!(timeoutFactor > 1)) throw new Error(`enamelScore: timeoutFactor must be > 1, got ${timeoutFactor}`);
  // Wrong answers and errors score 0; a timeout is censored at the limit T, which also scores 0.
  if (!allPassed(p)) return 0;
  if (p.cost === undefined) return undefined; // correct but not timed
  const limit = timeoutFactor * ref;
  return Math.max(0, limit - p.cost) / (limit - ref);
}

/**
 * eff@k: the unbiased estimate of E[max of k of the n scores] (drawn without replacement).
 * Computed with the weights C(i-1, k-1) / C(n, k) built as a running product (no factorials).
 */
export function effAtK(scores: readonly number[], k: number): number {
  const n = scores.length;
  if (!Number.isInteger(k) || k < 1 || k > n) throw new Error(`effAtK: k must be an integer in [1, ${n}], got ${k}`);
  const sorted = [...scores].sort((a, b) => a - b);
  // weight of the i-th smallest (1-based) for i = n, n-1, ..., k: w_n = k / n, w_{i-1} = w_i (1 - (k-1)/(i-1)).
  let w = k / n;
  let sum = 0;
  for (let i = n; i >= k; i--) {
    sum += w * sorted[i - 1];
    w *= 1 - (k - 1) / (i - 1);
  }
  return sum;
}

/** HumanEval's unbiased pass@k for n samples of which c are correct: 1 - C(n-c, k) / C(n, k). */
export function passAtK(n: number, c: number, k: number): number {
  if (n - c < k) return 1;
  let prod = 1;
  for (let i = n - c + 1; i <= n; i++) prod *= 1 - k / i;
  return 1 - prod;
}

export interface DpsCluster {
  /** The cluster's slowest cost: a sample matching or beating it scores the cluster. */
  representative: number;
  costs: number[];
  /** Percentage of all references in this cluster and the slower ones. */
  score: number;
}

/** EvalPerf's clustering of reference costs, slowest cluster first. */
export function dpsClusters(
  costs: readonly number[],
  opts: { baseThreshold?: number; weight?: number } = {},
): DpsCluster[] {
  if (costs.length === 0) throw new Error('dpsClusters: no reference costs');
  for (const c of costs)
    if (!(Number.isFinite(c) && c > 0)) throw new Error(`dpsClusters: costs must be finite and > 0, got ${c}`);
  const base = opts.baseThreshold ?? 0.1;
  const weight = opts.weight ?? 10_000;
  const desc = [...costs].sort((a, b) => b - a);
  const groups: number[][] = [[desc[0]]];
  for (let i = 0; i < desc.length - 1; i++) {
    const gap = (desc[i] - desc[i + 1]) / desc[i];
    if (gap > base + Math.sqrt(weight / desc[i])) groups.push([]);
    groups[groups.length - 1].push(desc[i + 1]);
  }
  let seen = 0;
  return groups.map((g) => {
    seen += g.length;
    return { representative: g[0], costs: g, score: (100 * seen) / desc.length };
  });
}

/** DPS and DPS_norm of one sample's cost against the clusters (slowest first). */
export function dpsOf(
  cost: number,
  clusters: readonly DpsCluster[],
): { dps: number; dpsNorm: number; cluster: number } {
  for (let j = clusters.length - 1; j >= 0; j--) {
    if (cost <= clusters[j].representative)
      return { dps: clusters[j].score, dpsNorm: (100 * (j + 1)) / clusters.length, cluster: j };
  }
  return { dps: 0, dpsNorm: 0, cluster: -1 };
}

export interface PeerMetricOptions {
  /** ENAMEL's alpha: the time limit is alpha x the reference's cost (default 2). */
  timeoutFactor?: number;
  /** The k of eff@k and pass@k (each <= the samples per input; default 1, 10, 100 and n). */
  ks?: number[];
  /** EvalPerf's clustering weight (10,000 for CPU instructions; 0 = relative gaps only, for times). */
  dpsWeight?: number;
  /** Which input each program is a sample of (default: its problem). */
  inputOf?: (p: JudgedProgram, i: number) => string;
}

/**
 * Per-program values of the peers' metrics, aligned with `programs` (for evaluatePrograms'
 * `extra`): `effAt<k>` and `passAt<k>` give every sample of an input that input's estimate (so the
 * mean over programs is the mean over inputs when inputs have equal sample counts); `dps` and
 * `dpsNorm` are per correct sample against the problem's solution-cost pool.
 */
export function peerMetricValues(
  programs: readonly JudgedProgram[],
  opts: PeerMetricOptions = {},
): Record<string, Array<number | undefined>> {
  const inputOf = opts.inputOf ?? ((p: JudgedProgram) => p.problemId);
  const byInput = new Map<string, number[]>();
  programs.forEach((p, i) => {
    const key = inputOf(p, i);
    byInput.set(key, [...(byInput.get(key) ?? []), i]);
  });
  const n = Math.min(...[...byInput.values()].map((idx) => idx.length));
  const ks = [...new Set((opts.ks ?? [1, 10, 100, n]).filter((k) => k >= 1 && k <= n))].sort((a, b) => a - b);
  const out: Record<string, Array<number | undefined>> = {};
  const scores = programs.map((p) => enamelScore(p, opts.timeoutFactor));
  for (const k of ks) {
    const eff: Array<number | undefined> = programs.map(() => undefined);
    const pass: Array<number | undefined> = programs.map(() => undefined);
    for (const idx of byInput.values()) {
      const e = idx.map((i) => scores[i]);
      const effK = e.every((x) => x !== undefined) ? effAtK(e as number[], k) : undefined;
      const passK = passAtK(idx.length, idx.filter((i) => allPassed(programs[i])).length, k);
      for (const i of idx) {
        eff[i] = effK;
        pass[i] = passK;
      }
    }
    out[`effAt${k}`] = eff;
    out[`passAt${k}`] = pass;
  }
  const clusters = new Map<string, DpsCluster[]>();
  const dps: Array<number | undefined> = [];
  const dpsNorm: Array<number | undefined> = [];
  for (const p of programs) {
    if (!allPassed(p) || p.cost === undefined || !p.solutionCosts?.length) {
      dps.push(undefined);
      dpsNorm.push(undefined);
      continue;
    }
    const key = JSON.stringify(p.solutionCosts);
    let c = clusters.get(key);
    if (!c) clusters.set(key, (c = dpsClusters(p.solutionCosts, { weight: opts.dpsWeight })));
    const s = dpsOf(p.cost, c);
    dps.push(s.dps);
    dpsNorm.push(s.dpsNorm);
  }
  out.dps = dps;
  out.dpsNorm = dpsNorm;
  return out;
}

/** Labels of the peers' metrics for tables and charts. */
export function peerMetricLabel(name: string): string | undefined {
  const m = /^(effAt|passAt)(\d+)$/.exec(name);
  if (m) return m[1] === 'effAt' ? `eff@${m[2]} (ENAMEL)` : `pass@${m[2]}`;
  if (name === 'dps') return 'DPS (EvalPerf), correct only';
  if (name === 'dpsNorm') return 'DPS_norm (EvalPerf), correct only';
  return undefined;
}
