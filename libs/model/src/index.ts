export * from './contracts.js';
// Training and generation (train*, optim*, schedule*, batching*, generate*, rng*, checkpoint-state*).
export { Rng, mixSeed, hashString, type RngState } from './rng.js';
export { makeSchedule, type ScheduleOptions, type LearningRateSchedule } from './schedule.js';
export { AdamW, type AdamWOptions, type AdamWState } from './optim-adamw.js';
export { globalNorm, clipByGlobalNorm } from './optim-clip.js';
export { planEpoch, planEval, defaultSampleLength, type BatchPlanOptions } from './batching.js';
export { train, evaluateLoss, type TrainOptions, type TrainResult, type TrainMetrics, type CheckpointOptions, type StopReason } from './train.js';
export { ProgressLine, formatProgress, formatDuration, type ProgressStream, type ProgressInfo } from './train-progress.js';
export {
  writeTrainingCheckpoint,
  readLatestCheckpoint,
  writeFileAtomic,
  writeDirAtomic,
  defaultWeightsHooks,
  type TrainingState,
  type WeightsHook,
} from './checkpoint-state.js';
export { generate, type GenerateOptions, type Generation } from './generate.js';
export { pickToken, type SamplingOptions } from './generate-sampling.js';
