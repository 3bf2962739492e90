/** Checks any config-like file: a sweep (top-level `variants`) or an experiment config. */
import * as nodePath from 'node:path';
import { inspectConfigFile, type ResolvedConfig } from './load-config.js';
import type { ConfigOverride } from './overrides.js';
import type { ConfigProblem } from './problems.js';
import { readLocatedYaml, type LoadOptions } from './source-files.js';
import { inspectSweepFile, isSweepValue, type Sweep } from './sweep.js';

export type FileCheck =
  | { kind: 'config'; path: string; problems: ConfigProblem[]; resolved?: ResolvedConfig }
  | { kind: 'sweep'; path: string; problems: ConfigProblem[]; sweep?: Sweep };

export function checkFile(path: string, opts: LoadOptions = {}, overrides: readonly ConfigOverride[] = []): FileCheck {
  const abs = nodePath.resolve(opts.cwd ?? process.cwd(), path);
  const { source } = readLocatedYaml(abs, opts);
  if (source && isSweepValue(source.value))
    return { kind: 'sweep', path, ...inspectSweepFile(abs, opts, { overrides }) };
  return { kind: 'config', path, ...inspectConfigFile(abs, opts, overrides) };
}
