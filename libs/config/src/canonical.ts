/**
 * Run identity: the canonical JSON of a fully resolved config (defaults applied, keys sorted,
 * labels removed) and its SHA-256. Two configs that compute the same thing hash the same,
 * however their files were split or their keys ordered.
 */
import { createHash } from 'node:crypto';
import { isPlainObject } from './merge.js';
import { hashSpellingOf } from './metric-ids.js';

/**
 * Paths left out of the hash: they label a run or say where its results go, but do not change
 * what it computes, so renaming a run or pointing it at another tracker keeps its identity.
 */
export const HASH_EXCLUDED_PATHS = [
  'experiment.name',
  'experiment.description',
  'experiment.tags',
  'tracking',
] as const;

/** JSON with object keys sorted at every level; `undefined` members are dropped. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  if (isPlainObject(value)) {
    const keys = Object.keys(value)
      .filter((k) => value[k] !== undefined)
      .sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k])}`).join(',')}}`;
  }
  if (typeof value === 'number' && !Number.isFinite(value))
    throw new Error(`canonicalJson: cannot encode the number ${value}`);
  return JSON.stringify(value) ?? 'null';
}

function withoutPaths(value: Record<string, unknown>, paths: readonly string[]): Record<string, unknown> {
  const out = JSON.parse(JSON.stringify(value)) as Record<string, unknown>;
  for (const p of paths) {
    const segs = p.split('.');
    let obj: unknown = out;
    for (const s of segs.slice(0, -1)) obj = isPlainObject(obj) ? obj[s] : undefined;
    if (isPlainObject(obj)) delete obj[segs[segs.length - 1]];
  }
  return out;
}

/**
 * SHA-256 (hex) of the canonical JSON of a RESOLVED config minus HASH_EXCLUDED_PATHS, with the
 * metric ids of `evaluation.metrics` spelled as configs wrote them before the ids were unified
 * (`allPassRate` as `pass-all`, see metric-ids.ts): the same metrics, the same hash as before.
 */
export function hashResolved(config: object): string {
  const hashed = withoutPaths(config as Record<string, unknown>, HASH_EXCLUDED_PATHS);
  const evaluation = hashed.evaluation;
  if (isPlainObject(evaluation) && Array.isArray(evaluation.metrics))
    evaluation.metrics = evaluation.metrics.map((m: unknown) => (typeof m === 'string' ? hashSpellingOf(m) : m));
  const json = canonicalJson(hashed);
  return createHash('sha256').update(json).digest('hex');
}

/** Dotted keys -> string values (arrays as JSON), sorted by key: the shape MLflow params take. */
export function flattenConfig(config: object): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (v: unknown, prefix: string) => {
    if (isPlainObject(v)) {
      for (const k of Object.keys(v).sort()) if (v[k] !== undefined) walk(v[k], prefix ? `${prefix}.${k}` : k);
    } else out[prefix] = typeof v === 'string' ? v : JSON.stringify(v);
  };
  walk(config, '');
  return out;
}
