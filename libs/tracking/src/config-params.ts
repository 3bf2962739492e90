/**
 * Log a resolved config as MLflow params: nested objects flattened to dotted keys
 * (`model.heads`), arrays and other non-scalars as JSON text, values longer than MLflow's 6000
 * characters cut and listed in the `ecode.truncated_params` tag, and characters MLflow forbids
 * in keys replaced by `_`.
 */
import { TAG_TRUNCATED_PARAMS } from './tags.js';
import type { RunHandle } from './types.js';
import { MAX_ENTITY_KEY_LENGTH, MAX_PARAM_VAL_LENGTH, MAX_TAG_VAL_LENGTH } from './validation.js';

export function flattenConfig(config: unknown, prefix = ''): Record<string, string> {
  const out: Record<string, string> = {};
  const visit = (value: unknown, key: string): void => {
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      const entries = Object.entries(value as Record<string, unknown>);
      if (entries.length === 0 && key) out[key] = '{}';
      for (const [k, v] of entries) visit(v, key ? `${key}.${k}` : k);
      return;
    }
    if (!key) throw new Error('flattenConfig: the config must be an object');
    if (value === undefined) return;
    out[key] =
      typeof value === 'string'
        ? value
        : value === null
          ? 'null'
          : Array.isArray(value)
            ? JSON.stringify(value)
            : String(value);
  };
  visit(config, prefix);
  return out;
}

/** A key MLflow accepts: forbidden characters become `_`, `..` segments and leading `/` go, and it fits 250 characters. */
export function sanitizeKey(key: string): string {
  let k = key.replace(/[^/\p{L}\p{N}_.\- ]/gu, '_');
  k = k
    .split('/')
    .filter((s) => s !== '' && s !== '.' && s !== '..')
    .join('/');
  if (k === '') k = '_';
  return k.length > MAX_ENTITY_KEY_LENGTH ? k.slice(0, MAX_ENTITY_KEY_LENGTH) : k;
}

export interface ConfigParams {
  params: Record<string, string>;
  truncated: string[];
}

export function configToParams(config: unknown, prefix = ''): ConfigParams {
  const params: Record<string, string> = {};
  const truncated: string[] = [];
  for (const [rawKey, value] of Object.entries(flattenConfig(config, prefix))) {
    const key = sanitizeKey(rawKey);
    if (value.length > MAX_PARAM_VAL_LENGTH) {
      params[key] = value.slice(0, MAX_PARAM_VAL_LENGTH);
      truncated.push(key);
    } else params[key] = value;
  }
  return { params, truncated };
}

/** Flatten `config`, log it as params (in batches of 100) and tag any truncation. */
export async function logConfigParams(
  run: Pick<RunHandle, 'logParams' | 'setTags'>,
  config: unknown,
): Promise<ConfigParams> {
  const result = configToParams(config);
  await run.logParams(result.params);
  if (result.truncated.length > 0) {
    let list = result.truncated.join(',');
    if (list.length > MAX_TAG_VAL_LENGTH) list = list.slice(0, MAX_TAG_VAL_LENGTH - 3) + '...';
    await run.setTags({ [TAG_TRUNCATED_PARAMS]: list });
  }
  return result;
}
