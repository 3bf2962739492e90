export * from './contracts.js';
export {
  initBackend,
  resolveBlasThreads,
  resolveWasmThreads,
  type BackendInfo,
  type BackendName,
  type BackendOptions,
} from './backend/backend.js';
export {
  classifyAdapter,
  describeAdapter,
  probeWebgpu,
  type GpuAdapterInfo,
  type RawAdapterInfo,
  type WebgpuProbe,
} from './backend/webgpu-adapter.js';
export {
  registerWasmKernels,
  describeNative,
  nativeActive,
  nativeStatus,
  probeNativeKernels,
  setNativeKernels,
  type NativeStatus,
} from '@ecode/kernels';
export { linear, matMul2d, bmm, layerNorm, gelu, geluNew, embedding, dropout, SeedSequence } from './blocks/ops.js';
export { ParamStore, ParamScope } from './blocks/params.js';
export { Linear, LayerNorm } from './blocks/layers.js';
export { BertModel, BertLayer, bertConfig, type BertConfig, type BertInput } from './blocks/bert.js';
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
} from './blocks/gpt-neo.js';
export { CrossAttention, type CrossAttentionConfig } from './blocks/cross-attention.js';
export {
  ECodeModel,
  EXPERT_NAMES,
  ExpertEncoderGroup,
  OpenedExpertGroup,
  IntegrationLayer,
  MlpEnlarge,
  type TextStates,
} from './ecode/ecode.js';
export { GPTNeoBaseline } from './ecode/gpt-neo-baseline.js';
export { createModel } from './ecode/create-model.js';
export {
  validateSpec,
  smallSpec,
  paperSpec,
  type ModelSpec,
  type ModelVariant,
  type BertSize,
  type DecoderSize,
} from './ecode/spec.js';
export {
  readSafetensors,
  writeSafetensors,
  type SafeTensor,
  type SafeTensorsFile,
  type SafeDType,
} from './checkpoint/safetensors.js';
export {
  saveWeights,
  loadWeights,
  loadWeightsFile,
  specFromMetadata,
  variablesToTensors,
  SPEC_METADATA_KEY,
  type LoadOptions,
  type LoadReport,
} from './checkpoint/checkpoint.js';
// Training and generation (train*, optim*, schedule*, batching*, generate*, rng*, checkpoint-state*).
export { Rng, mixSeed, hashString, type RngState } from './rng.js';
export { makeSchedule, type ScheduleOptions, type LearningRateSchedule } from './train/schedule.js';
export { AdamW, type AdamWOptions, type AdamWState } from './train/optim-adamw.js';
export { globalNorm, clipByGlobalNorm } from './train/optim-clip.js';
export { planEpoch, planEval, defaultSampleLength, type BatchPlanOptions } from './train/batching.js';
export {
  train,
  evaluateLoss,
  type TrainOptions,
  type TrainResult,
  type TrainMetrics,
  type CheckpointOptions,
  type StopReason,
} from './train/train.js';
export {
  ProgressLine,
  formatProgress,
  formatDuration,
  type ProgressStream,
  type ProgressInfo,
} from './train/train-progress.js';
export {
  writeTrainingCheckpoint,
  readLatestCheckpoint,
  writeFileAtomic,
  writeDirAtomic,
  defaultWeightsHooks,
  type TrainingState,
  type WeightsHook,
} from './train/checkpoint-state.js';
export { generate, type GenerateOptions, type Generation } from './generate/generate.js';
export { GradientReplicas, type StartReplicasOptions } from './train/replicas.js';
export { splitShards } from './train/shards.js';
export { pickToken, type SamplingOptions } from './generate/generate-sampling.js';
export {
  readCheckpoint,
  readCheckpointFile,
  checkpointFormat,
  type CheckpointFormat,
} from './checkpoint/checkpoint-file.js';
export {
  pretrainedTargets,
  checkpointKind,
  parameterShapes,
  planLoad,
  type CheckpointKind,
  type PretrainedTarget,
  type LoadPlan,
} from './checkpoint/pretrained.js';
export {
  exportHf,
  importHf,
  gptNeoHfConfig,
  bertHfConfig,
  ecodeHfConfig,
  type ExportInfo,
  type ExportedFolder,
} from './checkpoint/export-hf.js';
