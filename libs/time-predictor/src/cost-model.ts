/**
 * The cost model: a program's estimated work from its cost structure (`cost-features.ts`),
 *   score = ln( sum over kinds k of price_k * cost_k(N) ),
 * Python-level work priced 1 and the other kinds (C work, sorting, I/O calls, calls of the
 * program's own functions) priced relative to it, at one nominal input size N. The prices and N
 * are few and mean the same in every program, so they are fitted on the training problems by a
 * seeded-free, deterministic coordinate search that maximises pairwise accuracy within problems
 * (ties broken by a pairwise logistic loss); then `scale` turns the score into ln(µs) relative to
 * the problem by least squares on within-problem differences. Nothing is fitted per idiom.
 */
import { COST_SIZES, costFeatures, WORK_KINDS } from './cost-features.js';

export interface CostModel {
  format: 'ecode-cost-model';
  version: 1;
  kinds: string[];
  /** log10 of each kind's price (the first, Python-level work, is 0). */
  logPrices: number[];
  /** Index into `sizes` of the nominal input size. */
  size: number;
  sizes: number[];
  /** ln(µs) per unit of score, fitted on within-problem differences. */
  scale: number;
  /** Training pairwise accuracy of the fitted prices (pairs of one problem and view). */
  trainPairwiseAccuracy: number;
  pairs: number;
}

export interface CostSample {
  /** Rows with the same group are solutions of one problem in one view. */
  group: string;
  code: string;
  logTime: number;
}

export type CostCache = Map<string, number[][]>;

function costsOf(code: string, cache: CostCache): number[][] {
  let c = cache.get(code);
  if (!c) {
    c = costFeatures(code).costs;
    cache.set(code, c);
  }
  return c;
}

function score(costs: number[][], logPrices: number[], size: number): number {
  let s = 0;
  for (let k = 0; k < costs.length; k++) s += 10 ** logPrices[k] * costs[k][size];
  return Math.log1p(s);
}

/** Pairs (slower, faster) of one group whose times differ by at least `minGap` in ln. */
function pairsOf(samples: CostSample[], minGap: number): [number, number][] {
  const byGroup = new Map<string, number[]>();
  samples.forEach((s, i) => {
    const g = byGroup.get(s.group);
    if (g) g.push(i);
    else byGroup.set(s.group, [i]);
  });
  const pairs: [number, number][] = [];
  for (const idx of byGroup.values())
    for (const i of idx) for (const j of idx) if (samples[i].logTime - samples[j].logTime >= minGap) pairs.push([i, j]);
  return pairs;
}

/**
 * log10 prices the search may choose per kind (Python-level work is the unit): bounded by what the
 * operations cost in CPython (a C comparison or move is cheaper than an interpreted line; an I/O
 * call or a call of the program's own function costs a few lines), so that a fit on one corpus
 * cannot give one kind an absurd weight.
 */
const GRID: Record<string, number[]> = {
  scan: [-2, -1.75, -1.5, -1.25, -1, -0.75, -0.5],
  copy: [-3, -2.75, -2.5, -2.25, -2, -1.75, -1.5, -1.25, -1],
  sort: [-2, -1.75, -1.5, -1.25, -1, -0.75, -0.5],
  io: [0, 0.25, 0.5, 0.75, 1, 1.25, 1.5],
  call: [0, 0.25, 0.5, 0.75, 1],
};
/** A priori prices (log10), where the search starts. */
const START: Record<string, number> = { py: 0, scan: -1, copy: -2, sort: -1, io: 0.5, call: 0.5 };

/**
 * Fits the prices, the nominal size and the scale. Deterministic: a fixed grid, fixed order.
 * `minGap`: pairs closer than this (ln) are not used (timing noise), default ln 1.25.
 */
export function fitCostModel(
  samples: CostSample[],
  options: { minGap?: number; rounds?: number; cache?: CostCache } = {},
): CostModel {
  const cache = options.cache ?? new Map();
  const pairs = pairsOf(samples, options.minGap ?? Math.log(1.25));
  if (pairs.length === 0) throw new Error('fitCostModel: no problem has two solutions with different times');
  const costs = samples.map((s) => costsOf(s.code, cache));
  const evaluate = (lp: number[], size: number) => {
    const s = costs.map((c) => score(c, lp, size));
    let right = 0;
    let loss = 0;
    for (const [i, j] of pairs) {
      const d = s[i] - s[j];
      right += d > 0 ? 1 : d === 0 ? 0.5 : 0;
      loss += Math.log1p(Math.exp(-d));
    }
    return { acc: right / pairs.length, loss: loss / pairs.length };
  };
  const better = (a: { acc: number; loss: number }, b: { acc: number; loss: number }) =>
    a.acc > b.acc + 1e-12 || (Math.abs(a.acc - b.acc) <= 1e-12 && a.loss < b.loss - 1e-12);
  let lp = WORK_KINDS.map((k) => START[k]);
  let size = 1;
  let best = evaluate(lp, size);
  for (let round = 0; round < (options.rounds ?? 3); round++) {
    let moved = false;
    for (let sz = 0; sz < COST_SIZES.length; sz++) {
      const e = evaluate(lp, sz);
      if (better(e, best)) [best, size, moved] = [e, sz, true];
    }
    for (let k = 1; k < WORK_KINDS.length; k++)
      for (const v of GRID[WORK_KINDS[k]]) {
        const cand = lp.map((x, i) => (i === k ? v : x));
        const e = evaluate(cand, size);
        if (better(e, best)) [best, lp, moved] = [e, cand, true];
      }
    if (!moved) break;
  }
  // scale: least squares of within-group ln-time differences on score differences.
  const s = costs.map((c) => score(c, lp, size));
  let sxy = 0;
  let sxx = 0;
  for (const [i, j] of pairsOf(samples, 0)) {
    const dx = s[i] - s[j];
    sxy += dx * (samples[i].logTime - samples[j].logTime);
    sxx += dx * dx;
  }
  return {
    format: 'ecode-cost-model',
    version: 1,
    kinds: [...WORK_KINDS],
    logPrices: lp,
    size,
    sizes: [...COST_SIZES],
    scale: sxx > 0 ? Math.max(0, sxy / sxx) : 0,
    trainPairwiseAccuracy: best.acc,
    pairs: pairs.length,
  };
}

/** Each program's cost score times the model's scale: ln(µs) relative to its problem's level. */
export function costScores(model: CostModel, codes: string[], cache: CostCache = new Map()): number[] {
  if (
    model.format !== 'ecode-cost-model' ||
    model.kinds.join() !== WORK_KINDS.join() ||
    model.sizes.join() !== COST_SIZES.join()
  )
    throw new Error(
      `cost model: kinds ${String(model.kinds)} at sizes ${String(model.sizes)} are not this version's (${WORK_KINDS.join()} at ${COST_SIZES.join()}); retrain it`,
    );
  return codes.map((c) => model.scale * score(costsOf(c, cache), model.logPrices, model.size));
}
