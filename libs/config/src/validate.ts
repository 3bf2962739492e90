/**
 * Schema validation (ajv: all errors, defaults filled in) of a merged, located value, turning
 * each ajv error into a located problem that says what was found and what is allowed.
 */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import type { TSchema } from '@sinclair/typebox';
import { describeSchema, describeValue } from './describe.js';
import { didYouMean } from './did-you-mean.js';
import { childPointer, displayPath } from './json-path.js';
import type { MergedValue } from './merge.js';
import type { ConfigProblem, ProblemKind, SourceLocation } from './problems.js';

const ajv = new Ajv({ allErrors: true, useDefaults: true, verbose: true, strict: true, strictTuples: false });
const compiled = new WeakMap<object, ValidateFunction>();

function validatorFor(schema: TSchema): ValidateFunction {
  let v = compiled.get(schema);
  if (!v) {
    v = ajv.compile(JSON.parse(JSON.stringify(schema)) as object);
    compiled.set(schema, v);
  }
  return v;
}

/** The location of the value at `pointer`, else of the key of its nearest located ancestor. */
export function locate(
  merged: Pick<MergedValue, 'keyLocs' | 'valueLocs'>,
  pointer: string,
  preferKey = false,
): SourceLocation {
  const exact = preferKey
    ? (merged.keyLocs.get(pointer) ?? merged.valueLocs.get(pointer))
    : (merged.valueLocs.get(pointer) ?? merged.keyLocs.get(pointer));
  if (exact) return exact;
  let p = pointer;
  while (p !== '') {
    p = p.slice(0, p.lastIndexOf('/'));
    const found = merged.keyLocs.get(p) ?? merged.valueLocs.get(p);
    if (found) return found;
  }
  return { file: '<unknown>', line: 1, column: 1 };
}

/** Whether a file set the value at `pointer` (false: it is a default). */
export function isWritten(merged: Pick<MergedValue, 'keyLocs' | 'valueLocs'>, pointer: string): boolean {
  return merged.valueLocs.has(pointer) || merged.keyLocs.has(pointer);
}

export function problemAt(
  merged: Pick<MergedValue, 'keyLocs' | 'valueLocs'>,
  pointer: string,
  kind: ProblemKind,
  message: string,
  extra: { found?: string; allowed?: string; preferKey?: boolean } = {},
): ConfigProblem {
  const at = locate(merged, pointer, extra.preferKey);
  const p: ConfigProblem = { ...at, kind, path: displayPath(pointer), message };
  if (extra.found !== undefined) p.found = extra.found;
  if (extra.allowed !== undefined) p.allowed = extra.allowed;
  return p;
}

const KIND_OF: Record<string, ProblemKind> = { type: 'type', enum: 'enum', const: 'enum' };

function toProblem(err: ErrorObject, merged: MergedValue): { key: string; problem: ConfigProblem } | undefined {
  const parent = (err.parentSchema ?? {}) as Record<string, unknown>;
  if (err.keyword === 'additionalProperties') {
    const key = (err.params as { additionalProperty: string }).additionalProperty;
    const pointer = childPointer(err.instancePath, key);
    const allowed = Object.keys((parent.properties ?? {}) as object);
    const guess = didYouMean(key, allowed);
    const message = `unknown key ${JSON.stringify(key)}${guess ? ` (did you mean ${JSON.stringify(guess)}?)` : ''}; allowed keys: ${allowed.join(', ')}`;
    return {
      key: `u${pointer}`,
      problem: problemAt(merged, pointer, 'unknown-key', message, {
        found: key,
        allowed: allowed.join(', '),
        preferKey: true,
      }),
    };
  }
  if (err.keyword === 'required') {
    const key = (err.params as { missingProperty: string }).missingProperty;
    const pointer = childPointer(err.instancePath, key);
    const allowed = describeSchema(((parent.properties ?? {}) as Record<string, unknown>)[key]);
    return {
      key: `r${pointer}`,
      problem: {
        ...locate(merged, err.instancePath),
        kind: 'required',
        path: displayPath(pointer),
        message: `missing required key, expected ${allowed}`,
        allowed,
      },
    };
  }
  if (err.keyword === 'if' || err.keyword === 'anyOf' || err.keyword === 'oneOf') return undefined;
  const found = describeValue(err.data);
  let allowed = describeSchema(parent);
  if (err.keyword === 'uniqueItems') {
    const { i, j } = err.params as { i: number; j: number };
    allowed += ` (items ${Math.min(i, j)} and ${Math.max(i, j)} are equal)`;
  }
  return {
    key: `v${err.instancePath}`,
    problem: problemAt(
      merged,
      err.instancePath,
      KIND_OF[err.keyword] ?? 'range',
      `found ${found}, expected ${allowed}`,
      { found, allowed },
    ),
  };
}

/**
 * Validates `merged.value` against `schema`. Returns the value with defaults applied (a copy)
 * and every problem (one per path), located through the merged source maps.
 */
export function validateAgainst<T>(schema: TSchema, merged: MergedValue): { value: T; problems: ConfigProblem[] } {
  const value = JSON.parse(JSON.stringify(merged.value)) as T;
  const validate = validatorFor(schema);
  const problems: ConfigProblem[] = [];
  if (!validate(value)) {
    const seen = new Set<string>();
    for (const err of validate.errors ?? []) {
      const p = toProblem(err, merged);
      if (!p || seen.has(p.key)) continue;
      seen.add(p.key);
      problems.push(p.problem);
    }
  }
  return { value: inSchemaOrder(value, JSON.parse(JSON.stringify(schema)) as Record<string, unknown>) as T, problems };
}

/** The value with object keys in the order the schema lists them (unknown keys last), for readable output. */
function inSchemaOrder(value: unknown, schema: Record<string, unknown> | undefined): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    const items = schema?.items;
    return value.map((v, i) =>
      inSchemaOrder(v, (Array.isArray(items) ? items[i] : items) as Record<string, unknown> | undefined),
    );
  }
  const props = (schema?.properties ?? {}) as Record<string, Record<string, unknown>>;
  const obj = value as Record<string, unknown>;
  const keys = [...Object.keys(props).filter((k) => k in obj), ...Object.keys(obj).filter((k) => !(k in props))];
  return Object.fromEntries(keys.map((k) => [k, inSchemaOrder(obj[k], props[k])]));
}
