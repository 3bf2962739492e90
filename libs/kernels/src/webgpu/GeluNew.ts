/** gelu_new (tanh form) in one WebGPU dispatch: `[y, t = tanh(c (x + 0.044715 x^3))]`. */
import { GeluNew } from '../names.js';
import type { KernelEntry } from '../registry.js';
import { sizeOf } from '../wasm-backend.js';
import { asWebgpu, declareBuffers, dispatchFused, flatLayout, flatMain } from '../webgpu-backend.js';

/** sqrt(2 / pi), as the reference's GELU_NEW_C. */
export const GELU_NEW_C = Math.sqrt(2 / Math.PI);

const code = () => /* wgsl */ `
struct U { n: u32, stride: u32, c: f32 };
${declareBuffers([['x', 'f32']], ['y', 't'])}
${flatMain(`
    let v = x[i];
    // tanh saturates to +-1 in float32 beyond 9; the clamp keeps exp-based tanh finite.
    let th = tanh(clamp(v * (v * v * 0.044715 + 1.0) * u.c, -15.0, 15.0));
    y[i] = v * 0.5 * (th + 1.0);
    t[i] = th;`)}`;

export const geluNewConfig: KernelEntry = {
  kernelName: GeluNew,
  kernelFunc: ({ backend, inputs: { x } }) => {
    const flat = flatLayout(sizeOf(x!.shape));
    return dispatchFused(asWebgpu(backend), {
      key: GeluNew,
      code,
      inputs: [x!],
      outputs: [0, 1].map(() => ({ shape: x!.shape, dtype: 'float32' as const })),
      uniforms: [...flat.uniforms, { type: 'float32', value: GELU_NEW_C }],
      workgroups: flat.workgroups,
    });
  },
};
