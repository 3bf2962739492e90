/**
 * Grids and random search over any config key, for sweep files and `ecode sweep --grid`:
 * `grid:` (every combination of the listed values) and `sample:` (N seeded random points, each
 * key with its distribution). A point is a set of dotted keys and values, applied to a run like
 * a command-line override (so it is validated and hashed like the same value written in YAML).
 */
import { parseOverrideValue } from './overrides.js';
import { mulberry32 } from './rng.js';

/** One point of a grid or sample: dotted key -> value, in key order. */
export type GridPoint = Array<{ key: string; value: unknown }>;

export type Distribution =
  | { choice: unknown[] }
  | { uniform: [number, number] }
  | { logUniform: [number, number] }
  | { intUniform: [number, number] };

export const DISTRIBUTIONS = ['choice', 'uniform', 'logUniform', 'intUniform'] as const;

export interface SampleSpec {
  /** How many random points. */
  points: number;
  /** The random search's own seed (not experiment.seed): same seed, same points. */
  seed: number;
  parameters: Record<string, Distribution>;
}

/** Every combination of `grid`'s values, the first key varying slowest (like nested loops in key order). */
export function expandGrid(grid: Record<string, readonly unknown[]>): GridPoint[] {
  let points: GridPoint[] = [[]];
  for (const [key, values] of Object.entries(grid))
    points = points.flatMap((p) => values.map((value) => [...p, { key, value }]));
  return points;
}

/** Six significant digits: a sampled value prints (in run names, YAML) as exactly what is used. */
const round6 = (x: number) => Number(x.toPrecision(6));

/** One draw from a distribution. */
export function drawFrom(d: Distribution, rand: () => number): unknown {
  if ('choice' in d) return d.choice[Math.min(d.choice.length - 1, Math.floor(rand() * d.choice.length))];
  if ('uniform' in d) return round6(d.uniform[0] + rand() * (d.uniform[1] - d.uniform[0]));
  if ('logUniform' in d) {
    const [lo, hi] = d.logUniform.map(Math.log);
    return round6(Math.exp(lo + rand() * (hi - lo)));
  }
  const [lo, hi] = d.intUniform;
  return Math.min(hi, lo + Math.floor(rand() * (hi - lo + 1)));
}

/** `spec.points` random points: key by key in the file's order, from one stream seeded by `spec.seed`. */
export function samplePoints(spec: SampleSpec): GridPoint[] {
  const rand = mulberry32(spec.seed);
  return Array.from({ length: spec.points }, () =>
    Object.entries(spec.parameters).map(([key, d]) => ({ key, value: drawFrom(d, rand) })),
  );
}

/** What is wrong with a distribution (undefined when it is fine). */
export function distributionProblem(d: unknown): string | undefined {
  const expected = `expected one of { choice: [values...] }, { uniform: [lo, hi] }, { logUniform: [lo, hi] } (lo > 0), { intUniform: [lo, hi] } (integers)`;
  if (d === null || typeof d !== 'object' || Array.isArray(d)) return `found ${JSON.stringify(d)}, ${expected}`;
  const keys = Object.keys(d);
  if (keys.length !== 1 || !(DISTRIBUTIONS as readonly string[]).includes(keys[0]))
    return `found keys ${keys.join(', ') || '(none)'}, ${expected}`;
  const [kind] = keys as Array<(typeof DISTRIBUTIONS)[number]>;
  const v = (d as Record<string, unknown>)[kind];
  if (kind === 'choice') return Array.isArray(v) && v.length > 0 ? undefined : `choice: expected a non-empty list`;
  if (!Array.isArray(v) || v.length !== 2 || !v.every((x) => typeof x === 'number' && Number.isFinite(x)))
    return `${kind}: found ${JSON.stringify(v)}, expected [lo, hi] (two numbers)`;
  const [lo, hi] = v as number[];
  if (!(lo <= hi)) return `${kind}: found [${lo}, ${hi}], expected lo <= hi`;
  if (kind === 'logUniform' && lo <= 0) return `logUniform: found lo ${lo}, expected lo > 0`;
  if (kind === 'intUniform' && !(Number.isInteger(lo) && Number.isInteger(hi)))
    return `intUniform: found [${lo}, ${hi}], expected two integers`;
  return undefined;
}

/**
 * `--grid 'training.optimizer.lr=1e-3,5e-4'`: a key and its values, comma-separated YAML
 * scalars or flow collections (`model.expert.fieldLengths=[8,8],[16,16]`).
 */
export function parseGridArg(arg: string): { key: string; values: unknown[] } {
  const eq = arg.indexOf('=');
  const key = eq > 0 ? arg.slice(0, eq) : '';
  if (!/^[A-Za-z_][A-Za-z0-9_-]*(\.[A-Za-z_][A-Za-z0-9_-]*)*$/.test(key))
    throw new Error(`--grid ${JSON.stringify(arg)}: expected key.path=value1,value2,...`);
  let values: unknown;
  try {
    values = parseOverrideValue(`[${arg.slice(eq + 1)}]`);
  } catch (err) {
    throw new Error(
      `--grid ${JSON.stringify(arg)}: the values are not YAML (${(err as Error).message.split('\n')[0]})`,
    );
  }
  if (!Array.isArray(values) || values.length === 0) throw new Error(`--grid ${JSON.stringify(arg)}: no values`);
  return { key, values };
}

/** A value as a run name shows it: numbers short, strings bare, the rest as compact JSON. */
export function formatPointValue(v: unknown): string {
  if (typeof v === 'number') return Number.isInteger(v) || Math.abs(v) >= 1e-3 ? String(round6(v)) : v.toExponential();
  if (typeof v === 'string') return v;
  return JSON.stringify(v);
}

/**
 * The label of a point in run names: `lr=0.001,crossAttentionHeads=4` (each key's last segment,
 * or the whole key where two keys share their last segment).
 */
export function pointLabel(point: GridPoint): string {
  const last = (k: string) => k.slice(k.lastIndexOf('.') + 1);
  const lasts = point.map((p) => last(p.key));
  return point
    .map((p, i) => `${lasts.filter((l) => l === lasts[i]).length > 1 ? p.key : lasts[i]}=${formatPointValue(p.value)}`)
    .join(',');
}
