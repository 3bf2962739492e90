/** Exact (erf) GELU in one WebGPU dispatch: `[y = x Phi(x), phi = Phi(x)]`. */
import { Gelu } from '../names.js';
import type { KernelEntry } from '../registry.js';
import { sizeOf } from '../wasm-backend.js';
import { asWebgpu, declareBuffers, dispatchFused, flatLayout, flatMain } from '../webgpu-backend.js';

/** WGSL erf (WGSL has none): Abramowitz & Stegun 7.1.26, |error| < 1.5e-7, as tfjs's Erf. */
export const ERF = /* wgsl */ `
fn erf(z: f32) -> f32 {
  let a = abs(z);
  let k = 1.0 / (1.0 + 0.3275911 * a);
  let poly = ((((1.061405429 * k - 1.453152027) * k + 1.421413741) * k - 0.284496736) * k + 0.254829592) * k;
  return sign(z) * (1.0 - poly * exp(-a * a));
}`;

const code = () => /* wgsl */ `
struct U { n: u32, stride: u32 };
${declareBuffers([['x', 'f32']], ['y', 'phi'])}
${ERF}
${flatMain(`
    let v = x[i];
    let p = (1.0 + erf(v * ${Math.SQRT1_2})) * 0.5;
    y[i] = v * p;
    phi[i] = p;`)}`;

export const geluConfig: KernelEntry = {
  kernelName: Gelu,
  kernelFunc: ({ backend, inputs: { x } }) => {
    const flat = flatLayout(sizeOf(x!.shape));
    return dispatchFused(asWebgpu(backend), {
      key: Gelu,
      code,
      inputs: [x!],
      outputs: [0, 1].map(() => ({ shape: x!.shape, dtype: 'float32' as const })),
      uniforms: flat.uniforms,
      workgroups: flat.workgroups,
    });
  },
};
