/** Sum over all but the last axis (bias gradients): `[..., D]` -> `[D]`, in float64 (tf.sum over axis 0 transposes first). */
import type * as tf from '@tensorflow/tfjs';
import { ColumnSum } from '../names.js';
import type { KernelEntry } from '../registry.js';
import { asWasm, f32, sizeOf, type KernelArgs } from '../wasm-backend.js';

function columnSum(a: KernelArgs<'x'>): tf.TensorInfo {
  const b = asWasm(a.backend);
  const x = a.inputs.x!;
  const d = x.shape[x.shape.length - 1];
  const rows = sizeOf(x.shape) / d;
  const out = b.makeOutput([d], 'float32');
  const xv = f32(b, x);
  const acc = new Float64Array(d);
  for (let r = 0; r < rows; r++) {
    const o = r * d;
    for (let j = 0; j < d; j++) acc[j] += xv[o + j];
  }
  const ov = f32(b, out);
  for (let j = 0; j < d; j++) ov[j] = acc[j];
  return out;
}

export const columnSumConfig: KernelEntry = {
  kernelName: ColumnSum,
  kernelFunc: columnSum as KernelEntry['kernelFunc'],
};
