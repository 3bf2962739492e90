/**
 * A training step's gradients, sharded or not, behind one function: `stepGradients` runs the
 * step's micro-batches (each with its own dropout seed from the run's RNG) and sums their
 * gradients, already divided by the micro-batch count. With `shards > 1` every micro-batch is split
 * into contiguous parts combined with token weights (shards.ts), shards 1..S-1 on the replicas when
 * there are any; with one shard the micro-batch's gradient comes from one `tf.variableGrads`.
 */
import * as tf from '@tensorflow/tfjs';
import type { CodeRewritingModel, EncodedSample } from '../contracts.js';
import type { Rng } from '../rng.js';
import type { GradientReplicas } from './replicas.js';
import { combineShards, shardDropoutSeed, shardGradients, splitShards, type ShardValues } from './shards.js';

/** What computing gradients needs of the run; fixed for the whole run. */
export interface GradientSource {
  model: CodeRewritingModel;
  /** The trainable variables by checkpoint name. */
  entries: [string, tf.Variable][];
  /** Parts per micro-batch (1: not sharded). */
  shards: number;
  replicas?: GradientReplicas;
  seededDropout: boolean;
  /** The run's checkpointed RNG: one dropout seed per micro-batch (and `Math.random` while unsharded). */
  rng: Rng;
}

/** Summed gradients of one step by variable key, the micro-batch losses, and the label tokens. */
export interface StepGradients {
  grads: Map<string, tf.Tensor>;
  /** One scalar per micro-batch, each already divided by the micro-batch count. */
  losses: tf.Scalar[];
  tokens: number;
  /** Sum of squares of `grads` when the sharded combination computed it (one micro-batch), else null. */
  sumSq: number | null;
}

interface MicroBatchGradients {
  loss: tf.Scalar;
  tokens: number;
  grads: Map<string, tf.Tensor>;
  sumSq: number | null;
}

/**
 * The gradients of one optimizer step over `batches` (its micro-batches, in order). When `stop`
 * says so before a micro-batch after the first, the partial step is discarded (its gradients
 * disposed, the RNG put back to the step's start, so a resume redoes the step in full) and the
 * result is null.
 */
export async function stepGradients(
  src: GradientSource,
  batches: EncodedSample[][],
  stop?: () => boolean,
): Promise<StepGradients | null> {
  const n = batches.length;
  let grads: Map<string, tf.Tensor> | null = null;
  const losses: tf.Scalar[] = [];
  let tokens = 0;
  let sumSq: number | null = null;
  const rngAtStep = src.rng.getState();
  for (const [j, batch] of batches.entries()) {
    if (j > 0 && stop?.()) {
      for (const g of grads?.values() ?? []) g.dispose();
      for (const l of losses) l.dispose();
      src.rng.setState(rngAtStep);
      return null;
    }
    const dropoutSeed = src.rng.nextUint32();
    const r = await microBatchGradients(src, batch, dropoutSeed, n);
    tokens += r.tokens;
    losses.push(r.loss);
    sumSq = n === 1 ? r.sumSq : null;
    grads = grads === null ? r.grads : addInto(grads, r.grads);
  }
  if (grads === null) throw new Error('train: a step with no micro-batches');
  return { grads, losses, tokens, sumSq };
}

/** `acc += grads` by key (a key only in `grads` is copied); `grads` is disposed. */
function addInto(acc: Map<string, tf.Tensor>, grads: Map<string, tf.Tensor>): Map<string, tf.Tensor> {
  for (const [key, g] of grads) {
    const prev = acc.get(key);
    acc.set(key, prev ? tf.add(prev, g) : tf.clone(g));
    prev?.dispose();
    g.dispose();
  }
  return acc;
}

/** One micro-batch's gradient divided by `accumulation`, through the shards when there are several. */
function microBatchGradients(
  src: GradientSource,
  batch: EncodedSample[],
  dropoutSeed: number,
  accumulation: number,
): Promise<MicroBatchGradients> | MicroBatchGradients {
  if (src.shards > 1) return shardedMicroBatch(src, batch, dropoutSeed, accumulation);
  const { model, rng, seededDropout } = src;
  if (seededDropout) model.setDropoutSeed?.(dropoutSeed);
  let tokens = 0;
  const f = () => {
    const r = model.loss(batch, true);
    tokens += r.tokens;
    return accumulation === 1 ? r.loss : (tf.div(r.loss, accumulation) as tf.Scalar);
  };
  const { value, grads } = tf.variableGrads(
    () => (seededDropout ? rng.withMathRandom(f) : f()),
    src.entries.map(([, v]) => v),
  );
  const keyOfVar = new Map(src.entries.map(([k, v]) => [v.name, k]));
  const byKey = new Map<string, tf.Tensor>();
  for (const [vname, g] of Object.entries(grads)) byKey.set(keyOfVar.get(vname)!, g);
  return { loss: value, tokens, grads: byKey, sumSq: null };
}

/**
 * One micro-batch's gradient through `shards` shards: shard 0 here, the others by the replicas
 * (or here, one after another).
 */
async function shardedMicroBatch(
  src: GradientSource,
  batch: EncodedSample[],
  microSeed: number,
  accumulation: number,
): Promise<MicroBatchGradients> {
  const { model, entries, seededDropout, replicas } = src;
  const parts = splitShards(batch, src.shards);
  const seeds = parts.map((_, r) => shardDropoutSeed(microSeed, r));
  const remote = replicas
    ? replicas.computeShards(
        entries,
        parts.slice(1).map((samples, i) => ({ samples, dropoutSeed: seeds[i + 1] })),
        seededDropout,
      )
    : [];
  const local: ReturnType<typeof shardGradients>[] = [];
  try {
    local.push(shardGradients(model, entries, parts[0], seeds[0], seededDropout));
    if (!replicas) {
      for (let r = 1; r < parts.length; r++)
        local.push(shardGradients(model, entries, parts[r], seeds[r], seededDropout));
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
    const weights = tokens.map((t) => t / total / accumulation);
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
