/**
 * @ecode/config: typed experiment configs. Schema (TypeBox -> TS type + JSON Schema), YAML
 * loading with source positions, `extends:` with deep merge, sweeps, canonical run hashes.
 */
export {
  ExperimentConfigSchema,
  experimentConfigJsonSchema,
  StringEnum,
  DATA_SOURCES,
  DEFAULT_HELD_OUT_FAMILIES,
  MODEL_VARIANTS,
  ENLARGE_ACTIVATIONS,
  ATTENTION_KINDS,
  INIT_KINDS,
  SCHEDULE_KINDS,
  GENERATION_STRATEGIES,
  COST_MEASURES,
  METRICS,
  SANDBOX_MODES,
  BACKENDS,
  type ExperimentConfig,
  type ExperimentSectionConfig,
  type DataConfig,
  type TokenizerConfig,
  type ModelConfig,
  type TrainingConfig,
  type GenerationConfig,
  type EvaluationConfig,
  type SandboxConfig,
  type TrackingConfig,
  type Backend,
  type MetricName,
} from './schema.js';
export {
  SweepSchema,
  SweepQueueSchema,
  BACKOFF_KINDS,
  type SweepFile,
  type SweepQueueOptions,
} from './sweep-schema.js';
export {
  ConfigError,
  formatProblem,
  formatProblems,
  sortProblems,
  type ConfigProblem,
  type ProblemKind,
  type SourceLocation,
} from './problems.js';
export {
  loadConfig,
  loadConfigDetailed,
  inspectConfigFile,
  resolveConfig,
  defaultConfig,
  canonicalHash,
  type ResolvedConfig,
} from './load-config.js';
export { loadSweep, inspectSweepFile, isSweepValue, type Sweep, type SweepRun, type SweepExtras } from './sweep.js';
export {
  parseOverride,
  parseOverrides,
  parseOverrideValue,
  isOverrideArg,
  applyOverrides,
  type ConfigOverride,
  type OverrideOp,
} from './overrides.js';
export {
  expandGrid,
  samplePoints,
  drawFrom,
  parseGridArg,
  pointLabel,
  formatPointValue,
  DISTRIBUTIONS,
  type GridPoint,
  type Distribution,
  type SampleSpec,
} from './grid.js';
export { checkFile, type FileCheck } from './check-file.js';
export { mulberry32, mulberry32FromState } from './rng.js';
export {
  METRIC_IDS,
  LEGACY_CONFIG_METRIC_IDS,
  LEGACY_METRIC_NAMES,
  metricIdOf,
  metricKeyOf,
  type MetricId,
} from './metric-ids.js';
export { canonicalJson, flattenConfig, HASH_EXCLUDED_PATHS } from './canonical.js';
export { deepMerge } from './merge.js';
export { expandFileArgs } from './file-glob.js';
export { toYaml } from './to-yaml.js';
export { configFileJsonSchema, sweepFileJsonSchema } from './editor-schema.js';
export type { LoadOptions } from './source-files.js';
export {
  BoundedFileError,
  MAX_CONFIG_FILE_BYTES,
  checkRegularFile,
  decodeUtf8,
  formatBytes,
  readBoundedBytes,
  readBoundedText,
} from './bounded-file.js';
export { MAX_NESTING, nestingTooDeep } from './yaml-source.js';
