/**
 * Efficiency metrics on one judged program. Every value is in the run's cost measure (costs of
 * EC, IC, reference and solution pool must all come from the same measure); a value of
 * `undefined` means "not defined for this program" and the program is left out of that mean.
 */
import { allPassed } from '../correctness.js';
import type { JudgedProgram } from '../types.js';

function checkCost(x: number | undefined, what: string, p: JudgedProgram): number | undefined {
  if (x === undefined) return undefined;
  if (!Number.isFinite(x) || x <= 0) {
    throw new Error(
      `${what} of problem ${p.problemId} sample ${String(p.sampleId ?? 0)} is ${x}; costs must be finite and > 0`,
    );
  }
  return x;
}

/** (cost_IC - cost_EC) / cost_IC on a correct program with both costs; may be negative. */
export function improvement(p: JudgedProgram): number | undefined {
  const ic = checkCost(p.icCost, 'icCost', p);
  const ec = checkCost(p.cost, 'cost', p);
  if (!allPassed(p) || ic === undefined || ec === undefined) return undefined;
  return (ic - ec) / ic;
}

/**
 * PIE speedup cost_IC / cost_EC; a failed, unmeasured or slower output counts 1.0 (the input
 * program is kept). Undefined only when the IC cost is unknown.
 */
export function speedup(p: JudgedProgram): number | undefined {
  const ic = checkCost(p.icCost, 'icCost', p);
  const ec = checkCost(p.cost, 'cost', p);
  if (ic === undefined) return undefined;
  if (!allPassed(p) || ec === undefined || ec >= ic) return 1.0;
  return ic / ec;
}

/** PIE %Opt indicator: 1 when correct and speedup >= threshold (default 1.1, i.e. >= 10% faster). */
export function optimized(p: JudgedProgram, threshold = 1.1): number | undefined {
  const s = speedup(p);
  if (s === undefined) return undefined;
  return allPassed(p) && s >= threshold ? 1 : 0;
}

/** EffiBench NET: cost_EC / cost_reference on a correct program (> 1 is slower than the reference). */
export function net(p: JudgedProgram): number | undefined {
  const ref = checkCost(p.referenceCost, 'referenceCost', p);
  const ec = checkCost(p.cost, 'cost', p);
  if (!allPassed(p) || ref === undefined || ec === undefined) return undefined;
  return ec / ref;
}

export interface CostDistribution {
  min: number;
  median: number;
  max: number;
}

/** min / median (mean of the middle two for an even count) / max of a solution-cost pool. */
export function costDistribution(costs: readonly number[]): CostDistribution {
  if (costs.length === 0) throw new Error('costDistribution: empty solution-cost pool');
  const s = [...costs].sort((a, b) => a - b);
  const m = s.length >> 1;
  const median = s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
  return { min: s[0], median, max: s[s.length - 1] };
}

/**
 * ACEOB NPI: t < median: 100 (median - t) / (median - min); t = median: 0;
 * t > median: 100 (median - t) / (max - median). Not clipped, not rounded. A zero-width side
 * (median = min or max = median) gives +100 / -100 for a t on that side.
 */
export function npiScore(t: number, d: CostDistribution): number {
  if (t === d.median) return 0;
  if (t < d.median) return d.median === d.min ? 100 : (100 * (d.median - t)) / (d.median - d.min);
  return d.max === d.median ? -100 : (100 * (d.median - t)) / (d.max - d.median);
}

/** NPI of a correct program whose problem has a known solution-cost pool. */
export function npi(p: JudgedProgram): number | undefined {
  const ec = checkCost(p.cost, 'cost', p);
  if (!allPassed(p) || ec === undefined || !p.solutionCosts || p.solutionCosts.length === 0) return undefined;
  return npiScore(ec, costDistribution(p.solutionCosts));
}

/**
 * Mercury Beyond: (max - clamp(t, min, max)) / (max - min) over the problem's solution pool,
 * 0 for a failed or unmeasured program; 1 when the pool has a single cost and t <= it.
 */
export function beyond(p: JudgedProgram): number | undefined {
  if (!p.solutionCosts || p.solutionCosts.length === 0) return undefined;
  const ec = checkCost(p.cost, 'cost', p);
  if (!allPassed(p) || ec === undefined) return 0;
  const { min, max } = costDistribution(p.solutionCosts);
  const t = Math.min(Math.max(ec, min), max);
  if (max === min) return ec <= max ? 1 : 0;
  return (max - t) / (max - min);
}
