/**
 * The training loop: AdamW, gradient accumulation, global-norm clipping, learning-rate schedules,
 * length-bucketed batches, periodic eval loss, early stopping, checkpoints that resume to the
 * same final weights, a progress line and metric callbacks. Depends only on `Seq2SeqModel`.
 *
 * Data order: micro-batches form one stream across epochs (epoch e's batches come from
 * `planEpoch(samples, e, ...)`), and optimizer step s consumes micro-batches
 * [s * accumulation, (s + 1) * accumulation). The position of a run is therefore its step.
 */
import * as tf from '@tensorflow/tfjs';
import type { EncodedSample, Seq2SeqModel } from '../contracts.js';
import { AdamW, type AdamWOptions } from './optim-adamw.js';
import { addMany, globalNorm } from './optim-clip.js';
import { makeSchedule, type LearningRateSchedule } from './schedule.js';
import { defaultSampleLength, planEpoch, planEval } from './batching.js';
import { Rng, hashString, mixSeed } from '../rng.js';
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
import { ProgressLine, type ProgressStream } from './train-progress.js';
import { combineShards, shardDropoutSeed, shardGradients, splitShards, type ShardValues } from './shards.js';
import type { GradientReplicas } from './replicas.js';

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
  model: Seq2SeqModel,
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

/**
 * One micro-batch's gradient through `shards` shards: shard 0 here, the others by the replicas
 * (or here, one after another). Returns gradients already divided by the accumulation count.
 */
async function shardedMicroBatch(
  model: Seq2SeqModel,
  entries: [string, tf.Variable][],
  batch: EncodedSample[],
  microSeed: number,
  o: { shards: number; accumulation: number; seededDropout: boolean; replicas?: GradientReplicas },
): Promise<{ loss: tf.Scalar; tokens: number; grads: Map<string, tf.Tensor>; sumSq: number | null }> {
  const parts = splitShards(batch, o.shards);
  const seeds = parts.map((_, r) => shardDropoutSeed(microSeed, r));
  const remote = o.replicas
    ? o.replicas.computeShards(
        entries,
        parts.slice(1).map((samples, i) => ({ samples, dropoutSeed: seeds[i + 1] })),
        o.seededDropout,
      )
    : [];
  const local: ReturnType<typeof shardGradients>[] = [];
  try {
    local.push(shardGradients(model, entries, parts[0], seeds[0], o.seededDropout));
    if (!o.replicas) {
      for (let r = 1; r < parts.length; r++)
        local.push(shardGradients(model, entries, parts[r], seeds[r], o.seededDropout));
    }
  } catch (e) {
    // The replicas' replies (or failures) still arrive; nothing waits for them now.
    for (const p of remote) p.catch(() => undefined);
    for (const l of local) {
      l.loss.dispose();
      for (const g of l.grads.values()) g.dispose();
    }
    throw e;
  }
  try {
    const remoteResults = await Promise.all(remote);
    const losses = [
      ...(await Promise.all(local.map(async (l) => (await l.loss.data())[0]))),
      ...remoteResults.map((r) => r.loss),
    ];
    const tokens = [...local.map((l) => l.tokens), ...remoteResults.map((r) => r.tokens)];
    const total = tokens.reduce((a, b) => a + b, 0);
    if (total === 0) throw new Error('train: a micro-batch has no label tokens');
    const weights = tokens.map((t) => t / total / o.accumulation);
    const grads = new Map<string, tf.Tensor>();
    let sumSq: number | null = 0;
    for (const [key, v] of entries) {
      const values: ShardValues[] = [
        ...local.map((l) => l.grads.get(key) ?? null),
        ...remoteResults.map((r) => r.grads.get(key) ?? null),
      ];
      const g = combineShards(v.shape, values, weights);
      if (g) {
        grads.set(key, g.grad);
        sumSq = sumSq === null || g.sumSq === null ? null : sumSq + g.sumSq;
      }
    }
    const loss = losses.reduce((a, l, r) => a + l * weights[r], 0);
    return { loss: tf.scalar(loss), tokens: total, grads, sumSq };
  } catch (e) {
    for (const p of remote) p.catch(() => undefined);
    throw e;
  } finally {
    for (const l of local) {
      l.loss.dispose();
      for (const g of l.grads.values()) g.dispose();
    }
  }
}

function positiveInt(name: string, value: number | undefined, fallback: number, min = 1): number {
  const v = value ?? fallback;
  if (!Number.isInteger(v) || v < min) throw new Error(`train: ${name} must be an integer >= ${min}, got ${value}`);
  return v;
}

export async function train(
  model: Seq2SeqModel,
  trainSamples: EncodedSample[],
  evalSamples: EncodedSample[],
  options: TrainOptions,
): Promise<TrainResult> {
  if (trainSamples.length === 0) throw new Error('train: no training samples');
  const batchSize = positiveInt('batchSize', options.batchSize, 1);
  const epochs = positiveInt('epochs', options.epochs, 1);
  const accumulation = positiveInt('gradAccumulation', options.gradAccumulation, 1);
  const bucketWindow = positiveInt('bucketWindow', options.bucketWindow, 50);
  const evalEvery = positiveInt('evalEvery', options.evalEvery, 0, 0);
  const evalBatchSize = positiveInt('evalBatchSize', options.evalBatchSize, batchSize);
  const shards = positiveInt('shards', options.shards, 1);
  const replicas = options.replicas;
  if (replicas && replicas.count < shards - 1)
    throw new Error(`train: ${shards} shards need ${shards - 1} replicas, got ${replicas.count}`);
  const clipNorm = options.clipNorm ?? 1.0;
  const seededDropout = options.seededDropout ?? true;
  const lengthOf = options.lengthOf ?? defaultSampleLength;
  const planOptions = { batchSize, seed: options.seed, bucketWindow, lengthOf };

  const batchesPerEpoch = planEpoch(trainSamples, 0, planOptions).length;
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

  const entries = [...model.variables].filter(([, v]) => v.trainable);
  if (entries.length === 0) throw new Error('train: the model has no trainable variables');
  const varList = entries.map(([, v]) => v);
  const keyOfVar = new Map(entries.map(([k, v]) => [v.name, k]));
  const optimizer = new AdamW(new Map(entries), options.optimizer);
  const rng = new Rng(mixSeed(options.seed, 0x7261696e));
  const fingerprint = fingerprintOf(trainSamples, {
    seed: options.seed,
    batchSize,
    gradAccumulation: accumulation,
    bucketWindow,
    shards,
  });
  const shardReplicas = shards > 1 ? replicas : undefined;
  shardReplicas?.checkLayout(entries);
  // The caller may have changed the weights since the replicas last saw them.
  shardReplicas?.weightsChanged();

  const ck = options.checkpoint;
  const hooks = defaultWeightsHooks(model.variables);
  const saveWeights = ck?.saveWeights ?? hooks.save;
  const loadWeights = ck?.loadWeights ?? hooks.load;

  let step = 0;
  let tokensSeen = 0;
  let bestEvalLoss: number | null = null;
  let bestStep: number | null = null;
  let evalsSinceBest = 0;
  let lastCheckpoint: string | null = null;
  const evalHistory: { step: number; evalLoss: number }[] = [];
  let bestWeights: Map<string, tf.Tensor> | null = null;

  if (ck && ck.resume !== false) {
    const latest = await readLatestCheckpoint(ck.dir);
    if (latest) {
      const s = latest.state;
      if (s.fingerprint !== fingerprint) {
        throw new Error(
          `train: checkpoint ${latest.dir} was written with different settings or data (${s.fingerprint}); now ${fingerprint}. Use another checkpoint dir or resume: false.`,
        );
      }
      await loadWeights(latest.dir);
      await loadOptimizerState(latest.dir, optimizer);
      if (optimizer.step !== s.step)
        throw new Error(`train: ${latest.dir} has optimizer step ${optimizer.step} but state step ${s.step}`);
      step = s.step;
      rng.setState(s.rng);
      tokensSeen = s.tokensSeen;
      bestEvalLoss = s.bestEvalLoss;
      bestStep = s.bestStep;
      evalsSinceBest = s.evalsSinceBest;
      lastCheckpoint = latest.dir;
      const micro = step * accumulation;
      if (s.epoch !== Math.floor(micro / batchesPerEpoch) || s.batchInEpoch !== micro % batchesPerEpoch) {
        throw new Error(
          `train: ${latest.dir} records data position epoch ${s.epoch} batch ${s.batchInEpoch}, inconsistent with step ${step}`,
        );
      }
    }
  }
  const resumedFromStep = step;

  const progress =
    options.progress === false
      ? null
      : new ProgressLine(options.progress ?? process.stderr, options.progressIntervalMs);
  let planEpochIndex = -1;
  let plan: number[][] = [];
  const batchAt = (micro: number): EncodedSample[] => {
    const epoch = Math.floor(micro / batchesPerEpoch);
    if (epoch !== planEpochIndex) {
      plan = planEpoch(trainSamples, epoch, planOptions);
      planEpochIndex = epoch;
    }
    return plan[micro % batchesPerEpoch].map((i) => trainSamples[i]);
  };

  const stateNow = (): TrainingState => {
    const micro = step * accumulation;
    return {
      format: TRAIN_STATE_FORMAT,
      step,
      epoch: Math.floor(micro / batchesPerEpoch),
      batchInEpoch: micro % batchesPerEpoch,
      rng: rng.getState(),
      tokensSeen,
      bestEvalLoss,
      bestStep,
      evalsSinceBest,
      fingerprint,
    };
  };
  const checkpointNow = async () => {
    if (!ck) return;
    lastCheckpoint = await writeTrainingCheckpoint(ck.dir, stateNow(), optimizer, saveWeights);
    await pruneCheckpoints(ck.dir, ck.keep ?? 2);
  };

  const started = performance.now();
  let trainSeconds = 0;
  let tokensThisRun = 0;
  let lastLoss: number | null = null;
  let stopReason: StopReason = totalSteps < plannedSteps ? 'max-steps' : 'completed';

  try {
    while (step < totalSteps) {
      if (options.signal?.aborted) {
        stopReason = 'aborted';
        break;
      }
      const t0 = performance.now();
      const firstMicro = step * accumulation;
      const n = Math.min(accumulation, totalMicro - firstMicro);
      const lr = schedule(step);
      let acc: Map<string, tf.Tensor> | null = null;
      // Sum of squares of the step's gradient when the sharded path already computed it.
      let knownSumSq: number | null = null;
      const losses: tf.Scalar[] = [];
      let tokens = 0;
      for (let j = 0; j < n; j++) {
        const batch = batchAt(firstMicro + j);
        const dropoutSeed = rng.nextUint32();
        if (shards > 1) {
          const r = await shardedMicroBatch(model, entries, batch, dropoutSeed, {
            shards,
            accumulation: n,
            seededDropout,
            replicas: shardReplicas,
          });
          tokens += r.tokens;
          losses.push(r.loss);
          knownSumSq = n === 1 ? r.sumSq : null;
          if (acc === null) acc = r.grads;
          else {
            for (const [key, g] of r.grads) {
              const prev = acc.get(key);
              acc.set(key, prev ? tf.add(prev, g) : tf.clone(g));
              prev?.dispose();
              g.dispose();
            }
          }
          continue;
        }
        if (seededDropout) model.setDropoutSeed?.(dropoutSeed);
        const f = () => {
          const r = model.loss(batch, true);
          tokens += r.tokens;
          return n === 1 ? r.loss : (tf.div(r.loss, n) as tf.Scalar);
        };
        const { value, grads } = tf.variableGrads(() => (seededDropout ? rng.withMathRandom(f) : f()), varList);
        losses.push(value);
        if (acc === null) {
          acc = new Map();
          for (const [vname, g] of Object.entries(grads)) acc.set(keyOfVar.get(vname)!, g);
        } else {
          for (const [vname, g] of Object.entries(grads)) {
            const key = keyOfVar.get(vname)!;
            const prev = acc.get(key);
            acc.set(key, prev ? tf.add(prev, g) : tf.clone(g));
            prev?.dispose();
            g.dispose();
          }
        }
      }
      const clipping = clipNorm > 0 && Number.isFinite(clipNorm);
      let norm: tf.Scalar;
      let gradScale: number | tf.Scalar = 1;
      if (knownSumSq !== null) {
        // Sharded single micro-batch: the norm came with the combination; clip inside the update.
        const n2 = Math.sqrt(knownSumSq);
        if (clipping) gradScale = Math.min(1, clipNorm / (n2 + 1e-6));
        norm = tf.scalar(n2);
      } else {
        // The clip factor goes into AdamW's update (the same float32 product g * factor).
        const r = globalNorm(acc!.values(), clipNorm);
        norm = r.norm;
        if (clipping) gradScale = r.scale;
        else r.scale.dispose();
      }
      const update = acc!;
      optimizer.apply(update, lr, { gradScale });
      if (typeof gradScale !== 'number') gradScale.dispose();
      shardReplicas?.weightsChanged();
      for (const g of update.values()) g.dispose();
      const readout = tf.tidy(() => tf.stack([addMany(losses), norm]));
      const [lossValue, normValue] = await readout.data();
      readout.dispose();
      norm.dispose();
      for (const l of losses) l.dispose();

      step += 1;
      tokensSeen += tokens;
      tokensThisRun += tokens;
      lastLoss = lossValue;
      const dt = (performance.now() - t0) / 1000;
      trainSeconds += dt;
      const metrics: TrainMetrics = {
        step,
        epoch: Math.floor((step * accumulation - 1) / batchesPerEpoch),
        loss: lossValue,
        lr,
        gradNorm: normValue,
        tokensPerSecond: tokens / dt,
        tokens,
      };

      let stopEarly = false;
      const evalDue = evalSamples.length > 0 && ((evalEvery > 0 && step % evalEvery === 0) || step === totalSteps);
      if (evalDue) {
        const evalLoss = await evaluateLoss(model, evalSamples, evalBatchSize, lengthOf);
        metrics.evalLoss = evalLoss;
        evalHistory.push({ step, evalLoss });
        const minDelta = options.earlyStopping?.minDelta ?? 0;
        if (bestEvalLoss === null || evalLoss < bestEvalLoss - minDelta) {
          bestEvalLoss = evalLoss;
          bestStep = step;
          evalsSinceBest = 0;
          if (options.earlyStopping?.restoreBest) {
            bestWeights?.forEach((t) => t.dispose());
            bestWeights = new Map(entries.map(([k, v]) => [k, tf.clone(v)]));
          }
          if (ck) await writeDirAtomic(ck.dir, 'best', saveWeights);
        } else {
          evalsSinceBest += 1;
          if (options.earlyStopping && evalsSinceBest >= options.earlyStopping.patience) stopEarly = true;
        }
      }

      await options.onMetrics?.(metrics);
      const elapsed = (performance.now() - started) / 1000;
      progress?.update(
        {
          step,
          totalSteps,
          epoch: metrics.epoch,
          loss: lossValue,
          lr,
          tokensPerSecond: tokensThisRun / trainSeconds,
          etaSeconds: ((totalSteps - step) * elapsed) / (step - resumedFromStep),
          evalLoss: metrics.evalLoss,
        },
        evalDue,
      );

      if (options.signal?.aborted) {
        stopReason = 'aborted';
        break;
      }
      if (stopEarly || step === totalSteps || (ck && ck.every > 0 && step % ck.every === 0)) await checkpointNow();
      if (stopEarly) {
        stopReason = 'early-stopping';
        break;
      }
    }
    if (bestWeights && stopReason !== 'aborted') {
      for (const [k, v] of entries) v.assign(bestWeights.get(k)!);
    }
  } finally {
    progress?.finish();
    bestWeights?.forEach((t) => t.dispose());
    optimizer.dispose();
  }

  return {
    steps: step,
    totalSteps,
    stopReason,
    resumedFromStep,
    lastLoss,
    evalHistory,
    bestEvalLoss,
    bestStep,
    tokensSeen,
    seconds: (performance.now() - started) / 1000,
    tokensPerSecond: trainSeconds > 0 ? tokensThisRun / trainSeconds : 0,
    lastCheckpoint,
  };
}
