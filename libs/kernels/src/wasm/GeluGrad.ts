/** Exact GELU's gradient `Phi(x) + x phi(x)` from x and the saved Phi(x). */
import type * as tf from '@tensorflow/tfjs';
import { GeluGrad } from '../names.js';
import type { KernelEntry } from '../registry.js';
import { asWasm, f32, type KernelArgs } from '../wasm-backend.js';

const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

function geluGrad(a: KernelArgs<'x' | 'phi' | 'dy'>): tf.TensorInfo {
  const b = asWasm(a.backend);
  const x = a.inputs.x!;
  const dx = b.makeOutput(x.shape, 'float32');
  const xv = f32(b, x);
  const pv = f32(b, a.inputs.phi!);
  const dyv = f32(b, a.inputs.dy!);
  const out = f32(b, dx);
  for (let i = 0; i < xv.length; i++) {
    const v = xv[i];
    out[i] = dyv[i] * (pv[i] + v * Math.exp(-0.5 * v * v) * INV_SQRT_2PI);
  }
  return dx;
}

export const geluGradConfig: KernelEntry = { kernelName: GeluGrad, kernelFunc: geluGrad as KernelEntry['kernelFunc'] };
