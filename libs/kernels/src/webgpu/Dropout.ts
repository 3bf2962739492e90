/**
 * Inverted dropout in one WebGPU dispatch, with the wasm kernels' seeded mulberry32 stream:
 * mulberry32's state after `i + 1` steps is `seed + (i + 1) * 0x6d2b79f5`, so each thread computes
 * its element's draw directly, and the masks are the same bits as on wasm (`u < rate` compared
 * as integers: `t < ceil(rate * 2^32)`). Outputs `[y = x * s, s]`, `s` 0 or `1 / (1 - rate)`.
 */
import { Dropout } from '../names.js';
import type { KernelEntry } from '../registry.js';
import { sizeOf } from '../wasm-backend.js';
import { asWebgpu, declareBuffers, dispatchFused, flatLayout, flatMain } from '../webgpu-backend.js';

const code = () => /* wgsl */ `
struct U { n: u32, stride: u32, seed: u32, threshold: u32, keep: f32 };
${declareBuffers([['x', 'f32']], ['y', 's'])}
${flatMain(`
    let state = u.seed + (i + 1u) * 0x6d2b79f5u;
    var t = (state ^ (state >> 15u)) * (state | 1u);
    t = t ^ (t + (t ^ (t >> 7u)) * (t | 61u));
    t = t ^ (t >> 14u);
    let m = select(u.keep, 0.0, t < u.threshold);
    s[i] = m;
    y[i] = x[i] * m;`)}`;

export const dropoutConfig: KernelEntry = {
  kernelName: Dropout,
  kernelFunc: ({ backend, inputs: { x }, attrs }) => {
    const rate = attrs.rate as number;
    if (!(rate >= 0 && rate < 1)) throw new Error(`${Dropout}: rate must be in [0, 1), got ${rate}`);
    const flat = flatLayout(sizeOf(x!.shape));
    return dispatchFused(asWebgpu(backend), {
      key: Dropout,
      code,
      inputs: [x!],
      outputs: [0, 1].map(() => ({ shape: x!.shape, dtype: 'float32' as const })),
      uniforms: [
        ...flat.uniforms,
        { type: 'uint32', value: (attrs.seed as number) >>> 0 },
        { type: 'uint32', value: Math.min(Math.ceil(rate * 2 ** 32), 0xffffffff) },
        { type: 'float32', value: 1 / (1 - rate) },
      ],
      workgroups: flat.workgroups,
    });
  },
};
