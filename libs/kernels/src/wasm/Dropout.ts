/** Inverted dropout with a seeded mulberry32 stream: outputs `y = x * s` and `s` (0 or 1/(1-rate)); one pass (tf.dropout takes five on wasm). */
import type * as tf from '@tensorflow/tfjs';
import { Dropout } from '../names.js';
import type { KernelEntry } from '../registry.js';
import { asWasm, f32, type KernelArgs } from '../wasm-backend.js';

function dropout(a: KernelArgs<'x'>): tf.TensorInfo[] {
  const b = asWasm(a.backend);
  const x = a.inputs.x!;
  const rate = a.attrs.rate as number;
  let state = (a.attrs.seed as number) >>> 0;
  const y = b.makeOutput(x.shape, 'float32');
  const sc = b.makeOutput(x.shape, 'float32');
  const xv = f32(b, x);
  const yv = f32(b, y);
  const sv = f32(b, sc);
  const keep = 1 / (1 - rate);
  for (let i = 0; i < xv.length; i++) {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), state | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    const u = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    const s = u < rate ? 0 : keep;
    sv[i] = s;
    yv[i] = xv[i] * s;
  }
  return [y, sc];
}

export const dropoutConfig: KernelEntry = { kernelName: Dropout, kernelFunc: dropout as KernelEntry['kernelFunc'] };
