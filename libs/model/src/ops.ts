/**
 * Fast differentiable ops. On tfjs-wasm a matmul with transpose flags (as the stock matMul
 * gradient uses) or a batch dimension is 4-12x slower than a plain 2-D one, so every product here
 * is a 2-D untransposed matMul (or the wasm view kernel for rank 3) and the gradients transpose
 * explicitly.
 */
import * as tf from '@tensorflow/tfjs';
import { ECODE_BATCH_MATMUL } from './wasm-kernels.js';

type GradFn = Parameters<typeof tf.customGrad>[0];
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const custom = (f: (...args: any[]) => { value: tf.Tensor; gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.Tensor[] }) => tf.customGrad(f as unknown as GradFn);

function onWasm(): boolean {
  return tf.getBackend() === 'wasm' && tf.getKernel(ECODE_BATCH_MATMUL, 'wasm') !== undefined;
}

/** `a @ b` for 2-D tensors, with a gradient made of untransposed 2-D products. */
export const matMul2d = custom((a: tf.Tensor, b: tf.Tensor, save: tf.GradSaveFunc) => {
  save([a, b]);
  return {
    value: tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [sa, sb] = saved;
      return [tf.matMul(dy as tf.Tensor2D, tf.transpose(sb)), tf.matMul(tf.transpose(sa), dy as tf.Tensor2D)];
    },
  };
}) as (a: tf.Tensor2D, b: tf.Tensor2D) => tf.Tensor2D;

/** Forward of a rank-3 batched product without transposes. */
function bmmForward(a: tf.Tensor3D, b: tf.Tensor3D): tf.Tensor3D {
  if (a.shape[0] === 1) {
    return tf.reshape(tf.matMul(tf.reshape(a, a.shape.slice(1) as [number, number]), tf.reshape(b, b.shape.slice(1) as [number, number])), [1, a.shape[1], b.shape[2]]);
  }
  if (onWasm()) return tf.engine().runKernel(ECODE_BATCH_MATMUL, { a, b }, {}) as tf.Tensor3D;
  return tf.matMul(a, b);
}

const swapLast = (t: tf.Tensor): tf.Tensor3D => tf.transpose(t as tf.Tensor3D, [0, 2, 1]);

/** Batched `a @ b` for `[G,M,K] x [G,K,N]`; gradient with explicit transposes. */
export const bmm = custom((a: tf.Tensor, b: tf.Tensor, save: tf.GradSaveFunc) => {
  save([a, b]);
  return {
    value: bmmForward(a as tf.Tensor3D, b as tf.Tensor3D),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [sa, sb] = saved;
      return [bmmForward(dy as tf.Tensor3D, swapLast(sb)), bmmForward(swapLast(sa), dy as tf.Tensor3D)];
    },
  };
}) as (a: tf.Tensor3D, b: tf.Tensor3D) => tf.Tensor3D;

/** Non-differentiable batched product (generation, inference). */
export function bmmNoGrad(a: tf.Tensor3D, b: tf.Tensor3D): tf.Tensor3D {
  return bmmForward(a, b);
}

const linearNoBias = custom((x: tf.Tensor, w: tf.Tensor, save: tf.GradSaveFunc) => {
  save([x, w]);
  return {
    value: tf.matMul(x as tf.Tensor2D, tf.transpose(w as tf.Tensor2D)),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [sx, sw] = saved;
      return [tf.matMul(dy as tf.Tensor2D, sw as tf.Tensor2D), tf.matMul(tf.transpose(dy as tf.Tensor2D), sx as tf.Tensor2D)];
    },
  };
}) as (x: tf.Tensor2D, w: tf.Tensor2D) => tf.Tensor2D;

const linearBias = custom((x: tf.Tensor, w: tf.Tensor, b: tf.Tensor, save: tf.GradSaveFunc) => {
  save([x, w]);
  return {
    value: tf.add(tf.matMul(x as tf.Tensor2D, tf.transpose(w as tf.Tensor2D)), b),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [sx, sw] = saved;
      return [tf.matMul(dy as tf.Tensor2D, sw as tf.Tensor2D), tf.matMul(tf.transpose(dy as tf.Tensor2D), sx as tf.Tensor2D), tf.sum(dy, 0)];
    },
  };
}) as (x: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor1D) => tf.Tensor2D;

/**
 * PyTorch `nn.Linear`: `y = x W^T + b` with `W` in the checkpoint layout `[out, in]`; `x` may have
 * any rank (the last axis is the feature axis).
 */
export function linear(x: tf.Tensor, w: tf.Tensor, b?: tf.Tensor): tf.Tensor {
  const inDim = x.shape[x.shape.length - 1];
  if (w.shape[1] !== inDim) throw new Error(`linear: input has ${inDim} features but the weight is [${w.shape}]`);
  const x2 = x.rank === 2 ? (x as tf.Tensor2D) : tf.reshape(x, [-1, inDim]) as tf.Tensor2D;
  const y = b ? linearBias(x2, w as tf.Tensor2D, b as tf.Tensor1D) : linearNoBias(x2, w as tf.Tensor2D);
  return x.rank === 2 ? y : tf.reshape(y, [...x.shape.slice(0, -1), w.shape[0]]);
}

/** Layer normalisation over the last axis (PyTorch semantics: biased variance, eps inside sqrt). */
export function layerNorm(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor, eps: number): tf.Tensor {
  return tf.tidy(() => {
    const mean = tf.mean(x, -1, true);
    const xc = tf.sub(x, mean);
    const variance = tf.mean(tf.square(xc), -1, true);
    return tf.add(tf.mul(tf.mul(xc, tf.rsqrt(tf.add(variance, eps))), gamma), beta);
  });
}

/** Exact GELU (erf form), BERT's `gelu`. */
export function gelu(x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.mul(tf.mul(x, 0.5), tf.add(1, tf.erf(tf.mul(x, Math.SQRT1_2)))));
}

const GELU_NEW_C = Math.sqrt(2 / Math.PI);
/** GPT-2's `gelu_new` (tanh approximation). */
export function geluNew(x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const inner = tf.mul(tf.add(x, tf.mul(tf.pow(x, 3), 0.044715)), GELU_NEW_C);
    return tf.mul(tf.mul(x, 0.5), tf.add(1, tf.tanh(inner)));
  });
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
  return tf.dropout(x, rate, undefined, seeds.next());
}
