/**
 * The model's differentiable ops, backend-blind: each fused op is one `runKernel` of
 * `@ecode/kernels` (the backend's kernel where one is registered, else its composed reference),
 * with its gradient registered there by kernel name. Nothing here asks which backend or path runs.
 */
import * as tf from '@tensorflow/tfjs';
import { Kernels as K, runKernel } from '@ecode/kernels';

const one = (t: tf.Tensor | tf.Tensor[]) => t as tf.Tensor;

/** `a @ b` for 2-D tensors (gradients through the `EcodeMatMul` kernel). */
export function matMul2d(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor2D {
  return one(runKernel(K.MatMul, { a, b }, { transposeA: false, transposeB: false })) as tf.Tensor2D;
}

/** Batched `a @ b` for `[G,M,K] x [G,K,N]` (gradients through the `EcodeMatMul` kernel). */
export function bmm(a: tf.Tensor3D, b: tf.Tensor3D): tf.Tensor3D {
  return one(runKernel(K.MatMul, { a, b }, { transposeA: false, transposeB: false })) as tf.Tensor3D;
}

/** Sum over all but the last axis (bias gradients): `[..., D]` -> `[D]`. */
export function columnSum(x: tf.Tensor): tf.Tensor1D {
  return one(runKernel(K.ColumnSum, { x }, {})) as tf.Tensor1D;
}

/**
 * PyTorch `nn.Linear`: `y = x W^T + b` with `W` in the checkpoint layout `[out, in]`; `x` may have
 * any rank (the last axis is the feature axis).
 */
export function linear(x: tf.Tensor, w: tf.Tensor, b?: tf.Tensor, cacheKey?: string): tf.Tensor {
  const inDim = x.shape[x.shape.length - 1];
  if (w.shape[1] !== inDim) throw new Error(`linear: input has ${inDim} features but the weight is [${w.shape}]`);
  const x2 = x.rank === 2 ? (x as tf.Tensor2D) : (tf.reshape(x, [-1, inDim]) as tf.Tensor2D);
  const key = cacheKey ?? (w instanceof tf.Variable ? w.name : undefined);
  let y: tf.Tensor2D;
  if (activeCache && key !== undefined) {
    // Inference with frozen weights: reuse W^T across decoding steps.
    y = tf.matMul(x2, activeCache.get(key, () => tf.transpose(w)) as tf.Tensor2D);
    if (b) y = tf.add(y, b);
  } else y = one(runKernel(K.Linear, { x: x2, w, bias: b }, {})) as tf.Tensor2D;
  return x.rank === 2 ? y : tf.reshape(y, [...x.shape.slice(0, -1), w.shape[0]]);
}

/**
 * Transposed weights kept across calls while the weights are frozen (incremental decoding: each
 * step would otherwise re-transpose every weight, which costs more than the step's products).
 */
export class TransposeCache {
  private readonly m = new Map<string, tf.Tensor>();
  get(key: string, make: () => tf.Tensor): tf.Tensor {
    let t = this.m.get(key);
    if (!t) {
      t = tf.keep(make());
      this.m.set(key, t);
    }
    return t;
  }
  dispose(): void {
    for (const t of this.m.values()) t.dispose();
    this.m.clear();
  }
}

let activeCache: TransposeCache | null = null;

/** Runs `f` with `cache` serving `linear`'s transposed weights (no gradients inside). */
export function withTransposeCache<T>(cache: TransposeCache, f: () => T): T {
  const prev = activeCache;
  activeCache = cache;
  try {
    return f();
  } finally {
    activeCache = prev;
  }
}

/**
 * Layer normalisation over the last axis (PyTorch semantics: biased variance, eps inside sqrt),
 * with a hand-written gradient (about a third of the kernels of the composed one).
 */
export function layerNorm(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor, eps: number): tf.Tensor {
  const d = x.shape[x.rank - 1];
  const x2 = x.rank === 2 ? x : tf.reshape(x, [-1, d]);
  const y = one(runKernel(K.LayerNorm, { x: x2, gamma, beta }, { eps }));
  return x.rank === 2 ? y : tf.reshape(y, x.shape);
}

/** Exact GELU (erf form), BERT's `gelu`; gradient `Phi(x) + x phi(x)`. */
export function gelu(x: tf.Tensor): tf.Tensor {
  return one(runKernel(K.Gelu, { x }, {}));
}

/** GPT-2's `gelu_new` (tanh approximation), with its analytic gradient. */
export function geluNew(x: tf.Tensor): tf.Tensor {
  return one(runKernel(K.GeluNew, { x }, {}));
}

/**
 * Per-row negative log-likelihood of `targets` under `softmax(logits)` (`[N,V]` -> `[N]`), times
 * `mask` (rows with mask 0 may hold any target in range). The gradient is
 * `(softmax - onehot) * mask * dy` in one pass instead of the composed logSoftmax/gather ones.
 */
export function sparseCrossEntropy(logits: tf.Tensor2D, targets: Int32Array, mask: Float32Array): tf.Tensor1D {
  const t = tf.tensor1d(targets, 'int32');
  const m = tf.tensor1d(mask);
  const out = one(runKernel(K.SoftmaxCrossEntropy, { logits, targets: t, mask: m }, {})) as tf.Tensor1D;
  t.dispose();
  m.dispose();
  return out;
}

/**
 * `softmax(scores + mask)` over the last axis for attention (`scores` `[B,H,Tq,Tk]`, additive
 * `mask` broadcastable as `[B,1,Tq|1,Tk]`, or null), with the gradient `y (dy - sum(dy y))`
 * (none into the mask).
 */
export function maskedSoftmax(scores: tf.Tensor4D, mask: tf.Tensor | null): tf.Tensor4D {
  return one(runKernel(K.MaskedSoftmax, { scores, mask: mask ?? undefined }, {})) as tf.Tensor4D;
}

/** Embedding lookup `table[ids]` (gradient through UnsortedSegmentSum, registered for wasm). */
export function embedding(table: tf.Tensor, ids: tf.Tensor): tf.Tensor {
  return tf.gather(table, ids.dtype === 'int32' ? ids : tf.cast(ids, 'int32'));
}

/** Source of dropout seeds: deterministic for a given model seed. */
export class SeedSequence {
  private state: number;
  constructor(seed: number) {
    this.state = (seed >>> 0) ^ 0x9e3779b9;
  }
  /** Restarts the sequence as if constructed with `seed`. */
  reset(seed: number): void {
    this.state = (seed >>> 0) ^ 0x9e3779b9;
  }
  /** Next 31-bit seed (mulberry32). */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) % 2147483647;
  }
}

/** Inverted dropout when `rate > 0` and training; identity otherwise. */
export function dropout(x: tf.Tensor, rate: number, training: boolean, seeds: SeedSequence): tf.Tensor {
  if (!training || rate <= 0) return x;
  return one(runKernel(K.Dropout, { x }, { rate, seed: seeds.next() }));
}
