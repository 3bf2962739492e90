/** The gelu_new gradient in one WebGPU dispatch: `dy (0.5 (1 + t) + 0.5 x (1 - t^2) c (1 + 3 * 0.044715 x^2))`. */
import { GeluNewGrad } from '../names.js';
import type { KernelEntry } from '../registry.js';
import { sizeOf } from '../wasm-backend.js';
import { asWebgpu, declareBuffers, dispatchFused, flatLayout, flatMain } from '../webgpu-backend.js';
import { GELU_NEW_C } from './GeluNew.js';

const code = () => /* wgsl */ `
struct U { n: u32, stride: u32, c: f32 };
${declareBuffers(
  [
    ['x', 'f32'],
    ['t', 'f32'],
    ['dy', 'f32'],
  ],
  ['dx'],
)}
${flatMain(`
    let v = x[i];
    let th = t[i];
    let inner = (v * v * (3.0 * 0.044715) * u.c + u.c) * (v * 0.5);
    dx[i] = dy[i] * ((th + 1.0) * 0.5 + (1.0 - th * th) * inner);`)}`;

export const geluNewGradConfig: KernelEntry = {
  kernelName: GeluNewGrad,
  kernelFunc: ({ backend, inputs: { x, t, dy } }) => {
    const flat = flatLayout(sizeOf(x!.shape));
    return dispatchFused(asWebgpu(backend), {
      key: GeluNewGrad,
      code,
      inputs: [x!, t!, dy!],
      outputs: [{ shape: x!.shape, dtype: 'float32' }],
      uniforms: [...flat.uniforms, { type: 'float32', value: GELU_NEW_C }],
      workgroups: flat.workgroups,
    })[0];
  },
};
