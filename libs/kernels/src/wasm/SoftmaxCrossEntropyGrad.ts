/** The cross-entropy gradient `(softmax - onehot(target)) * mask * dy` per row, from the saved softmax. */
import type * as tf from '@tensorflow/tfjs';
import { SoftmaxCrossEntropyGrad } from '../names.js';
import type { KernelEntry } from '../registry.js';
import { asWasm, f32, i32, type KernelArgs } from '../wasm-backend.js';

function xentGrad(a: KernelArgs<'probs' | 'targets' | 'mask' | 'dy'>): tf.TensorInfo {
  const b = asWasm(a.backend);
  const pr = a.inputs.probs!;
  const [n, v] = pr.shape;
  const out = b.makeOutput([n, v], 'float32');
  const pv = f32(b, pr);
  const tv = i32(b, a.inputs.targets!);
  const mv = f32(b, a.inputs.mask!);
  const dyv = f32(b, a.inputs.dy!);
  const ov = f32(b, out);
  for (let r = 0; r < n; r++) {
    const o = r * v;
    const scale = mv[r] * dyv[r];
    if (scale === 0) {
      ov.fill(0, o, o + v);
      continue;
    }
    for (let j = 0; j < v; j++) ov[o + j] = pv[o + j] * scale;
    ov[o + tv[r]] -= scale;
  }
  return out;
}

export const softmaxCrossEntropyGradConfig: KernelEntry = {
  kernelName: SoftmaxCrossEntropyGrad,
  kernelFunc: xentGrad as KernelEntry['kernelFunc'],
};
