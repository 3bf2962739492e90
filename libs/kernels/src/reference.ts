/**
 * The composed reference implementation of every kernel: tf ops only, so any backend runs them
 * (cpu, webgpu, and wasm for kernels its lists lack). `runKernel` uses them where the current
 * backend has no kernel; the backend kernels are tested against them.
 */
import * as tf from '@tensorflow/tfjs';
import * as K from './names.js';
import { mergeHeads, mergeHeadsT, splitHeads, splitHeadsT } from './heads.js';
import { registerReference, runKernel, runKernelOutputs } from './run.js';

const GELU_NEW_C = Math.sqrt(2 / Math.PI);
const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

/**
 * Sum of many same-shape tensors. `tf.addN` over hundreds of inputs fails on webgpu (one shader
 * may bind at most 8 storage buffers, and tfjs 4.22 does not split AddN), so add in groups of 7.
 */
export function addMany(xs: tf.Tensor[]): tf.Tensor {
  let level = xs;
  while (level.length > 1) {
    const next: tf.Tensor[] = [];
    for (let i = 0; i < level.length; i += 7) {
      const group = level.slice(i, i + 7);
      next.push(group.length === 1 ? group[0] : tf.addN(group));
    }
    level = next;
  }
  return level[0];
}

/** Swaps the last two axes (rank 2 or 3). */
const swapLast = (t: tf.Tensor) => (t.rank === 3 ? tf.transpose(t, [0, 2, 1]) : tf.transpose(t));

/**
 * `a @ b` without transposes, rank 2 or 3 (`[G,M,K] x [G,K,N]`): a rank-3 product with one batch
 * entry runs as a 2-D one, others through the `EcodeBatchMatMul` kernel (or `tf.matMul`).
 */
export function plainProduct(a: tf.Tensor, b: tf.Tensor): tf.Tensor {
  if (a.rank === 2) return tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D);
  if (a.shape[0] === 1) {
    const [, m, k] = a.shape as [number, number, number];
    const n = b.shape[2] as number;
    return tf.reshape(tf.matMul(tf.reshape(a, [m, k]) as tf.Tensor2D, tf.reshape(b, [k, n]) as tf.Tensor2D), [1, m, n]);
  }
  return runKernel(K.BatchMatMul, { a, b }, {}) as tf.Tensor;
}

/**
 * A kept scalar per attribute name, made again only when its value (or the backend) changes: the
 * AdamW reference runs once per variable with the same constants, and uploading each of them per
 * variable would add hundreds of tiny tensors per step.
 */
const constants = new Map<string, { value: number; backend: string; t: tf.Scalar }>();
function constant(name: string, value: number): tf.Scalar {
  const hit = constants.get(name);
  const backend = tf.getBackend();
  if (hit && hit.value === value && hit.backend === backend && !hit.t.isDisposed) return hit.t;
  if (hit && !hit.t.isDisposed) hit.t.dispose();
  const t = tf.keep(tf.scalar(value));
  constants.set(name, { value, backend, t });
  return t;
}

const references: [string, (i: tf.NamedTensorMap, a: tf.NamedAttrMap) => tf.Tensor | tf.Tensor[]][] = [
  [
    K.GeluNew,
    ({ x }) => {
      const t = tf.tanh(tf.mul(tf.mul(x, tf.add(tf.mul(tf.square(x), 0.044715), 1)), GELU_NEW_C));
      return [tf.mul(tf.mul(x, 0.5), tf.add(t, 1)), t];
    },
  ],
  [
    K.GeluNewGrad,
    ({ x, t, dy }) => {
      // d/dx = 0.5 (1 + t) + 0.5 x (1 - t^2) c (1 + 3 * 0.044715 x^2)
      const left = tf.mul(tf.add(t, 1), 0.5);
      const inner = tf.mul(tf.add(tf.mul(tf.square(x), 3 * 0.044715 * GELU_NEW_C), GELU_NEW_C), tf.mul(x, 0.5));
      const right = tf.mul(tf.sub(1, tf.square(t)), inner);
      return tf.mul(dy, tf.add(left, right));
    },
  ],
  [
    K.Gelu,
    ({ x }) => {
      const phi = tf.mul(tf.add(1, tf.erf(tf.mul(x, Math.SQRT1_2))), 0.5);
      return [tf.mul(x, phi), phi];
    },
  ],
  [
    K.GeluGrad,
    ({ x, phi, dy }) => {
      const density = tf.mul(tf.exp(tf.mul(tf.square(x), -0.5)), INV_SQRT_2PI);
      return tf.mul(dy, tf.add(phi, tf.mul(x, density)));
    },
  ],
  [
    K.LayerNorm,
    ({ x, gamma, beta }, { eps }) => {
      const mean = tf.mean(x, -1, true);
      const xc = tf.sub(x, mean);
      const rstd = tf.rsqrt(tf.add(tf.mean(tf.square(xc), -1, true), eps as number));
      const xhat = tf.mul(xc, rstd);
      return [tf.add(tf.mul(xhat, gamma), beta), xhat, tf.reshape(rstd, [-1])];
    },
  ],
  [
    K.LayerNormGrad,
    ({ xhat, rstd, gamma, dy }) => {
      const dxhat = tf.mul(dy, gamma);
      const inner = tf.sub(
        tf.sub(dxhat, tf.mean(dxhat, -1, true)),
        tf.mul(xhat, tf.mean(tf.mul(dxhat, xhat), -1, true)),
      );
      return [
        tf.mul(inner, tf.reshape(rstd, [-1, 1])),
        runKernel(K.ColumnSum, { x: tf.mul(dy, xhat) }, {}) as tf.Tensor,
        runKernel(K.ColumnSum, { x: dy }, {}) as tf.Tensor,
      ];
    },
  ],
  [K.ColumnSum, ({ x }) => tf.sum(tf.reshape(x, [-1, x.shape[x.rank - 1]]), 0)],
  [K.MaskedSoftmax, ({ scores, mask }) => tf.softmax(mask ? tf.add(scores, mask) : scores, -1)],
  [K.SoftmaxGrad, ({ y, dy }) => tf.mul(y, tf.sub(dy, tf.sum(tf.mul(dy, y), -1, true)))],
  [
    K.SoftmaxCrossEntropy,
    ({ logits, targets, mask }) => {
      const [n, v] = logits.shape;
      const logp = tf.logSoftmax(logits);
      const flat = tf.add(tf.mul(tf.range(0, n, 1, 'int32'), tf.scalar(v, 'int32')), targets);
      return [tf.mul(tf.neg(tf.gather(tf.reshape(logp, [n * v]), flat)), mask), tf.exp(logp)];
    },
  ],
  [
    K.SoftmaxCrossEntropyGrad,
    ({ probs, targets, mask, dy }) => {
      const [n, v] = probs.shape;
      const onehot = tf.cast(tf.oneHot(targets as tf.Tensor1D, v), 'float32');
      return tf.mul(tf.sub(probs, onehot), tf.reshape(tf.mul(dy, mask), [n, 1]));
    },
  ],
  [
    K.Dropout,
    ({ x }, { rate, seed }) => {
      // tf.dropout's own math (its seeded uniform stream), keeping the multiplier for the gradient.
      const keep = 1 - (rate as number);
      const s = tf.div(tf.floor(tf.add(tf.randomUniform(x.shape, 0, 1, 'float32', seed as number), keep)), keep);
      return [tf.mul(x, s), s];
    },
  ],
  [K.BatchMatMul, ({ a, b }) => tf.matMul(a, b)],
  [
    K.MatMul,
    ({ a, b }, { transposeA, transposeB }) => {
      // Explicit transposes, of whichever operands are smaller: A^T B as (A^T) B or (B^T A)^T;
      // A B^T as A (B^T) or (B A^T)^T.
      const r = a.rank;
      if (transposeA && transposeB) return plainProduct(swapLast(a), swapLast(b));
      if (transposeA) {
        const [p, q, n] = [a.shape[r - 2], a.shape[r - 1], b.shape[r - 1]];
        return p * q <= p * n + q * n ? plainProduct(swapLast(a), b) : swapLast(plainProduct(swapLast(b), a));
      }
      if (transposeB) {
        const [m, p, q] = [a.shape[r - 2], a.shape[r - 1], b.shape[r - 2]];
        return q * p <= m * p + m * q ? plainProduct(a, swapLast(b)) : swapLast(plainProduct(b, swapLast(a)));
      }
      return plainProduct(a, b);
    },
  ],
  [
    K.Linear,
    ({ x, w, bias }) => {
      const y = tf.matMul(x as tf.Tensor2D, tf.transpose(w) as tf.Tensor2D);
      return bias ? tf.add(y, bias) : y;
    },
  ],
  [
    K.AdamW,
    ({ param, expAvg, expAvgSq, grad, gradScale }, c) =>
      tf.tidy(() => {
        const s = (v: unknown, name: string) => constant(name, v as number);
        const g = gradScale ? tf.mul(grad, gradScale) : grad;
        const p = c.decay !== 1 ? tf.mul(param, s(c.decay, 'decay')) : param;
        const m = tf.add(tf.mul(expAvg, s(c.b1, 'b1')), tf.mul(g, s(c.oneMinusB1, 'oneMinusB1')));
        const v = tf.add(tf.mul(expAvgSq, s(c.b2, 'b2')), tf.mul(tf.square(g), s(c.oneMinusB2, 'oneMinusB2')));
        const denom = tf.add(tf.div(tf.sqrt(v), s(c.bc2, 'bc2')), s(c.eps, 'eps'));
        return [tf.add(p, tf.mul(tf.div(m, denom), s(c.negStep, 'negStep'))), m, v];
      }),
  ],
  [
    K.GlobalNorm,
    (grads, { maxNorm }) => {
      const squares = Object.values(grads).map((g) => tf.sum(tf.square(g)));
      const norm = squares.length === 0 ? tf.scalar(0) : tf.sqrt(addMany(squares));
      const scale = tf.minimum(tf.div(tf.scalar(maxNorm as number), tf.add(norm, tf.scalar(1e-6))), tf.scalar(1));
      return [norm, scale];
    },
  ],
];

/** `op(a) op(b)` through the `EcodeMatMul` kernel (what the model's `bmm` and its gradient run). */
const product = (a: tf.Tensor, b: tf.Tensor, transposeA = false, transposeB = false) =>
  runKernel(K.MatMul, { a, b }, { transposeA, transposeB }) as tf.Tensor;

/** The head-split operands of the attention: q scaled, keys transposed per head. */
function headOperands(q: tf.Tensor, k: tf.Tensor, v: tf.Tensor, heads: number, scale: number) {
  return {
    qh: splitHeads(scale !== 1 ? tf.mul(q, scale) : q, heads),
    kT: splitHeadsT(k, heads),
    vh: splitHeads(v, heads),
  };
}

/**
 * The attention as the model composed it before it was a kernel (the same kernels on the same
 * operands, so wasm and cpu give the same bits): split heads, `qh kT`, masked softmax, dropout,
 * `p vh`, merge heads.
 */
function attention({ q, k, v, bias }: tf.NamedTensorMap, attrs: tf.NamedAttrMap): tf.Tensor[] {
  const { heads, scale, rate, seed } = attrs as unknown as K.AttentionAttrs;
  const [b, tq] = q.shape as [number, number];
  const tk = k.shape[1] as number;
  const { qh, kT, vh } = headOperands(q, k, v, heads, scale);
  const scores = tf.reshape(product(qh, kT), [b, heads, tq, tk]);
  const y = runKernel(K.MaskedSoftmax, { scores, mask: bias }, {}) as tf.Tensor;
  const [dropped, s] = rate > 0 ? runKernelOutputs(K.Dropout, { x: y }, { rate, seed }) : [y];
  const p = tf.reshape(dropped, [b * heads, tq, tk]);
  const out = mergeHeads(product(p, vh), b, heads);
  return s ? [out, y, qh, kT, vh, p, s] : [out, y, qh, kT, vh, p];
}

/**
 * The gradient of `attention`, the kernels tfjs's tape ran on the composed ops (the products'
 * and the softmax's registered gradients, in the same order): the same bits on wasm and cpu.
 */
function attentionGrad(inputs: tf.NamedTensorMap, attrs: tf.NamedAttrMap): tf.Tensor[] {
  const { q, k, v, y, dy } = inputs;
  const { heads, scale, rate, seed } = attrs as unknown as K.AttentionAttrs;
  const [b, tq] = q.shape as [number, number];
  const tk = k.shape[1] as number;
  const { qh, kT, vh } = inputs.qh
    ? (inputs as { qh: tf.Tensor; kT: tf.Tensor; vh: tf.Tensor })
    : headOperands(q, k, v, heads, scale);
  let { p, s } = inputs;
  if (!p) {
    let dropped: tf.Tensor;
    [dropped, s] = rate > 0 ? runKernelOutputs(K.Dropout, { x: y }, { rate, seed }) : [y];
    p = tf.reshape(dropped, [b * heads, tq, tk]);
  }
  const dctx = splitHeads(dy, heads);
  const dp = product(dctx, vh, false, true);
  const dvh = product(p, dctx, true, false);
  const dprobs = tf.reshape(dp, [b, heads, tq, tk]);
  const dscores = runKernel(K.SoftmaxGrad, { y, dy: s ? tf.mul(dprobs, s) : dprobs }, {}) as tf.Tensor;
  const draw = tf.reshape(dscores, [b * heads, tq, tk]);
  const dqh = product(draw, kT, false, true);
  const dkT = product(qh, draw, true, false);
  const dq = mergeHeads(dqh, b, heads);
  return [scale !== 1 ? tf.mul(dq, scale) : dq, mergeHeadsT(dkT, b, heads), mergeHeads(dvh, b, heads)];
}

/**
 * Attention over a head-split KV cache, as the model's decoding path composed it: with one query
 * the scores are `k q^T` (the growing keys are never transposed), else `q kT`.
 */
function cachedAttention({ q, k, v, kT, bias }: tf.NamedTensorMap, attrs: tf.NamedAttrMap): tf.Tensor {
  const { heads, scale } = attrs as unknown as K.CachedAttentionAttrs;
  const [b, tq] = q.shape as [number, number];
  const qh = splitHeads(scale !== 1 ? tf.mul(q, scale) : q, heads);
  const [bh, , dh] = qh.shape;
  const tk = k.shape[1] as number;
  const raw = tq === 1 ? product(k, tf.reshape(qh, [bh, dh, 1])) : product(qh, kT ?? tf.transpose(k, [0, 2, 1]));
  const y = runKernel(K.MaskedSoftmax, { scores: tf.reshape(raw, [b, heads, tq, tk]), mask: bias }, {}) as tf.Tensor;
  return mergeHeads(product(tf.reshape(y, [bh, tq, tk]), v), b, heads);
}

references.push([K.Attention, attention], [K.AttentionGrad, attentionGrad], [K.CachedAttention, cachedAttention]);
for (const [name, f] of references) registerReference(name, f);
