/**
 * Softmax cross-entropy per row: outputs nll ([N], times mask) and the softmax itself ([N,V],
 * saved for the gradient). The softmax runs in tfjs-wasm's SIMD kernel (~1 ns/element; JS's
 * Math.exp costs ~15 ns), nll = -log p[target]; a row whose p[target] is below 1e-30 (where a
 * float32 softmax loses digits) gets its log-sum-exp in JS in float64 instead.
 */
import type * as tf from '@tensorflow/tfjs';
import { SoftmaxCrossEntropy } from '../names.js';
import type { KernelEntry } from '../registry.js';
import { asWasm, callWasmKernel, f32, i32, type KernelArgs } from '../wasm-backend.js';

function xent(a: KernelArgs<'logits' | 'targets' | 'mask'>): tf.TensorInfo[] {
  const b = asWasm(a.backend);
  const lg = a.inputs.logits!;
  const [n, v] = lg.shape;
  const probs = callWasmKernel('Softmax', b, { logits: lg }, { dim: lg.shape.length - 1 });
  const nll = b.makeOutput([n], 'float32');
  const lv = f32(b, lg);
  const pv = f32(b, probs);
  const tv = i32(b, a.inputs.targets!);
  const mv = f32(b, a.inputs.mask!);
  const nv = f32(b, nll);
  for (let r = 0; r < n; r++) {
    if (mv[r] === 0) {
      nv[r] = 0;
      continue;
    }
    const o = r * v;
    const p = pv[o + tv[r]];
    if (p >= 1e-30) {
      nv[r] = -Math.log(p) * mv[r];
      continue;
    }
    let mx = -Infinity;
    for (let j = 0; j < v; j++) if (lv[o + j] > mx) mx = lv[o + j];
    let sum = 0;
    for (let j = 0; j < v; j++) sum += Math.exp(lv[o + j] - mx);
    nv[r] = (mx + Math.log(sum) - lv[o + tv[r]]) * mv[r];
  }
  return [nll, probs];
}

export const softmaxCrossEntropyConfig: KernelEntry = {
  kernelName: SoftmaxCrossEntropy,
  kernelFunc: xent as KernelEntry['kernelFunc'],
};
