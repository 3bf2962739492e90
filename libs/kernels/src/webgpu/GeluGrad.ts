/** The exact GELU gradient in one WebGPU dispatch: `dy (phi + x exp(-x^2 / 2) / sqrt(2 pi))`. */
import { GeluGrad } from '../names.js';
import type { KernelEntry } from '../registry.js';
import { sizeOf } from '../wasm-backend.js';
import { asWebgpu, declareBuffers, dispatchFused, flatLayout, flatMain } from '../webgpu-backend.js';

const code = () => /* wgsl */ `
struct U { n: u32, stride: u32 };
${declareBuffers(
  [
    ['x', 'f32'],
    ['phi', 'f32'],
    ['dy', 'f32'],
  ],
  ['dx'],
)}
${flatMain(`
    let v = x[i];
    dx[i] = dy[i] * (phi[i] + v * exp(v * v * -0.5) * ${1 / Math.sqrt(2 * Math.PI)});`)}`;

export const geluGradConfig: KernelEntry = {
  kernelName: GeluGrad,
  kernelFunc: ({ backend, inputs: { x, phi, dy } }) => {
    const flat = flatLayout(sizeOf(x!.shape));
    return dispatchFused(asWebgpu(backend), {
      key: GeluGrad,
      code,
      inputs: [x!, phi!, dy!],
      outputs: [{ shape: x!.shape, dtype: 'float32' }],
      uniforms: flat.uniforms,
      workgroups: flat.workgroups,
    })[0];
  },
};
