export * from './contracts.js';
export {
  initBackend,
  resolveBlasThreads,
  resolveWasmThreads,
  type BackendInfo,
  type BackendName,
  type BackendOptions,
} from './backend.js';
export {
  registerWasmKernels,
  describeNative,
  nativeActive,
  nativeStatus,
  probeNativeKernels,
  setNativeKernels,
  type NativeStatus,
} from '@ecode/kernels';
export { linear, matMul2d, bmm, layerNorm, gelu, geluNew, embedding, dropout, SeedSequence } from './ops.js';
export { ParamStore, ParamScope } from './params.js';
export { Linear, LayerNorm } from './layers.js';
export { BertModel, BertLayer, bertConfig, type BertConfig, type BertInput } from './bert.js';
export {
  GPTNeoModel,
  GPTNeoBlock,
  GPTNeoSelfAttention,
  GPTNeoMLP,
  gptNeoConfig,
  emptyNeoCache,
  disposeNeoCache,
  type GPTNeoConfig,
  type NeoInput,
  type NeoKVCache,
  type AttentionType,
} from './gpt-neo.js';
export { CrossAttention, type CrossAttentionConfig } from './cross-attention.js';
export {
  ECodeModel,
  EXPERT_NAMES,
  ExpertEncoderGroup,
  OpenedExpertGroup,
  IntegrationLayer,
  MlpEnlarge,
  type TextStates,
} from './ecode.js';
export { GPTNeoBaseline } from './gpt-neo-baseline.js';
export { createModel } from './create-model.js';
export {
  validateSpec,
  smallSpec,
  paperSpec,
  type ModelSpec,
  type ModelVariant,
  type BertSize,
  type DecoderSize,
} from './spec.js';
export {
  readSafetensors,
  writeSafetensors,
  type SafeTensor,
  type SafeTensorsFile,
  type SafeDType,
} from './safetensors.js';
export {
  saveWeights,
  loadWeights,
  loadWeightsFile,
  specFromMetadata,
  variablesToTensors,
  SPEC_METADATA_KEY,
  type LoadOptions,
  type LoadReport,
} from './checkpoint.js';
// Training and generation (train*, optim*, schedule*, batching*, generate*, rng*, checkpoint-state*).
export { Rng, mixSeed, hashString, type RngState } from './rng.js';
export { makeSchedule, type ScheduleOptions, type LearningRateSchedule } from './schedule.js';
export { AdamW, type AdamWOptions, type AdamWState } from './optim-adamw.js';
export { globalNorm, clipByGlobalNorm } from './optim-clip.js';
export { planEpoch, planEval, defaultSampleLength, type BatchPlanOptions } from './batching.js';
export {
  train,
  evaluateLoss,
  type TrainOptions,
  type TrainResult,
  type TrainMetrics,
  type CheckpointOptions,
  type StopReason,
} from './train.js';
export {
  ProgressLine,
  formatProgress,
  formatDuration,
  type ProgressStream,
  type ProgressInfo,
} from './train-progress.js';
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
export { GradientReplicas, type StartReplicasOptions } from './replicas.js';
export { splitShards } from './shards.js';
export { pickToken, type SamplingOptions } from './generate-sampling.js';
export { readCheckpoint, readCheckpointFile, checkpointFormat, type CheckpointFormat } from './checkpoint-file.js';
export {
  pretrainedTargets,
  checkpointKind,
  parameterShapes,
  planLoad,
  type CheckpointKind,
  type PretrainedTarget,
  type LoadPlan,
} from './pretrained.js';
export {
  exportHf,
  importHf,
  gptNeoHfConfig,
  bertHfConfig,
  ecodeHfConfig,
  type ExportInfo,
  type ExportedFolder,
} from './export-hf.js';
