/**
 * One Problem as one JSON line with a fixed key order, so that the same records always give the
 * same bytes (and the same content hash) however they were built.
 */
import { STATEMENT_FIELD_ORDER, type Problem } from '../problem.js';

function ordered(obj: object, order: readonly string[]): Record<string, unknown> {
  const src = obj as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const k of order) if (src[k] !== undefined) out[k] = src[k];
  // Optional fields added later by other stages are kept, after the known ones, sorted.
  for (const k of Object.keys(src).sort()) if (!(k in out) && src[k] !== undefined) out[k] = src[k];
  return out;
}

const PROBLEM_KEYS = [
  'id',
  'source',
  'split',
  'testSplit',
  'family',
  'idioms',
  'context',
  'title',
  'difficulty',
  'fields',
  'tests',
  'solutions',
];
const TEST_KEYS = ['input', 'output', 'kind', 'fnName', 'sample', 'large'];
const SOLUTION_KEYS = ['role', 'variant', 'origin', 'reportedRuntimeMs', 'reportedMemoryKb', 'code'];

export function serializeProblem(problem: Problem): string {
  const record = ordered(problem, PROBLEM_KEYS);
  record.fields = ordered(problem.fields, STATEMENT_FIELD_ORDER);
  record.tests = problem.tests.map((t) => ordered(t, TEST_KEYS));
  record.solutions = problem.solutions.map((s) => ordered(s, SOLUTION_KEYS));
  return JSON.stringify(record);
}
