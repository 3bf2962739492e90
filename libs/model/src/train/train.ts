/**
 * The training loop: AdamW, gradient accumulation, global-norm clipping, learning-rate schedules,
 * length-bucketed batches, periodic eval loss, early stopping, checkpoints that resume to the
 * same final weights, a progress line and metric callbacks. Depends only on `CodeRewritingModel`.
 *
 * Data order: micro-batches form one stream across epochs (epoch e's batches come from
 * `planEpoch(samples, e, ...)`), and optimizer step s consumes micro-batches
 * [s * accumulation, (s + 1) * accumulation). The position of a run is therefore its step.
 *
 * `train` reads top to bottom: settings, resume, then per step learning rate -> gradients
 * (`stepGradients`, sharded or not) -> clip and AdamW step (`clipAndApply`) -> log -> evaluate ->
 * checkpoint.
 */
import * as tf from '@tensorflow/tfjs';
import type { CodeRewritingModel, EncodedSample } from '../contracts.js';
import { Rng, hashString, mixSeed } from '../rng.js';
import { defaultSampleLength, planEpoch, planEval, type BatchPlanOptions } from './batching.js';
import {
  TRAIN_STATE_FORMAT,
  defaultWeightsHooks,
  pruneCheckpoints,
  readLatestCheckpoint,
  loadOptimizerState,
  writeDirAtomic,
  writeTrainingCheckpoint,
  type TrainingState,
  type WeightsHook,
} from './checkpoint-state.js';
import { stepGradients } from './gradients.js';
import { AdamW, type AdamWOptions } from './optim-adamw.js';
import { clipAndApply } from './optim-clip.js';
import type { GradientReplicas } from './replicas.js';
import { makeSchedule, type LearningRateSchedule } from './schedule.js';
import { ProgressLine, type ProgressStream } from './train-progress.js';

export interface TrainMetrics {
  /** Optimizer steps completed (1 after the first update). */
  step: number;
  epoch: number;
  /** Mean training loss of the step's micro-batches. */
  loss: number;
  /** Learning rate used by this step's update. */
  lr: number;
  /** Global gradient norm before clipping. */
  gradNorm: number;
  /** Target (label) tokens per second of this step. */
  tokensPerSecond: number;
  /** Label tokens in this step. */
  tokens: number;
  /** Present on steps that evaluated. */
  evalLoss?: number;
}

export interface CheckpointOptions {
  dir: string;
  /** Write a checkpoint every this many optimizer steps (0: only at the end). */
  every: number;
  /** Step directories to keep (default 2). */
  keep?: number;
  /** Resume from `<dir>/latest` when it exists (default true). */
  resume?: boolean;
  /** Weight I/O; defaults write every model variable to `model.safetensors` (HF names). */
  saveWeights?: WeightsHook;
  loadWeights?: WeightsHook;
}

export interface TrainOptions {
  seed: number;
  batchSize: number;
  /** Passes over the training samples (default 1). */
  epochs?: number;
  /** Cap on optimizer steps. */
  maxSteps?: number;
  /** Micro-batches per optimizer step (default 1); the loss is divided by it, as in the original. */
  gradAccumulation?: number;
  lr: number;
  /** 'constant' (default, as the original) or linear warm-up and decay (totalSteps defaults to the run's). */
  schedule?: 'constant' | { kind: 'linear'; warmupSteps: number; totalSteps?: number; finalLr?: number };
  optimizer?: AdamWOptions;
  /** Global-norm clipping threshold (default 1.0; 0 or Infinity disables). */
  clipNorm?: number;
  /** Evaluate every this many optimizer steps (default 0: only at the end when eval samples exist). */
  evalEvery?: number;
  evalBatchSize?: number;
  earlyStopping?: {
    /** Evaluations without improvement before stopping. */
    patience: number;
    /** Improvement smaller than this does not count (default 0). */
    minDelta?: number;
    /** Put the best weights back into the model at the end (default false). */
    restoreBest?: boolean;
  };
  checkpoint?: CheckpointOptions;
  onMetrics?: (metrics: TrainMetrics) => void | Promise<void>;
  /**
   * Read the steps' losses and gradient norms back every this many steps, all in one transfer
   * (default 1). Until then they stay on the device, so a GPU step is encoded without waiting for
   * the GPU. `onMetrics` still gets one record per step, in order and with the same values, at the
   * interval's end (and before every evaluation, checkpoint and stop); `tokensPerSecond` is then the
   * interval's rate.
   */
  logEvery?: number;
  /** Where the progress line goes (default process.stderr); false for none. */
  progress?: ProgressStream | false;
  progressIntervalMs?: number;
  /** Bucketing window in batches (see planEpoch); 1 disables bucketing. */
  bucketWindow?: number;
  lengthOf?: (sample: EncodedSample) => number;
  /**
   * Seed the model's dropout from the run's checkpointed RNG before every micro-batch, through
   * `model.setDropoutSeed` when the model has it and through `Math.random` during the synchronous
   * `loss` call (for unseeded `tf.dropout`), so runs and resumes are reproducible (default true).
   */
  seededDropout?: boolean;
  /** Stops after the current step without writing a checkpoint (like a kill). */
  signal?: AbortSignal;
  /**
   * With `signal` and `checkpoint`: stop at the next micro-batch boundary instead (the partial
   * optimizer step is discarded) and write a checkpoint of the last completed step, from which a
   * resumed run continues exactly as an uninterrupted one (default false).
   */
  checkpointOnAbort?: boolean;
  /**
   * Gradient shards per micro-batch (default 1): each micro-batch is split into this many
   * contiguous parts whose gradients are computed separately, each with its own dropout seed, and
   * combined with token weights (= the whole micro-batch's gradient up to rounding). Part of the
   * run's settings (results depend on it); with `replicas` the shards run in parallel.
   */
  shards?: number;
  /**
   * Worker-thread replicas of the model (replicas.ts) that compute shards 1..S-1 while this thread
   * computes shard 0. Without them the shards run here one after another, with identical results.
   */
  replicas?: GradientReplicas;
}

export type StopReason = 'completed' | 'max-steps' | 'early-stopping' | 'aborted';

export interface TrainResult {
  steps: number;
  totalSteps: number;
  stopReason: StopReason;
  /** Step the run resumed from (0 for a fresh run). */
  resumedFromStep: number;
  lastLoss: number | null;
  evalHistory: { step: number; evalLoss: number }[];
  bestEvalLoss: number | null;
  bestStep: number | null;
  tokensSeen: number;
  /** Wall seconds of this invocation and its mean label tokens/s (training steps only). */
  seconds: number;
  tokensPerSecond: number;
  lastCheckpoint: string | null;
}

/** Token-weighted mean loss over `samples` (no dropout). */
export async function evaluateLoss(
  model: CodeRewritingModel,
  samples: EncodedSample[],
  batchSize: number,
  lengthOf = defaultSampleLength,
): Promise<number> {
  if (samples.length === 0) throw new Error('evaluateLoss: no samples');
  let weighted = 0;
  let tokens = 0;
  for (const batch of planEval(samples, batchSize, lengthOf)) {
    const { loss, tokens: n } = model.loss(
      batch.map((i) => samples[i]),
      false,
    );
    const value = (await loss.data())[0];
    loss.dispose();
    weighted += value * n;
    tokens += n;
  }
  return weighted / tokens;
}

function fingerprintOf(
  samples: EncodedSample[],
  o: { seed: number; batchSize: number; gradAccumulation: number; bucketWindow: number; shards: number },
): string {
  let h = 0;
  for (const s of samples) h = mixSeed(h, hashString(s.id), s.ic.length, s.ec.length);
  return JSON.stringify({
    seed: o.seed,
    batchSize: o.batchSize,
    gradAccumulation: o.gradAccumulation,
    bucketWindow: o.bucketWindow,
    // Only when sharded, so checkpoints written before shards existed still resume.
    ...(o.shards !== 1 ? { shards: o.shards } : {}),
    samples: samples.length,
    dataHash: h,
  });
}

function positiveInt(name: string, value: number | undefined, fallback: number, min = 1): number {
  const v = value ?? fallback;
  if (!Number.isInteger(v) || v < min) throw new Error(`train: ${name} must be an integer >= ${min}, got ${value}`);
  return v;
}

export async function train(
  model: CodeRewritingModel,
  trainSamples: EncodedSample[],
  evalSamples: EncodedSample[],
  options: TrainOptions,
): Promise<TrainResult> {
  const run = runSettings(trainSamples, options);
  const { accumulation, batchesPerEpoch, totalSteps, clipNorm } = run;
  const entries = [...model.variables].filter(([, v]) => v.trainable);
  if (entries.length === 0) throw new Error('train: the model has no trainable variables');
  const optimizer = new AdamW(new Map(entries), options.optimizer);
  const rng = new Rng(mixSeed(options.seed, 0x7261696e));
  const replicas = run.shards > 1 ? options.replicas : undefined;
  replicas?.checkLayout(entries);
  replicas?.weightsChanged(); // the caller may have changed the weights since the replicas last saw them
  const source = { model, entries, shards: run.shards, replicas, seededDropout: run.seededDropout, rng };
  const ck = options.checkpoint;
  const hooks = defaultWeightsHooks(model.variables);
  const saveWeights = ck?.saveWeights ?? hooks.save;
  const loadWeights = ck?.loadWeights ?? hooks.load;
  const fingerprint = fingerprintOf(trainSamples, {
    seed: options.seed,
    batchSize: run.batchSize,
    gradAccumulation: accumulation,
    bucketWindow: run.bucketWindow,
    shards: run.shards,
  });
  const state = freshState();
  let lastCheckpoint: string | null = null;
  if (ck && ck.resume !== false)
    lastCheckpoint = await resume(ck.dir, { state, fingerprint, optimizer, rng, loadWeights, run });
  const resumedFromStep = state.step;
  let checkpointedStep = state.step;
  const evaluation = new Evaluation(model, evalSamples, run, options.earlyStopping, entries);
  const micro = new MicroBatches(trainSamples, run);
  const progress =
    options.progress === false
      ? null
      : new ProgressLine(options.progress ?? process.stderr, options.progressIntervalMs);
  const checkpointNow = async () => {
    if (!ck) return;
    const position = micro.position(state.step);
    const saved: TrainingState = {
      format: TRAIN_STATE_FORMAT,
      ...state,
      ...position,
      rng: rng.getState(),
      fingerprint,
    };
    lastCheckpoint = await writeTrainingCheckpoint(ck.dir, saved, optimizer, saveWeights);
    checkpointedStep = state.step;
    await pruneCheckpoints(ck.dir, ck.keep ?? 2);
  };
  const started = performance.now();
  let trainSeconds = 0;
  let tokensThisRun = 0;
  let lastLoss: number | null = null;
  const log = new StepLog();
  /** Reads the pending steps back and hands out their records (progress line included). */
  const flushLog = async () => {
    const { records, waitSeconds } = await log.flush();
    trainSeconds += waitSeconds;
    for (const metrics of records) {
      lastLoss = metrics.loss;
      await options.onMetrics?.(metrics);
      const elapsed = (performance.now() - started) / 1000;
      const eta = ((totalSteps - metrics.step) * elapsed) / (metrics.step - resumedFromStep);
      const speed = tokensThisRun / trainSeconds;
      progress?.update(
        { ...metrics, totalSteps, tokensPerSecond: speed, etaSeconds: eta },
        metrics.evalLoss !== undefined,
      );
    }
  };
  let stopReason: StopReason = totalSteps < run.plannedSteps ? 'max-steps' : 'completed';
  // With checkpointOnAbort a stop request is answered at the next micro-batch boundary.
  const stopBetweenMicroBatches = () => Boolean(options.checkpointOnAbort && options.signal?.aborted);

  try {
    while (state.step < totalSteps) {
      if (options.signal?.aborted) {
        stopReason = 'aborted';
        break;
      }
      const t0 = performance.now();
      const lr = run.schedule(state.step);
      const gradients = await stepGradients(source, micro.ofStep(state.step), stopBetweenMicroBatches);
      if (!gradients) {
        stopReason = 'aborted';
        break;
      }
      const readout = clipAndApply(optimizer, gradients, lr, clipNorm);
      replicas?.weightsChanged();

      state.step += 1;
      const step = state.step;
      const tokens = gradients.tokens;
      state.tokensSeen += tokens;
      tokensThisRun += tokens;
      const dt = (performance.now() - t0) / 1000;
      trainSeconds += dt;
      const epoch = Math.floor((step * accumulation - 1) / batchesPerEpoch);
      const metrics: TrainMetrics = { step, epoch, loss: NaN, lr, gradNorm: NaN, tokensPerSecond: 0, tokens };
      log.add(metrics, readout, dt);

      const evalDue = evaluation.due(step, totalSteps);
      let stopEarly = false;
      if (evalDue) {
        const r = await evaluation.run(step, state);
        metrics.evalLoss = r.evalLoss;
        if (r.best && ck) await writeDirAtomic(ck.dir, 'best', saveWeights);
        stopEarly = r.stopEarly;
      }
      const checkpointDue = stopEarly || step === totalSteps || (ck && ck.every > 0 && step % ck.every === 0);
      if (evalDue || checkpointDue || step % run.logEvery === 0 || options.signal?.aborted) await flushLog();

      if (options.signal?.aborted) {
        stopReason = 'aborted';
        break;
      }
      if (checkpointDue) await checkpointNow();
      if (stopEarly) {
        stopReason = 'early-stopping';
        break;
      }
    }
    await flushLog();
    if (stopReason === 'aborted' && options.checkpointOnAbort && state.step > checkpointedStep) await checkpointNow();
    if (stopReason !== 'aborted') evaluation.restoreBest();
  } finally {
    progress?.finish();
    log.dispose();
    evaluation.dispose();
    optimizer.dispose();
  }

  return {
    steps: state.step,
    totalSteps,
    stopReason,
    resumedFromStep,
    lastLoss,
    evalHistory: evaluation.history,
    bestEvalLoss: state.bestEvalLoss,
    bestStep: state.bestStep,
    tokensSeen: state.tokensSeen,
    seconds: (performance.now() - started) / 1000,
    tokensPerSecond: trainSeconds > 0 ? tokensThisRun / trainSeconds : 0,
    lastCheckpoint,
  };
}

/** The run's validated settings, its data plan's size and its learning-rate schedule. */
interface RunSettings extends BatchPlanOptions {
  epochs: number;
  accumulation: number;
  bucketWindow: number;
  evalEvery: number;
  evalBatchSize: number;
  shards: number;
  clipNorm: number;
  logEvery: number;
  seededDropout: boolean;
  lengthOf: (sample: EncodedSample) => number;
  batchesPerEpoch: number;
  totalMicro: number;
  /** Steps the epochs make; `totalSteps` is that or `maxSteps`, whichever is fewer. */
  plannedSteps: number;
  totalSteps: number;
  schedule: LearningRateSchedule;
}

function runSettings(trainSamples: EncodedSample[], options: TrainOptions): RunSettings {
  if (trainSamples.length === 0) throw new Error('train: no training samples');
  const batchSize = positiveInt('batchSize', options.batchSize, 1);
  const epochs = positiveInt('epochs', options.epochs, 1);
  const accumulation = positiveInt('gradAccumulation', options.gradAccumulation, 1);
  const bucketWindow = positiveInt('bucketWindow', options.bucketWindow, 50);
  const evalEvery = positiveInt('evalEvery', options.evalEvery, 0, 0);
  const evalBatchSize = positiveInt('evalBatchSize', options.evalBatchSize, batchSize);
  const shards = positiveInt('shards', options.shards, 1);
  if (options.replicas && options.replicas.count < shards - 1)
    throw new Error(`train: ${shards} shards need ${shards - 1} replicas, got ${options.replicas.count}`);
  const lengthOf = options.lengthOf ?? defaultSampleLength;
  const plan = { batchSize, seed: options.seed, bucketWindow, lengthOf };
  const batchesPerEpoch = planEpoch(trainSamples, 0, plan).length;
  const totalMicro = epochs * batchesPerEpoch;
  const plannedSteps = Math.ceil(totalMicro / accumulation);
  const totalSteps =
    options.maxSteps !== undefined
      ? Math.min(plannedSteps, positiveInt('maxSteps', options.maxSteps, 1))
      : plannedSteps;
  const sched = options.schedule ?? 'constant';
  const schedule: LearningRateSchedule =
    sched === 'constant'
      ? makeSchedule({ kind: 'constant', lr: options.lr })
      : makeSchedule({
          kind: 'linear',
          lr: options.lr,
          warmupSteps: sched.warmupSteps,
          totalSteps: sched.totalSteps ?? totalSteps,
          finalLr: sched.finalLr,
        });
  return {
    ...plan,
    epochs,
    accumulation,
    evalEvery,
    evalBatchSize,
    shards,
    clipNorm: options.clipNorm ?? 1.0,
    logEvery: positiveInt('logEvery', options.logEvery, 1),
    seededDropout: options.seededDropout ?? true,
    batchesPerEpoch,
    totalMicro,
    plannedSteps,
    totalSteps,
    schedule,
  };
}

/** The part of a run's position that checkpoints carry besides the data position and the RNG. */
interface RunState {
  step: number;
  tokensSeen: number;
  bestEvalLoss: number | null;
  bestStep: number | null;
  evalsSinceBest: number;
}

function freshState(): RunState {
  return { step: 0, tokensSeen: 0, bestEvalLoss: null, bestStep: null, evalsSinceBest: 0 };
}

/**
 * Continues from `<dir>/latest` when it exists: weights, optimizer moments, RNG and `state`, after
 * checking that it was written with these settings and data. Returns its directory (or null).
 */
async function resume(
  dir: string,
  o: {
    state: RunState;
    fingerprint: string;
    optimizer: AdamW;
    rng: Rng;
    loadWeights: WeightsHook;
    run: Pick<RunSettings, 'accumulation' | 'batchesPerEpoch'>;
  },
): Promise<string | null> {
  const latest = await readLatestCheckpoint(dir);
  if (!latest) return null;
  const s = latest.state;
  if (s.fingerprint !== o.fingerprint) {
    throw new Error(
      `train: checkpoint ${latest.dir} was written with different settings or data (${s.fingerprint}); now ${o.fingerprint}. Use another checkpoint dir or resume: false.`,
    );
  }
  await o.loadWeights(latest.dir);
  await loadOptimizerState(latest.dir, o.optimizer);
  if (o.optimizer.step !== s.step)
    throw new Error(`train: ${latest.dir} has optimizer step ${o.optimizer.step} but state step ${s.step}`);
  Object.assign(o.state, {
    step: s.step,
    tokensSeen: s.tokensSeen,
    bestEvalLoss: s.bestEvalLoss,
    bestStep: s.bestStep,
    evalsSinceBest: s.evalsSinceBest,
  });
  o.rng.setState(s.rng);
  const micro = s.step * o.run.accumulation;
  if (s.epoch !== Math.floor(micro / o.run.batchesPerEpoch) || s.batchInEpoch !== micro % o.run.batchesPerEpoch) {
    throw new Error(
      `train: ${latest.dir} records data position epoch ${s.epoch} batch ${s.batchInEpoch}, inconsistent with step ${s.step}`,
    );
  }
  return latest.dir;
}

/** The micro-batch stream across epochs: each epoch's plan is made when the stream reaches it. */
class MicroBatches {
  private planned = -1;
  private plan: number[][] = [];

  constructor(
    private readonly samples: EncodedSample[],
    private readonly run: RunSettings,
  ) {}

  /** Step s's micro-batches: [s * accumulation, (s + 1) * accumulation), cut at the run's end. */
  ofStep(step: number): EncodedSample[][] {
    const first = step * this.run.accumulation;
    const n = Math.min(this.run.accumulation, this.run.totalMicro - first);
    return Array.from({ length: n }, (_, j) => this.at(first + j));
  }

  /** The data position a checkpoint after `step` steps records. */
  position(step: number): { epoch: number; batchInEpoch: number } {
    const micro = step * this.run.accumulation;
    return { epoch: Math.floor(micro / this.run.batchesPerEpoch), batchInEpoch: micro % this.run.batchesPerEpoch };
  }

  private at(micro: number): EncodedSample[] {
    const epoch = Math.floor(micro / this.run.batchesPerEpoch);
    if (epoch !== this.planned) {
      this.plan = planEpoch(this.samples, epoch, this.run);
      this.planned = epoch;
    }
    return this.plan[micro % this.run.batchesPerEpoch].map((i) => this.samples[i]);
  }
}

/**
 * The step records of a log interval: each step's `[loss, gradNorm]` (`clipAndApply`) stays on the
 * device until `flush` reads the interval's in one transfer and completes the records.
 */
class StepLog {
  private pending: { metrics: TrainMetrics; readout: tf.Tensor1D; seconds: number }[] = [];

  add(metrics: TrainMetrics, readout: tf.Tensor1D, seconds: number): void {
    this.pending.push({ metrics, readout, seconds });
  }

  /** The pending records with loss, gradient norm and the interval's tokens/s, and the read's wait. */
  async flush(): Promise<{ records: TrainMetrics[]; waitSeconds: number }> {
    const pending = this.pending;
    if (pending.length === 0) return { records: [], waitSeconds: 0 };
    this.pending = [];
    const t0 = performance.now();
    let values: Float32Array;
    try {
      const all = tf.tidy(() => tf.concat(pending.map((p) => p.readout)));
      values = (await all.data()) as Float32Array;
      all.dispose();
    } finally {
      for (const p of pending) p.readout.dispose();
    }
    const waitSeconds = (performance.now() - t0) / 1000;
    let seconds = waitSeconds;
    let tokens = 0;
    for (const p of pending) {
      seconds += p.seconds;
      tokens += p.metrics.tokens;
    }
    const records = pending.map(({ metrics }, i) => ({
      ...metrics,
      loss: values[2 * i],
      gradNorm: values[2 * i + 1],
      tokensPerSecond: tokens / seconds,
    }));
    return { records, waitSeconds };
  }

  /** Frees what was not read (a step that failed). */
  dispose(): void {
    for (const p of this.pending) p.readout.dispose();
    this.pending = [];
  }
}

/** Periodic eval loss, the best result so far (and its weights with `restoreBest`), early stopping. */
class Evaluation {
  readonly history: { step: number; evalLoss: number }[] = [];
  private bestWeights: Map<string, tf.Tensor> | null = null;

  constructor(
    private readonly model: CodeRewritingModel,
    private readonly samples: EncodedSample[],
    private readonly settings: RunSettings,
    private readonly early: TrainOptions['earlyStopping'],
    private readonly entries: [string, tf.Variable][],
  ) {}

  /** Every `evalEvery` steps and at the last step, when there are eval samples. */
  due(step: number, totalSteps: number): boolean {
    const every = this.settings.evalEvery;
    return this.samples.length > 0 && ((every > 0 && step % every === 0) || step === totalSteps);
  }

  /** Evaluates, updates the best-so-far fields of `state`; says whether this is the best and whether to stop. */
  async run(step: number, state: RunState): Promise<{ evalLoss: number; best: boolean; stopEarly: boolean }> {
    const evalLoss = await evaluateLoss(this.model, this.samples, this.settings.evalBatchSize, this.settings.lengthOf);
    this.history.push({ step, evalLoss });
    const minDelta = this.early?.minDelta ?? 0;
    if (state.bestEvalLoss === null || evalLoss < state.bestEvalLoss - minDelta) {
      state.bestEvalLoss = evalLoss;
      state.bestStep = step;
      state.evalsSinceBest = 0;
      if (this.early?.restoreBest) {
        this.bestWeights?.forEach((t) => t.dispose());
        this.bestWeights = new Map(this.entries.map(([k, v]) => [k, tf.clone(v)]));
      }
      return { evalLoss, best: true, stopEarly: false };
    }
    state.evalsSinceBest += 1;
    const stopEarly = this.early !== undefined && state.evalsSinceBest >= this.early.patience;
    return { evalLoss, best: false, stopEarly };
  }

  /** With `restoreBest`: puts the best weights back into the model. */
  restoreBest(): void {
    if (this.bestWeights) for (const [k, v] of this.entries) v.assign(this.bestWeights.get(k)!);
  }

  dispose(): void {
    this.bestWeights?.forEach((t) => t.dispose());
    this.bestWeights = null;
  }
}
