/** The train stage: the model of the config trained on the tokenized samples -> `model.safetensors`. */
import {
  createModel,
  describeNative,
  initBackend,
  GradientReplicas,
  saveWeights,
  train,
  type EncodedSample,
  type GpuAdapterInfo,
  type TrainMetrics,
  type TrainResult,
} from '@ecode/model';
import { loadPretrained, modelSpecFromConfig } from './model-spec.js';
import type { StageContext } from './stage-context.js';
import type { Tokenizers } from './tokenize-stage.js';

export interface TrainStageResult {
  backend: string;
  /** The kernels that ran on it (wasm: native OpenBLAS or XNNPACK + JS, see `describeNative`). */
  kernels: string;
  result: TrainResult;
  parameters: number;
  /** webgpu: the adapter it ran on (MLflow tags `ecode.gpu.*`). */
  adapter?: GpuAdapterInfo;
}

/**
 * Steps whose losses and gradient norms a GPU backend keeps on the device before reading them
 * back in one transfer (train's `logEvery`): a read-back waits for the GPU to finish, so per step
 * it would stall the queue each step. The step log still gets one record per step. On wasm and
 * cpu a read costs nothing and the records go out every step.
 */
export const GPU_LOG_EVERY = 10;

export async function trainStage(
  ctx: StageContext,
  tok: Tokenizers,
  trainSamples: EncodedSample[],
  evalSamples: EncodedSample[],
  onMetrics: (m: TrainMetrics) => Promise<void>,
): Promise<TrainStageResult> {
  const { config, paths } = ctx;
  const backend = await initBackend(config.backend);
  const kernels = backend.native ? describeNative(backend.native) : `${backend.name} backend kernels`;
  ctx.log(
    `backend: ${backend.name}, kernels: ${kernels}${backend.skipped.length ? ` (skipped: ${backend.skipped.join('; ')})` : ''}`,
  );
  for (const w of backend.warnings) ctx.log(`warning: ${w}`);
  const adapter = backend.adapter;
  const spec = modelSpecFromConfig(config, tok);
  const model = createModel(spec);
  try {
    for (const line of loadPretrained(model, config, ctx.configDir)) ctx.log(line);
    let parameters = 0;
    for (const v of model.variables.values()) parameters += v.size;
    ctx.log(
      `model ${config.model.variant}: ${(parameters / 1e6).toFixed(2)}M parameters; ${trainSamples.length} training samples`,
    );
    const t = config.training;
    // Data-parallel shards: replicas in worker threads where a replica gets its own core (wasm,
    // cpu); on a GPU backend the shards run one after another in this thread (same results).
    const replicas =
      t.dataParallel > 1 && (backend.name === 'wasm' || backend.name === 'cpu')
        ? await GradientReplicas.start(spec, t.dataParallel - 1, { backend: backend.name })
        : undefined;
    if (t.dataParallel > 1)
      ctx.log(
        `data-parallel: ${t.dataParallel} gradient shards per micro-batch, ${replicas ? `${replicas.count} replica thread(s)` : 'computed in turn on this backend'}`,
      );
    const trainStarted = Date.now();
    const result = await train(model, trainSamples, evalSamples, {
      seed: config.experiment.seed,
      batchSize: t.batchSize,
      epochs: t.epochs,
      maxSteps: t.maxSteps,
      gradAccumulation: t.gradientAccumulation,
      lr: t.optimizer.lr,
      schedule: t.schedule.kind === 'constant' ? 'constant' : { kind: 'linear', warmupSteps: t.schedule.warmupSteps },
      optimizer: {
        beta1: t.optimizer.betas[0],
        beta2: t.optimizer.betas[1],
        epsilon: t.optimizer.eps,
        weightDecay: t.optimizer.weightDecay,
      },
      clipNorm: t.maxGradNorm,
      evalEvery: evalSamples.length > 0 ? t.evalEvery : 0,
      earlyStopping: t.earlyStopping
        ? { patience: t.earlyStopping.patience, minDelta: t.earlyStopping.minDelta }
        : undefined,
      checkpoint: { dir: paths.checkpoints, every: t.checkpointEvery },
      onMetrics,
      logEvery: backend.name === 'wasm' || backend.name === 'cpu' ? 1 : GPU_LOG_EVERY,
      progress: ctx.progress === false ? false : (ctx.progress as never),
      signal: ctx.signal,
      checkpointOnAbort: true,
      shards: t.dataParallel,
      replicas,
    }).finally(() => replicas?.dispose());
    if (result.resumedFromStep > 0) ctx.log(`training resumed from the checkpoint at step ${result.resumedFromStep}`);
    if (result.stopReason === 'aborted') return { backend: backend.name, kernels, adapter, result, parameters };
    await saveWeights(model.variables, { spec, path: paths.model, metadata: { ecode_config_hash: ctx.hash } });
    ctx.log(
      `training done: ${result.steps} steps (${result.stopReason}), last loss ${result.lastLoss?.toFixed(4)}, ${result.tokensPerSecond.toFixed(0)} tokens/s, ${((Date.now() - trainStarted) / 1000).toFixed(0)} s`,
    );
    return { backend: backend.name, kernels, adapter, result, parameters };
  } finally {
    model.dispose();
  }
}
