/** Layer norm over the last axis: outputs y, xhat and rstd (per row); statistics in float64. */
import type * as tf from '@tensorflow/tfjs';
import { LayerNorm } from '../names.js';
import type { KernelEntry } from '../registry.js';
import { asWasm, f32, sizeOf, type KernelArgs } from '../wasm-backend.js';

function layerNorm(a: KernelArgs<'x' | 'gamma' | 'beta'>): tf.TensorInfo[] {
  const b = asWasm(a.backend);
  const x = a.inputs.x!;
  const eps = a.attrs.eps as number;
  const d = x.shape[x.shape.length - 1];
  const rows = sizeOf(x.shape) / d;
  const y = b.makeOutput(x.shape, 'float32');
  const xh = b.makeOutput(x.shape, 'float32');
  const rs = b.makeOutput([rows], 'float32');
  const xv = f32(b, x);
  const g = f32(b, a.inputs.gamma!);
  const be = f32(b, a.inputs.beta!);
  const yv = f32(b, y);
  const hv = f32(b, xh);
  const rv = f32(b, rs);
  for (let r = 0; r < rows; r++) {
    const o = r * d;
    let mean = 0;
    for (let j = 0; j < d; j++) mean += xv[o + j];
    mean /= d;
    let v = 0;
    for (let j = 0; j < d; j++) {
      const c = xv[o + j] - mean;
      v += c * c;
    }
    const rstd = 1 / Math.sqrt(v / d + eps);
    rv[r] = rstd;
    for (let j = 0; j < d; j++) {
      const h = (xv[o + j] - mean) * rstd;
      hv[o + j] = h;
      yv[o + j] = h * g[j] + be[j];
    }
  }
  return [y, xh, rs];
}

export const layerNormConfig: KernelEntry = {
  kernelName: LayerNorm,
  kernelFunc: layerNorm as KernelEntry['kernelFunc'],
};
