/** Softmax gradient over the last axis: `y * (dy - sum(dy * y))`. */
import type * as tf from '@tensorflow/tfjs';
import { SoftmaxGrad } from '../names.js';
import type { KernelEntry } from '../registry.js';
import { asWasm, f32, sizeOf, type KernelArgs } from '../wasm-backend.js';

function softmaxGrad(a: KernelArgs<'y' | 'dy'>): tf.TensorInfo {
  const b = asWasm(a.backend);
  const y = a.inputs.y!;
  const d = y.shape[y.shape.length - 1];
  const rows = sizeOf(y.shape) / d;
  const out = b.makeOutput(y.shape, 'float32');
  const yv = f32(b, y);
  const dyv = f32(b, a.inputs.dy!);
  const ov = f32(b, out);
  for (let r = 0; r < rows; r++) {
    const o = r * d;
    let s = 0;
    for (let j = 0; j < d; j++) s += dyv[o + j] * yv[o + j];
    for (let j = 0; j < d; j++) ov[o + j] = yv[o + j] * (dyv[o + j] - s);
  }
  return out;
}

export const softmaxGradConfig: KernelEntry = {
  kernelName: SoftmaxGrad,
  kernelFunc: softmaxGrad as KernelEntry['kernelFunc'],
};
