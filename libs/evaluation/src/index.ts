// Public entry of @ecode/evaluation.
export type { CostMeasure, Interval, JudgedProgram, Verdict } from './types.js';
export { VERDICTS } from './types.js';
export { allPassed, compiled, correctnessSummary, passRate, type CorrectnessSummary } from './correctness.js';
export { tokenize13a, pySplit } from './bleu/tokenize-13a.js';
export {
  computeBleu,
  corpusBleu,
  meanSampleBleu,
  sampleBleu,
  sentenceBleu,
  type BleuScore,
  type SacreBleuOptions,
  type SmoothMethod,
} from './bleu/sacrebleu.js';
export { lineBleu, lineBleuDetail, type LineBleuDetail } from './bleu/line-bleu.js';
export {
  beyond,
  costDistribution,
  improvement,
  net,
  npi,
  npiScore,
  optimized,
  speedup,
  type CostDistribution,
} from './efficiency/efficiency.js';
export {
  enamelScore,
  effAtK,
  passAtK,
  dpsClusters,
  dpsOf,
  peerMetricValues,
  peerMetricLabel,
  type DpsCluster,
  type PeerMetricOptions,
} from './efficiency/peers.js';
export { ioccbFromScores } from './efficiency/ioccb.js';
export { METRICS, metricDef, type MetricDef, type MetricName } from './metrics.js';
export {
  bootstrapMean,
  bootstrapMeans,
  pairedBootstrap,
  type BootstrapOptions,
  type PairedComparison,
} from './stats/bootstrap.js';
export { mulberry32, METRIC_IDS, metricIdOf, type MetricId } from '@ecode/config';
export { readEvaluation } from './evaluation-file.js';
export {
  compareVariants,
  evaluatePrograms,
  type EvaluateOptions,
  type Evaluation,
  type ProblemValues,
} from './evaluate.js';
export {
  codeBleu,
  corpusCodeBleu,
  perProgramCodeBleu,
  type CodeBleuOptions,
  type CodeBleuResult,
} from './codebleu/codebleu.js';
export { renderReport } from './report/render.js';
export { buildReportInput } from './report/from-evaluation.js';
export {
  checkHtmlFilesInChromium,
  checkHtmlInChromium,
  findChromium,
  type PageCheck,
} from './report/chromium-check.js';
export type {
  RenderedReport,
  ReportInput,
  ReportSplit,
  ReportSplitResults,
  ReportVariant,
  TrainingPoint,
} from './report/types.js';
