/**
 * Training the time predictor: a byte-level BPE trained on the training code, then AdamW (with
 * global-norm clipping and a linear warm-up/decay schedule from @ecode/model) on
 *   MSE(standardised ln µs)  +  rankLossWeight * mean softplus(-(p_slow - p_fast))
 * where the ranking term runs over pairs of solutions of the same problem in the batch (batches
 * hold whole problems). The weights of the epoch with the lowest validation MAE(ln µs) are kept.
 */
import * as tf from '@tensorflow/tfjs';
import { Rng } from '@ecode/data';
import { AdamW, clipByGlobalNorm, makeSchedule } from '@ecode/model';
import { trainByteLevelBpe, type ByteLevelBpeTokenizer } from '@ecode/tokenizer';
import type { TimePredictorConfig, TimeView } from './config.js';
import { costScores, fitCostModel, type CostModel } from './cost-model.js';
import { timeMetrics, type Prediction, type TimeMetrics } from './metrics.js';
import { padRows, TimePredictorModel, type PredictorSpec } from './predictor-model.js';
import type { TimeRow } from './timedb-row.js';

export interface TrainItem {
  problemId: string;
  code: string;
  /** ln(µs). */
  logTime: number;
  /** The code's view: ranking pairs are formed within one problem and one view. */
  view?: TimeView;
}

const groupOf = (i: TrainItem) => `${i.problemId}\u0000${i.view ?? ''}`;

/** The mean and standard deviation of the training ln(µs), to standardise the target. */
export interface TargetNorm {
  mean: number;
  std: number;
}

/** A training-metrics sink (an MLflow run handle from @ecode/tracking fits). */
export interface MetricSink {
  logMetrics(metrics: { key: string; value: number; step?: number }[]): Promise<void>;
}

export interface TrainPredictorOptions {
  model: TimePredictorConfig['model'];
  /** `costModel` may be left out (no cost model). */
  training: Omit<TimePredictorConfig['training'], 'backend' | 'costModel'> & { costModel?: boolean };
  seed: number;
  log?: (line: string) => void;
  sink?: MetricSink;
}

export interface TrainedPredictor {
  model: TimePredictorModel;
  tokenizer: ByteLevelBpeTokenizer;
  norm: TargetNorm;
  spec: PredictorSpec;
  history: { epoch: number; trainLoss: number; valid?: TimeMetrics }[];
  bestEpoch: number;
  /** The cost model fitted on the training rows (`training.costModel`): its score is added to the encoder's output. */
  costModel?: CostModel;
  steps: number;
  seconds: number;
}

export function itemsOf(rows: TimeRow[], views: readonly TimeView[]): TrainItem[] {
  const out: TrainItem[] = [];
  for (const view of views)
    for (const r of rows)
      out.push({ problemId: r.problemId, code: r.views[view], logTime: Math.log(Math.max(r.timeUs, 1)), view });
  return out;
}

/** Batches of whole problems (a problem larger than `batchSize` is cut), groups in seeded order. */
export function planBatches(groups: number[][], batchSize: number, rng: Rng): number[][] {
  const batches: number[][] = [];
  let cur: number[] = [];
  const flush = () => {
    if (cur.length) batches.push(cur);
    cur = [];
  };
  for (const g of rng.shuffle(groups)) {
    if (cur.length + g.length > batchSize) flush();
    for (const i of g) {
      cur.push(i);
      if (cur.length === batchSize) flush();
    }
  }
  flush();
  return batches;
}

/** Pair weights for the ranking loss: w[i][j] = 1 when i and j share a group and i is slower. */
function pairMatrix(groups: string[], y: number[]): { w: Float32Array; count: number } {
  const n = y.length;
  const w = new Float32Array(n * n);
  let count = 0;
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++)
      if (groups[i] === groups[j] && y[i] > y[j]) {
        w[i * n + j] = 1;
        count++;
      }
  return { w, count };
}

export function encodeCodes(tokenizer: ByteLevelBpeTokenizer, codes: string[]): number[][] {
  return codes.map((c) => tokenizer.encode(c, { addSpecialTokens: false }));
}

/** Predicted ln(µs) for token rows, in the given order (rows are batched by length). */
export function predictLogFromTokens(
  model: TimePredictorModel,
  clsId: number,
  norm: TargetNorm,
  tokens: number[][],
  batchSize = 32,
  /** ln(µs) added to each row's prediction (the cost model's score), in the rows' order. */
  offsets?: number[],
): number[] {
  const order = tokens
    .map((t, i) => ({ n: Math.min(t.length, model.spec.maxTokens), i }))
    .sort((a, b) => a.n - b.n || a.i - b.i);
  const out = new Array<number>(tokens.length);
  for (let s = 0; s < order.length; s += batchSize) {
    const part = order.slice(s, s + batchSize);
    const { ids, valid } = padRows(
      part.map((p) => tokens[p.i]),
      clsId,
      model.spec.maxTokens,
    );
    const y = model.forward(ids, valid, false);
    const values = y.dataSync();
    y.dispose();
    part.forEach((p, k) => (out[p.i] = values[k] * norm.std + norm.mean + (offsets?.[p.i] ?? 0)));
  }
  return out;
}

export async function trainPredictor(
  train: TrainItem[],
  valid: TrainItem[],
  options: TrainPredictorOptions,
): Promise<TrainedPredictor> {
  const { model: m, training: t, seed } = options;
  const log = options.log ?? (() => undefined);
  if (train.length === 0)
    throw new Error('trainPredictor: no training rows (is the train split empty, or did every program fail?)');
  const started = performance.now();

  const tokenizer = trainByteLevelBpe([...new Set(train.map((i) => i.code))], { vocabSize: m.vocabSize });
  const spec: PredictorSpec = {
    vocabSize: tokenizer.vocabSize,
    hidden: m.hidden,
    layers: m.layers,
    heads: m.heads,
    intermediate: m.intermediate,
    maxTokens: m.maxTokens,
    dropout: m.dropout,
  };
  // The cost model: fitted on the training rows alone, its score is a fixed offset of the
  // encoder's prediction, so the encoder learns what the cost structure does not explain.
  const costModel = t.costModel
    ? fitCostModel(train.map((i) => ({ group: groupOf(i), code: i.code, logTime: i.logTime })))
    : undefined;
  if (costModel)
    log(
      `cost model: prices 10^[${costModel.logPrices.join(', ')}] for ${costModel.kinds.join('/')}, size ${costModel.sizes[costModel.size]}, scale ${costModel.scale.toFixed(3)}, training pairwise ${costModel.trainPairwiseAccuracy.toFixed(3)} (${costModel.pairs} pairs)`,
    );
  const trainOffsets = costModel
    ? costScores(
        costModel,
        train.map((i) => i.code),
      )
    : train.map(() => 0);
  const validOffsets = costModel
    ? costScores(
        costModel,
        valid.map((i) => i.code),
      )
    : undefined;
  const ys = train.map((i, k) => i.logTime - trainOffsets[k]);
  const mean = ys.reduce((a, b) => a + b, 0) / ys.length;
  const std = Math.sqrt(ys.reduce((a, b) => a + (b - mean) ** 2, 0) / ys.length) || 1;
  const norm: TargetNorm = { mean, std };
  const trainTokens = encodeCodes(
    tokenizer,
    train.map((i) => i.code),
  );
  const validTokens = encodeCodes(
    tokenizer,
    valid.map((i) => i.code),
  );
  const target = train.map((i) => (i.logTime - mean) / std); // the whole ln(µs), standardised like the residual
  const offsetStd = trainOffsets.map((o) => o / std);

  const model = new TimePredictorModel(spec, seed);
  const optimizer = new AdamW(model.variables, {
    weightDecay: t.weightDecay,
    noDecay: (n) => n.endsWith('.bias') || n.includes('LayerNorm'),
  });
  const keyOfVar = new Map([...model.variables].map(([k, v]) => [v.name, k]));
  const varList = [...model.variables.values()];

  const byGroup = new Map<string, number[]>();
  train.forEach((it, i) => {
    const key = groupOf(it);
    const g = byGroup.get(key);
    if (g) g.push(i);
    else byGroup.set(key, [i]);
  });
  const groups = [...byGroup.values()];
  const batchesPerEpoch = planBatches(groups, t.batchSize, new Rng(seed, 'count')).length;
  const totalSteps = batchesPerEpoch * t.epochs;
  const schedule = makeSchedule({
    kind: 'linear',
    lr: t.lr,
    warmupSteps: Math.round(totalSteps * t.warmupRatio),
    totalSteps,
  });

  const history: TrainedPredictor['history'] = [];
  let best: { epoch: number; maeLog: number; weights: Map<string, tf.Tensor> } | null = null;
  let step = 0;
  let lastPrint = 0;
  for (let epoch = 0; epoch < t.epochs; epoch++) {
    const batches = planBatches(groups, t.batchSize, new Rng(seed, 'epoch', epoch));
    let lossSum = 0;
    for (const batch of batches) {
      const { ids, valid: mask } = padRows(
        batch.map((i) => trainTokens[i]),
        tokenizer.startId,
        spec.maxTokens,
      );
      const y = batch.map((i) => target[i]);
      const off = batch.map((i) => offsetStd[i]);
      const pairs = pairMatrix(
        batch.map((i) => groupOf(train[i])),
        y,
      );
      const { value, grads } = tf.variableGrads(() => {
        const p = costModel ? tf.add(model.forward(ids, mask, true), tf.tensor1d(off)) : model.forward(ids, mask, true);
        const yT = tf.tensor1d(y);
        let loss = tf.mean(tf.square(tf.sub(p, yT))) as tf.Scalar;
        if (t.rankLossWeight > 0 && pairs.count > 0) {
          const n = batch.length;
          const diff = tf.sub(tf.reshape(p, [n, 1]), tf.reshape(p, [1, n])); // p_i - p_j
          const w = tf.tensor2d(pairs.w, [n, n]);
          const rank = tf.div(tf.sum(tf.mul(w, tf.softplus(tf.neg(diff)))), pairs.count);
          loss = tf.add(loss, tf.mul(rank, t.rankLossWeight)) as tf.Scalar;
        }
        return loss;
      }, varList);
      const named = new Map<string, tf.Tensor>();
      for (const [vname, g] of Object.entries(grads)) named.set(keyOfVar.get(vname)!, g);
      const clipped = clipByGlobalNorm(named, t.clipNorm);
      for (const g of named.values()) g.dispose();
      optimizer.apply(clipped.grads, schedule(step));
      for (const g of clipped.grads.values()) g.dispose();
      clipped.norm.dispose();
      const lossValue = (await value.data())[0];
      value.dispose();
      lossSum += lossValue;
      step++;
      if (options.sink && step % 10 === 0)
        await options.sink.logMetrics([{ key: 'train_loss', value: lossValue, step }]);
      const now = performance.now();
      if (now - lastPrint > 5000 || step === totalSteps) {
        lastPrint = now;
        const secs = (now - started) / 1000;
        log(
          `train: step ${step}/${totalSteps} epoch ${epoch + 1} loss ${lossValue.toFixed(4)} (${(step / secs).toFixed(2)} steps/s, ETA ${(((totalSteps - step) * secs) / step).toFixed(0)} s)`,
        );
      }
    }
    const entry: TrainedPredictor['history'][number] = { epoch: epoch + 1, trainLoss: lossSum / batches.length };
    if (valid.length > 0) {
      const pred = predictLogFromTokens(model, tokenizer.startId, norm, validTokens, 32, validOffsets);
      const preds: Prediction[] = valid.map((v, i) => ({
        problemId: v.problemId,
        trueLog: v.logTime,
        predLog: pred[i],
      }));
      entry.valid = timeMetrics(preds);
      log(
        `valid: epoch ${epoch + 1} MAE(ln) ${entry.valid.maeLog.toFixed(3)} pairwise ${entry.valid.pairwiseAccuracy.toFixed(3)} spearman ${entry.valid.spearman.toFixed(3)}`,
      );
      if (!best || entry.valid.maeLog < best.maeLog) {
        if (best) for (const w of best.weights.values()) w.dispose();
        best = {
          epoch: epoch + 1,
          maeLog: entry.valid.maeLog,
          weights: new Map([...model.variables].map(([k, v]) => [k, tf.clone(v)])),
        };
      }
    }
    history.push(entry);
    if (options.sink) {
      const ms = [{ key: 'epoch_train_loss', value: entry.trainLoss, step: epoch + 1 }];
      if (entry.valid) {
        ms.push({ key: 'valid_mae_log', value: entry.valid.maeLog, step: epoch + 1 });
        if (Number.isFinite(entry.valid.pairwiseAccuracy))
          ms.push({ key: 'valid_pairwise_accuracy', value: entry.valid.pairwiseAccuracy, step: epoch + 1 });
      }
      await options.sink.logMetrics(ms);
    }
  }
  let bestEpoch = t.epochs;
  if (best) {
    bestEpoch = best.epoch;
    for (const [k, w] of best.weights) {
      model.variables.get(k)!.assign(w);
      w.dispose();
    }
  }
  return {
    model,
    tokenizer,
    norm,
    spec,
    history,
    bestEpoch,
    ...(costModel ? { costModel } : {}),
    steps: step,
    seconds: (performance.now() - started) / 1000,
  };
}
