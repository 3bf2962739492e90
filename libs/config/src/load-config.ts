/**
 * loadConfig: YAML file -> extends chain -> deep merge -> schema (defaults) -> cross-field rules,
 * collecting every problem of every file in one pass before failing.
 */
import * as nodePath from 'node:path';
import { hashResolved } from './canonical.js';
import { checkConstraints } from './constraints.js';
import { isPlainObject, mergeLayers, type MergedValue } from './merge.js';
import { LEGACY_CONFIG_METRIC_IDS } from './metric-ids.js';
import { applyOverrides, type ConfigOverride } from './overrides.js';
import { ConfigError, type ConfigProblem, type SourceLocation } from './problems.js';
import { ExperimentConfigSchema, type ExperimentConfig } from './schema.js';
import { displayName, loadLayerChain, type LoadOptions } from './source-files.js';
import { locate, validateAgainst } from './validate.js';
import type { LocatedValue } from './yaml-source.js';

export interface ResolvedConfig {
  /** The config with every default applied. */
  config: ExperimentConfig;
  /** The merged files before defaults (what the files say). */
  merged: Record<string, unknown>;
  /** Absolute paths of the files read, in merge order. */
  files: string[];
  /** Canonical hash: the run's identity (see canonicalHash). */
  hash: string;
  /** The command-line overrides applied, as given (empty without). */
  overrides: string[];
}

/** Merges located layers and validates them; problems point into the files that set each value. */
export function resolveLayers(
  layers: LocatedValue[],
  root: SourceLocation,
  overrides: readonly ConfigOverride[] = [],
): { merged: MergedValue; config: ExperimentConfig; problems: ConfigProblem[] } {
  const merged = mergeLayers(layers, root);
  const overrideProblems = overrides.length ? applyOverridesWithDefaults(merged, overrides) : [];
  for (const w of readLegacyMetricIds(merged)) warnDeprecated(w);
  const { value, problems } = validateAgainst<ExperimentConfig>(ExperimentConfigSchema, merged);
  problems.push(...overrideProblems, ...checkConstraints(value, merged));
  return { merged, config: value, problems };
}

/**
 * Old metric ids in `evaluation.metrics` (`pass-all`, ...) read as the ids, in place, before the
 * schema sees them; returns one warning per old id, naming the file, line and key that wrote it.
 * `ioccb` (accepted before, never computed) is dropped with a warning.
 */
export function readLegacyMetricIds(merged: MergedValue): string[] {
  const evaluation = merged.value.evaluation;
  if (!isPlainObject(evaluation) || !Array.isArray(evaluation.metrics)) return [];
  const warnings: string[] = [];
  const at = (i: number) => {
    const loc = locate(merged, `/evaluation/metrics/${i}`);
    return `${loc.line > 0 ? `${loc.file}:${loc.line}:${loc.column}` : loc.file}: evaluation.metrics[${i}]`;
  };
  const read = evaluation.metrics.flatMap((m: unknown, i: number) => {
    if (typeof m === 'string' && Object.hasOwn(LEGACY_CONFIG_METRIC_IDS, m)) {
      const id = LEGACY_CONFIG_METRIC_IDS[m];
      warnings.push(`${at(i)}: "${m}" is the old name of the metric id "${id}", read as "${id}" (write "${id}")`);
      return [id];
    }
    if (m === 'ioccb') {
      warnings.push(`${at(i)}: "ioccb" is not computed (IOCCB is not implemented end to end): left out`);
      return [];
    }
    return [m];
  });
  if (warnings.length) evaluation.metrics = read;
  return warnings;
}

const warned = new Set<string>();

/** A deprecation warning on stderr (Node's `process.emitWarning`), once per process and text. */
function warnDeprecated(text: string): void {
  if (warned.has(text)) return;
  warned.add(text);
  process.emitWarning(text, { type: 'DeprecationWarning', code: 'ECODE_CONFIG_METRIC_ID' });
}

/** Command-line overrides over the merged files (`+key` needs the defaults to know what is set). */
function applyOverridesWithDefaults(merged: MergedValue, overrides: readonly ConfigOverride[]): ConfigProblem[] {
  const defaults = overrides.some((o) => o.op === 'add')
    ? validateAgainst<ExperimentConfig>(ExperimentConfigSchema, merged).value
    : undefined;
  return applyOverrides(merged, overrides, defaults);
}

/** Loads and checks a config file without throwing: every problem, and the result when there are none. */
export function inspectConfigFile(
  path: string,
  opts: LoadOptions = {},
  overrides: readonly ConfigOverride[] = [],
): { problems: ConfigProblem[]; resolved?: ResolvedConfig } {
  const abs = nodePath.resolve(opts.cwd ?? process.cwd(), path);
  const chain = loadLayerChain(abs, opts);
  const root = { file: displayName(abs, opts.cwd), line: 1, column: 1 };
  const { merged, config, problems } = resolveLayers(chain.layers, root, overrides);
  // Around a YAML syntax error the recovered structure is unreliable: problems within a line of
  // one are its consequences and would only be noise. Problems elsewhere are still reported.
  const syntax = chain.problems.filter((p) => p.kind === 'syntax');
  const nearSyntax = (p: ConfigProblem) => syntax.some((s) => s.file === p.file && Math.abs(s.line - p.line) <= 1);
  const all = [...chain.problems, ...(syntax.length ? problems.filter((p) => !nearSyntax(p)) : problems)];
  if (all.length > 0) return { problems: all };
  return {
    problems: [],
    resolved: {
      config,
      merged: merged.value,
      files: chain.files,
      hash: hashResolved(config),
      overrides: overrides.map((o) => o.text),
    },
  };
}

/** The resolved config with its files and hash; throws ConfigError listing every problem. */
export function loadConfigDetailed(
  path: string,
  opts: LoadOptions = {},
  overrides: readonly ConfigOverride[] = [],
): ResolvedConfig {
  const { problems, resolved } = inspectConfigFile(path, opts, overrides);
  if (!resolved) throw new ConfigError(problems);
  return resolved;
}

/** Reads, merges (extends), validates and fills defaults; throws ConfigError listing every problem. */
export function loadConfig(
  path: string,
  opts: LoadOptions = {},
  overrides: readonly ConfigOverride[] = [],
): ExperimentConfig {
  return loadConfigDetailed(path, opts, overrides).config;
}

/**
 * Validates an in-memory (partial) config and fills defaults; `label` names it in messages.
 * `overrides` (command-line `key=value`) apply over it.
 */
export function resolveConfig(
  value: unknown,
  label = '<object>',
  overrides: readonly ConfigOverride[] = [],
): ExperimentConfig {
  const layer: LocatedValue = { file: label, value, keyLocs: new Map(), valueLocs: new Map() };
  const root = { file: label, line: 1, column: 1 };
  const problems: ConfigProblem[] = [];
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    problems.push({ ...root, kind: 'type', path: '', message: 'expected a mapping of config sections' });
  }
  const res = resolveLayers([layer], root, overrides);
  problems.push(...res.problems);
  if (problems.length > 0) throw new ConfigError(problems);
  return res.config;
}

/** Every default: the original E-code's (paper-scale) settings. */
export function defaultConfig(): ExperimentConfig {
  return resolveConfig({}, '<defaults>');
}

/** Canonical hash of a config (defaults are applied first, so partial and full forms agree). */
export function canonicalHash(config: unknown): string {
  return hashResolved(resolveConfig(config));
}
