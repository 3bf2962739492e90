/** gelu_new's gradient from x and the saved t. */
import type * as tf from '@tensorflow/tfjs';
import { GeluNewGrad } from '../names.js';
import type { KernelEntry } from '../registry.js';
import { asWasm, f32, type KernelArgs } from '../wasm-backend.js';

const GELU_NEW_C = Math.sqrt(2 / Math.PI);

function geluNewGrad(a: KernelArgs<'x' | 't' | 'dy'>): tf.TensorInfo {
  const b = asWasm(a.backend);
  const x = a.inputs.x!;
  const dx = b.makeOutput(x.shape, 'float32');
  const xv = f32(b, x);
  const tv = f32(b, a.inputs.t!);
  const dyv = f32(b, a.inputs.dy!);
  const out = f32(b, dx);
  for (let i = 0; i < xv.length; i++) {
    const v = xv[i];
    const th = tv[i];
    out[i] = dyv[i] * (0.5 * (1 + th) + 0.5 * v * (1 - th * th) * GELU_NEW_C * (1 + 3 * 0.044715 * v * v));
  }
  return dx;
}

export const geluNewGradConfig: KernelEntry = {
  kernelName: GeluNewGrad,
  kernelFunc: geluNewGrad as KernelEntry['kernelFunc'],
};
