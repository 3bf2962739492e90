/** Layer-norm gradient: outputs dx, dgamma, dbeta (parameter sums in float64). */
import type * as tf from '@tensorflow/tfjs';
import { LayerNormGrad } from '../names.js';
import type { KernelEntry } from '../registry.js';
import { asWasm, f32, sizeOf, type KernelArgs } from '../wasm-backend.js';

function layerNormGrad(a: KernelArgs<'xhat' | 'rstd' | 'gamma' | 'dy'>): tf.TensorInfo[] {
  const b = asWasm(a.backend);
  const xh = a.inputs.xhat!;
  const d = xh.shape[xh.shape.length - 1];
  const rows = sizeOf(xh.shape) / d;
  const dx = b.makeOutput(xh.shape, 'float32');
  const dg = b.makeOutput([d], 'float32');
  const db = b.makeOutput([d], 'float32');
  const hv = f32(b, xh);
  const rv = f32(b, a.inputs.rstd!);
  const g = f32(b, a.inputs.gamma!);
  const dyv = f32(b, a.inputs.dy!);
  const dxv = f32(b, dx);
  const dgv = f32(b, dg);
  const dbv = f32(b, db);
  const accG = new Float64Array(d);
  const accB = new Float64Array(d);
  for (let r = 0; r < rows; r++) {
    const o = r * d;
    let m1 = 0;
    let m2 = 0;
    for (let j = 0; j < d; j++) {
      const dy = dyv[o + j];
      const h = hv[o + j];
      const dh = dy * g[j];
      m1 += dh;
      m2 += dh * h;
      accG[j] += dy * h;
      accB[j] += dy;
    }
    m1 /= d;
    m2 /= d;
    const rstd = rv[r];
    for (let j = 0; j < d; j++) dxv[o + j] = rstd * (dyv[o + j] * g[j] - m1 - hv[o + j] * m2);
  }
  for (let j = 0; j < d; j++) {
    dgv[j] = accG[j];
    dbv[j] = accB[j];
  }
  return [dx, dg, db];
}

export const layerNormGradConfig: KernelEntry = {
  kernelName: LayerNormGrad,
  kernelFunc: layerNormGrad as KernelEntry['kernelFunc'],
};
