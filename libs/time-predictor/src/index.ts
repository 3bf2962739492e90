/**
 * @ecode/time-predictor: CodeExecTimeDB (programs re-timed in the sandbox, with the original's
 * four views and CSV export) and a small transformer predictor of a program's CPU time, scored
 * against global-mean, per-problem-mean and lines-of-code baselines.
 */
export {
  TimePredictorConfigSchema,
  TimePredictorConfigError,
  loadTimePredictorConfig,
  resolveTimePredictorConfig,
  TIME_VIEWS,
  type TimePredictorConfig,
  type TimeView,
} from './config.js';
export { type TimeRow, type TimeSpread, linesOfCode, rowCode } from './timedb-row.js';
export {
  parseViews,
  deriveViews,
  randomDelete,
  VIEWS_SCRIPT,
  type CodeViews,
  type ParsedViews,
  type DeriveOptions,
} from './views.js';
export {
  buildTimeDb,
  measurementKey,
  problemSplitter,
  type Measurer,
  type MeasurementOptions,
  type BuildOptions,
  type BuildResult,
  type BuildProgress,
} from './build-timedb.js';
export {
  writeTimeDb,
  readTimeDb,
  knownRows,
  toTimeCsv,
  csvField,
  parseCsv,
  type TimeDbManifest,
} from './timedb-store.js';
export {
  timeMetrics,
  spearman,
  pearson,
  averageRanks,
  pairwiseAccuracy,
  type Prediction,
  type TimeMetrics,
} from './metrics.js';
export {
  globalMeanBaseline,
  problemMeanBaseline,
  linesOfCodeBaseline,
  fitLine,
  type Baseline,
  type LabelledCode,
} from './baselines.js';
export { TimePredictorModel, padRows, type PredictorSpec } from './predictor-model.js';
export {
  trainPredictor,
  itemsOf,
  planBatches,
  type TrainItem,
  type TrainedPredictor,
  type TrainPredictorOptions,
  type MetricSink,
  type TargetNorm,
} from './train-predictor.js';
export {
  TimePredictor,
  predictUncompiled,
  formatPrediction,
  PREDICTOR_FORMAT,
  type PredictorInfo,
  type PredictedTime,
  type TypicalError,
  type UncompiledEstimate,
} from './predictor.js';
export {
  evaluateAgainstBaselines,
  findRow,
  METHODS,
  METHOD_LABELS,
  type EvaluationTable,
  type EvaluationRow,
  type Method,
} from './evaluate-predictor.js';
export { renderMarkdown, renderHtml, type ReportContext } from './report.js';
export {
  runTimePredictorExperiment,
  obtainTimeDb,
  buildTimeDbInto,
  type PipelineOptions,
  type PipelineResult,
  type RunLike,
} from './pipeline.js';
export * from './import-csv.js';
export { checkSetProblems } from './check-set.js';
export { costFeatures, explainCost, WORK_KINDS, COST_SIZES, type CostAnalysis } from './cost-features.js';
export { fitCostModel, costScores, type CostModel, type CostSample, type CostCache } from './cost-model.js';
