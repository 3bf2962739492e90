/**
 * Structural check of one dataset record, so that a reader can skip a corrupt line with a reason
 * instead of handing a half-formed Problem to training or evaluation.
 */
import { STATEMENT_FIELD_ORDER, type Problem } from '../problem.js';

const SPLITS = new Set(['train', 'valid', 'test']);
const TEST_SPLIT_NAMES = new Set(['in-distribution', 'unseen-combination', 'unseen-idiom']);

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Returns why `value` is not a Problem, or undefined when it is one. */
export function problemShapeError(value: unknown): string | undefined {
  if (!isObject(value)) return 'not a JSON object';
  for (const key of ['id', 'source', 'title', 'difficulty'] as const) {
    if (typeof value[key] !== 'string') return `'${key}' must be a string`;
  }
  if ((value.id as string).length === 0) return "'id' is empty";
  if (typeof value.split !== 'string' || !SPLITS.has(value.split)) return "'split' must be train, valid or test";
  if (value.family !== undefined && typeof value.family !== 'string') return "'family' must be a string";
  if (value.testSplit !== undefined && !TEST_SPLIT_NAMES.has(value.testSplit as string))
    return "'testSplit' must be in-distribution, unseen-combination or unseen-idiom";
  if (value.idioms !== undefined && !(Array.isArray(value.idioms) && value.idioms.every((i) => typeof i === 'string')))
    return "'idioms' must be an array of strings";
  const fields = value.fields;
  if (!isObject(fields)) return "'fields' must be an object";
  for (const f of STATEMENT_FIELD_ORDER) if (typeof fields[f] !== 'string') return `'fields.${f}' must be a string`;
  if (!Array.isArray(value.tests)) return "'tests' must be an array";
  for (let i = 0; i < value.tests.length; i++) {
    const t: unknown = value.tests[i];
    if (!isObject(t) || typeof t.input !== 'string' || typeof t.output !== 'string')
      return `'tests[${i}]' needs string 'input' and 'output'`;
    if (t.kind !== undefined && t.kind !== 'stdio' && t.kind !== 'call')
      return `'tests[${i}].kind' must be stdio or call`;
  }
  if (!Array.isArray(value.solutions)) return "'solutions' must be an array";
  for (let i = 0; i < value.solutions.length; i++) {
    const s: unknown = value.solutions[i];
    if (!isObject(s) || typeof s.code !== 'string') return `'solutions[${i}].code' must be a string`;
    if (s.role !== 'slow' && s.role !== 'fast') return `'solutions[${i}].role' must be slow or fast`;
    for (const k of ['reportedRuntimeMs', 'reportedMemoryKb'] as const)
      if (s[k] !== undefined && typeof s[k] !== 'number') return `'solutions[${i}].${k}' must be a number`;
  }
  return undefined;
}

export function isProblem(value: unknown): value is Problem {
  return problemShapeError(value) === undefined;
}
