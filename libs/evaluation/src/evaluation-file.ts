/**
 * Reading an `evaluation.json` back: files written before the metric ids were unified name the
 * all-pass rate by its old name; they are read with the ids (`metricIdOf`, @ecode/config).
 */
import { metricIdOf } from '@ecode/config';
import type { Evaluation } from './evaluate.js';

/** A record keyed by metric names with old names read as ids; where both are present the id wins. */
function withIds<T>(byName: Record<string, T> | undefined): Record<string, T> {
  const out: Record<string, T> = {};
  const entries = Object.entries(byName ?? {});
  for (const [k, v] of entries) if (metricIdOf(k) === k) out[k] = v;
  for (const [k, v] of entries) if (!(metricIdOf(k) in out)) out[metricIdOf(k)] = v;
  return out;
}

/** An `evaluation.json` (parsed), old or new, with every metric under its id. */
export function readEvaluation(json: unknown): Evaluation {
  if (json === null || typeof json !== 'object' || Array.isArray(json))
    throw new Error('evaluation: expected an object (an evaluation.json)');
  const e = json as Evaluation;
  return {
    ...e,
    metrics: withIds(e.metrics),
    ...(e.byDifficulty
      ? {
          byDifficulty: Object.fromEntries(
            Object.entries(e.byDifficulty).map(([d, g]) => [d, { ...g, metrics: withIds(g.metrics) }]),
          ),
        }
      : {}),
    ...(Array.isArray(e.perProblem)
      ? { perProblem: e.perProblem.map((p) => ({ ...p, values: withIds(p.values) })) }
      : {}),
  };
}
