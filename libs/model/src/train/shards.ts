/**
 * Gradient shards: a micro-batch split into S contiguous parts whose gradients are computed
 * separately (in this thread or by replicas in worker threads, see replicas.ts) and combined with
 * token weights, so that the combined gradient is that of the whole micro-batch's token-mean loss
 * (up to float rounding). The arithmetic is the same wherever a shard runs, so a run's results
 * depend on S (a setting of the run), never on how many threads computed the shards.
 */
import * as tf from '@tensorflow/tfjs';
import type { EncodedSample, CodeRewritingModel } from '../contracts.js';
import { makeFloat32Tensors } from '@ecode/kernels';
import { addMany } from './optim-clip.js';
import { Rng, mixSeed } from '../rng.js';

/** Splits `batch` into at most `shards` contiguous non-empty parts, sizes differing by at most 1. */
export function splitShards<T>(batch: T[], shards: number): T[][] {
  if (!Number.isInteger(shards) || shards < 1)
    throw new Error(`splitShards: shards must be an integer >= 1, got ${shards}`);
  const parts = Math.min(shards, batch.length);
  const out: T[][] = [];
  let start = 0;
  for (let r = 0; r < parts; r++) {
    const size = Math.floor(batch.length / parts) + (r < batch.length % parts ? 1 : 0);
    out.push(batch.slice(start, start + size));
    start += size;
  }
  return out;
}

/** Dropout seed of shard `r` of a micro-batch whose seed is `microSeed`. */
export function shardDropoutSeed(microSeed: number, r: number): number {
  return mixSeed(microSeed, 0x73686172, r);
}

export interface ShardGradients {
  /** Token-mean loss of the shard (not yet weighted). */
  loss: tf.Scalar;
  tokens: number;
  /** Gradients by model variable key (absent: the variable got no gradient). */
  grads: Map<string, tf.Tensor>;
}

/**
 * The gradient of one shard's token-mean loss. Dropout is seeded from `dropoutSeed` alone (the
 * model's stream and, for unseeded dropout, Math.random), so any thread computes the same values.
 */
export function shardGradients(
  model: CodeRewritingModel,
  entries: [string, tf.Variable][],
  samples: EncodedSample[],
  dropoutSeed: number,
  seededDropout: boolean,
): ShardGradients {
  const keyOfVar = new Map(entries.map(([k, v]) => [v.name, k]));
  let tokens = 0;
  if (seededDropout) model.setDropoutSeed?.(dropoutSeed);
  const rng = new Rng(dropoutSeed);
  const f = () => {
    const r = model.loss(samples, true);
    tokens = r.tokens;
    return r.loss;
  };
  const { value, grads } = tf.variableGrads(
    () => (seededDropout ? rng.withMathRandom(f) : f()),
    entries.map(([, v]) => v),
  );
  const byKey = new Map<string, tf.Tensor>();
  for (const [vname, g] of Object.entries(grads)) byKey.set(keyOfVar.get(vname)!, g);
  return { loss: value, tokens, grads: byKey };
}

/** One shard's gradient of one variable: a tensor in this thread, or values from a replica. */
export type ShardValues = tf.Tensor | Float32Array | null;

/**
 * sum_r weights[r] * shard_r, element by element in double, rounded once to float32, and the sum
 * of squares of the result (for global-norm clipping without another pass). Shards without a
 * gradient (null) count as zero. Returns null when no shard has one. On a GPU backend (all shards
 * are tensors there: replicas need wasm or cpu) it adds with tf ops on the device instead and
 * reports no sum of squares (reading it back would stall the device).
 */
export function combineShards(
  shape: number[],
  shards: ShardValues[],
  weights: number[],
): { grad: tf.Tensor; sumSq: number | null } | null {
  const present = shards.map((s, r) => [s, weights[r]] as const).filter(([s]) => s !== null);
  if (present.length === 0) return null;
  const tensors = present.filter(([s]) => s instanceof tf.Tensor).map(([s]) => s as tf.Tensor);
  const backend = tf.getBackend();
  if (backend !== 'wasm' && backend !== 'cpu' && tensors.length === present.length) {
    const grad = tf.tidy(() => addMany(present.map(([s, w]) => tf.mul(s as tf.Tensor, w))));
    return { grad, sumSq: null };
  }
  let sumSq = 0;
  const [out] = makeFloat32Tensors([shape], tensors, ([o], ins) => {
    let t = 0;
    const srcs = present.map(([s]) => (s instanceof tf.Tensor ? ins[t++] : (s as Float32Array)));
    const ws = present.map(([, w]) => w);
    for (const s of srcs) {
      if (s.length !== o.length) throw new Error(`combineShards: a shard has ${s.length} values, expected ${o.length}`);
    }
    let ss = 0;
    if (srcs.length === 1) {
      const a = srcs[0];
      const wa = ws[0];
      for (let i = 0; i < o.length; i++) {
        o[i] = wa * a[i];
        ss += o[i] * o[i];
      }
    } else if (srcs.length === 2) {
      const [a, b] = srcs;
      const [wa, wb] = ws;
      for (let i = 0; i < o.length; i++) {
        o[i] = wa * a[i] + wb * b[i];
        ss += o[i] * o[i];
      }
    } else {
      for (let i = 0; i < o.length; i++) {
        let acc = 0;
        for (let r = 0; r < srcs.length; r++) acc += ws[r] * srcs[r][i];
        o[i] = acc;
        ss += o[i] * o[i];
      }
    }
    sumSq = ss;
  });
  return { grad: out, sumSq };
}
