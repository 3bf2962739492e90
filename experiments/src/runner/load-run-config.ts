/** Loads what `ecode run` and its stage commands take: a YAML config or a run's resolved config.json. */
import { statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  canonicalHash,
  loadConfig,
  MAX_CONFIG_FILE_BYTES,
  readBoundedText,
  resolveConfig,
  type ConfigOverride,
  type ExperimentConfig,
} from '@ecode/config';

export interface LoadedRunConfig {
  config: ExperimentConfig;
  hash: string;
  /**
   * Relative paths inside the config (data.path, tokenizer files, checkpoints) resolve against the
   * working directory, as libs/config documents; `extends:` paths resolve against the naming file.
   */
  configDir: string;
  path: string;
}

/**
 * `path`: a YAML config, a resolved `config.json`, or a run folder (`runs/<hash>`); `overrides`
 * (command-line `key=value`) apply over it, so a run folder with overrides is another run.
 */
export function loadRunConfig(path: string, overrides: readonly ConfigOverride[] = []): LoadedRunConfig {
  let file = resolve(path);
  try {
    if (statSync(file).isDirectory()) file = join(file, 'config.json');
  } catch {
    throw new Error(`${path}: no such config file or run folder`);
  }
  let config: ExperimentConfig;
  if (file.endsWith('.json')) {
    let value: unknown;
    const text = readBoundedText(file, MAX_CONFIG_FILE_BYTES, 'a config file'); // "<file>: <why>" otherwise
    try {
      value = JSON.parse(text);
    } catch (err) {
      throw new Error(`${file}: not valid JSON (${(err as Error).message})`);
    }
    config = resolveConfig(value, file, overrides);
  } else {
    config = loadConfig(file, {}, overrides);
  }
  return { config, hash: canonicalHash(config), configDir: process.cwd(), path: file };
}
