/**
 * gelu_new: outputs y and t = tanh(c (x + 0.044715 x^3)) (saved for the gradient). JS's Math.tanh
 * costs ~30 ns here; tanh(u) = 2 sigmoid(2u) - 1 and y = x sigmoid(2u), so the transcendental part
 * runs in tfjs-wasm's SIMD Sigmoid (XNNPACK, ~1.4 ns), JS only the two polynomial passes.
 */
import type * as tf from '@tensorflow/tfjs';
import { GeluNew } from '../names.js';
import type { KernelEntry } from '../registry.js';
import { asWasm, callWasmKernel, f32, type KernelArgs } from '../wasm-backend.js';

const GELU_NEW_C = Math.sqrt(2 / Math.PI);

function geluNew(a: KernelArgs<'x'>): tf.TensorInfo[] {
  const b = asWasm(a.backend);
  const x = a.inputs.x!;
  const u = b.makeOutput(x.shape, 'float32');
  let xv = f32(b, x);
  const uv = f32(b, u);
  for (let i = 0; i < xv.length; i++) {
    const v = xv[i];
    uv[i] = 2 * GELU_NEW_C * (v + 0.044715 * v * v * v);
  }
  const sigmoid = callWasmKernel('Sigmoid', b, { x: u });
  b.disposeData(u.dataId);
  const y = b.makeOutput(x.shape, 'float32');
  // The sigmoid output becomes t in place (it is this kernel's own fresh tensor).
  xv = f32(b, x);
  const sv = f32(b, sigmoid);
  const yv = f32(b, y);
  for (let i = 0; i < xv.length; i++) {
    const s = sv[i];
    yv[i] = xv[i] * s;
    sv[i] = 2 * s - 1;
  }
  return [y, sigmoid];
}

export const geluNewConfig: KernelEntry = { kernelName: GeluNew, kernelFunc: geluNew as KernelEntry['kernelFunc'] };
