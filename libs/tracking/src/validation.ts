/**
 * MLflow's input validation (mlflow/utils/validation.py): key characters and length, paths that
 * must not resolve elsewhere, run and experiment id shapes, value limits and log-batch limits.
 */
import path from 'node:path';
import { TrackingError } from './errors.js';

export const MAX_PARAMS_TAGS_PER_BATCH = 100;
export const MAX_METRICS_PER_BATCH = 1000;
export const MAX_ENTITIES_PER_BATCH = 1000;
export const MAX_BATCH_LOG_REQUEST_SIZE = 1_000_000;
export const MAX_PARAM_VAL_LENGTH = 6000;
export const MAX_TAG_VAL_LENGTH = 5000;
export const MAX_EXPERIMENT_NAME_LENGTH = 500;
export const MAX_ENTITY_KEY_LENGTH = 250;

/** Python's `^[/\w.\- ]*$` with Unicode `\w` (letters, digits, underscore). */
const VALID_KEY = /^[/\p{L}\p{N}_.\- ]*$/u;
const RUN_ID = /^[a-zA-Z0-9][\w-]{0,255}$/;
const EXPERIMENT_ID = /^[a-zA-Z0-9][\w-]{0,63}$/;

const BAD_CHARACTERS =
  'Names may only contain alphanumerics, underscores (_), dashes (-), periods (.), spaces ( ), and slashes (/).';

function pathNotUnique(name: string): boolean {
  const norm = path.posix.normalize(name).replace(/(.)\/$/, '$1');
  return norm !== name || norm === '.' || norm.startsWith('..') || norm.startsWith('/');
}

export type KeyKind = 'metric' | 'param' | 'tag';

/** Throw INVALID_PARAMETER_VALUE unless `key` is a valid metric, param or tag name. */
export function validateKey(kind: KeyKind, key: string): void {
  const label = kind === 'param' ? 'parameter' : kind;
  if (typeof key !== 'string') {
    throw new TrackingError(`${label} name must be a string, got ${typeof key}`, 'INVALID_PARAMETER_VALUE');
  }
  if (!VALID_KEY.test(key)) {
    throw new TrackingError(`Invalid ${label} name: '${key}'. ${BAD_CHARACTERS}`, 'INVALID_PARAMETER_VALUE');
  }
  if (pathNotUnique(key)) {
    throw new TrackingError(
      `Invalid ${label} name: '${key}'. Names may be treated as files in certain cases, and must not resolve to ` +
        `other names when treated as such. This name would resolve to '${path.posix.normalize(key)}'`,
      'INVALID_PARAMETER_VALUE',
    );
  }
  if (key.length > MAX_ENTITY_KEY_LENGTH) {
    throw new TrackingError(
      `${label} name '${key.slice(0, 250)}' had length ${key.length}, which exceeded length limit of ${MAX_ENTITY_KEY_LENGTH}`,
      'INVALID_PARAMETER_VALUE',
    );
  }
}

export function validateValueLength(kind: 'param' | 'tag', key: string, value: string): void {
  const limit = kind === 'param' ? MAX_PARAM_VAL_LENGTH : MAX_TAG_VAL_LENGTH;
  if (value.length > limit) {
    throw new TrackingError(
      `${kind === 'param' ? 'Param' : 'Tag'} value of '${key}' had length ${value.length}, which exceeded length limit of ${limit}`,
      'INVALID_PARAMETER_VALUE',
    );
  }
}

export function validateRunId(runId: string): void {
  if (typeof runId !== 'string' || !RUN_ID.test(runId)) {
    throw new TrackingError(`Invalid run ID: '${runId}'`, 'INVALID_PARAMETER_VALUE');
  }
}

export function validateExperimentId(id: string): void {
  if (typeof id !== 'string' || !EXPERIMENT_ID.test(id)) {
    throw new TrackingError(`Invalid experiment ID: '${id}'`, 'INVALID_PARAMETER_VALUE');
  }
}

export function validateExperimentName(name: string): void {
  if (typeof name !== 'string' || name === '') {
    throw new TrackingError(`Invalid experiment name: '${name}'`, 'INVALID_PARAMETER_VALUE');
  }
  if (name.length > MAX_EXPERIMENT_NAME_LENGTH) {
    throw new TrackingError(
      `Experiment name exceeds the maximum length of ${MAX_EXPERIMENT_NAME_LENGTH} characters`,
      'INVALID_PARAMETER_VALUE',
    );
  }
}

export function validateMetric(m: { key: string; value: number; timestamp: number; step: number }): void {
  validateKey('metric', m.key);
  if (typeof m.value !== 'number') {
    throw new TrackingError(
      `Got invalid value ${String(m.value)} for metric '${m.key}' (timestamp=${m.timestamp}). Please specify value as a valid double (64-bit floating point)`,
      'INVALID_PARAMETER_VALUE',
    );
  }
  if (!Number.isInteger(m.timestamp) || m.timestamp < 0) {
    throw new TrackingError(
      `Got invalid timestamp ${m.timestamp} for metric '${m.key}' (value=${m.value}). Timestamp must be a nonnegative long (64-bit integer)`,
      'INVALID_PARAMETER_VALUE',
    );
  }
  if (!Number.isInteger(m.step)) {
    throw new TrackingError(
      `Got invalid step ${m.step} for metric '${m.key}' (value=${m.value}). Step must be a valid long (64-bit integer).`,
      'INVALID_PARAMETER_VALUE',
    );
  }
}

/** Param values are text; numbers and booleans use `String(v)`. */
export function paramText(key: string, value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new TrackingError(
    `param '${key}' must be a string, number or boolean, got ${typeof value}`,
    'INVALID_PARAMETER_VALUE',
  );
}
