/**
 * A kernel file as a new wasm kernel would be written (for registry.test.ts): `EcodeTestTimesTwo`,
 * `y = 2 x` in one JS pass over the wasm heap, counting its calls so a test can tell it ran.
 */
import type * as tf from '@tensorflow/tfjs';
import type { KernelEntry } from '../registry.js';
import { asWasm, f32, type KernelArgs } from '../wasm-backend.js';

export const TimesTwo = 'EcodeTestTimesTwo';
export const timesTwoCalls = { count: 0 };

function timesTwo(a: KernelArgs<'x'>): tf.TensorInfo {
  timesTwoCalls.count++;
  const b = asWasm(a.backend);
  const x = a.inputs.x!;
  const y = b.makeOutput(x.shape, 'float32');
  const xv = f32(b, x);
  const yv = f32(b, y);
  for (let i = 0; i < xv.length; i++) yv[i] = 2 * xv[i];
  return y;
}

export const timesTwoConfig: KernelEntry = { kernelName: TimesTwo, kernelFunc: timesTwo as KernelEntry['kernelFunc'] };
