/**
 * Gradients of the kernels, registered once by kernel name in tfjs's gradient registry (inputs
 * and outputs to save, as tfjs's own `*_grad.ts`). They run the gradient kernels through
 * `runKernel`, so each backend's kernel (or the composed reference) computes them.
 */
import * as tf from '@tensorflow/tfjs';
import * as K from './names.js';
import { runKernel } from './run.js';

const one = (dy: tf.Tensor | tf.Tensor[]) => (Array.isArray(dy) ? dy[0] : dy);
const t = (x: tf.Tensor | tf.Tensor[]) => x as tf.Tensor;

const gradients: tf.GradConfig[] = [
  {
    kernelName: K.GeluNew,
    inputsToSave: ['x'],
    outputsToSave: [false, true],
    gradFunc: (dy, [x, th]) => ({ x: () => t(runKernel(K.GeluNewGrad, { x, t: th, dy: one(dy) }, {})) }),
  },
  {
    kernelName: K.Gelu,
    inputsToSave: ['x'],
    outputsToSave: [false, true],
    gradFunc: (dy, [x, phi]) => ({ x: () => t(runKernel(K.GeluGrad, { x, phi, dy: one(dy) }, {})) }),
  },
  {
    kernelName: K.LayerNorm,
    inputsToSave: ['gamma'],
    outputsToSave: [false, true, true],
    gradFunc: (dy, [gamma, xhat, rstd]) => {
      const [dx, dgamma, dbeta] = runKernel(K.LayerNormGrad, { xhat, rstd, gamma, dy: one(dy) }, {}) as tf.Tensor[];
      return { x: () => dx, gamma: () => dgamma, beta: () => dbeta };
    },
  },
  {
    kernelName: K.MaskedSoftmax,
    outputsToSave: [true],
    gradFunc: (dy, [y]) => ({ scores: () => t(runKernel(K.SoftmaxGrad, { y, dy: one(dy) }, {})) }),
  },
  {
    kernelName: K.SoftmaxCrossEntropy,
    inputsToSave: ['targets', 'mask'],
    outputsToSave: [false, true],
    gradFunc: (dy, [targets, mask, probs]) => ({
      logits: () => t(runKernel(K.SoftmaxCrossEntropyGrad, { probs, targets, mask, dy: one(dy) }, {})),
    }),
  },
  {
    kernelName: K.Dropout,
    outputsToSave: [false, true],
    gradFunc: (dy, [s]) => ({ x: () => tf.mul(one(dy), s) }),
  },
  {
    kernelName: K.MatMul,
    inputsToSave: ['a', 'b'],
    gradFunc: (dy, [a, b], attrs) => {
      if (attrs.transposeA || attrs.transposeB)
        throw new Error(`${K.MatMul}: gradients are defined for untransposed products only`);
      return {
        a: () => t(runKernel(K.MatMul, { a: one(dy), b }, { transposeA: false, transposeB: true })),
        b: () => t(runKernel(K.MatMul, { a, b: one(dy) }, { transposeA: true, transposeB: false })),
      };
    },
  },
  {
    kernelName: K.Linear,
    inputsToSave: ['x', 'w'],
    gradFunc: (dy, [x, w]) => ({
      x: () => tf.matMul(one(dy) as tf.Tensor2D, w as tf.Tensor2D),
      w: () => t(runKernel(K.MatMul, { a: one(dy), b: x }, { transposeA: true, transposeB: false })),
      bias: () => t(runKernel(K.ColumnSum, { x: one(dy) }, {})),
    }),
  },
  {
    // Saved: q, k, v, the softmax y, and the reference's head-split operands when it ran (a fused
    // backend kernel returns [out, y] only and its gradient kernel reads q, k, v directly).
    kernelName: K.Attention,
    inputsToSave: ['q', 'k', 'v'],
    outputsToSave: [false, true, true, true, true, true, true],
    gradFunc: (dy, [q, k, v, y, qh, kT, vh, p, s], attrs) => {
      const inputs: tf.NamedTensorMap = { q, k, v, y, dy: one(dy) };
      if (qh) Object.assign(inputs, s ? { qh, kT, vh, p, s } : { qh, kT, vh, p });
      const [dq, dk, dv] = runKernel(K.AttentionGrad, inputs, attrs) as tf.Tensor[];
      return { q: () => dq, k: () => dk, v: () => dv };
    },
  },
];
for (const g of gradients) tf.registerGradient(g);
