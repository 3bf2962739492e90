/**
 * Inverted dropout in one WebGPU dispatch, with the wasm kernels' seeded mulberry32 stream:
 * mulberry32's state after `i + 1` steps is `seed + (i + 1) * 0x6d2b79f5`, so each thread computes
 * its element's draw directly, and the masks are the same bits as on wasm (`u < rate` compared
 * as integers: `t < ceil(rate * 2^32)`). Outputs `[y = x * s, s]`, `s` 0 or `1 / (1 - rate)`.
 */
import { Dropout } from '../names.js';
import type { KernelEntry } from '../registry.js';
import { sizeOf } from '../wasm-backend.js';
import {
  asWebgpu,
  declareBuffers,
  dispatchFused,
  flatLayout,
  flatMain,
  type FusedDispatch,
} from '../webgpu-backend.js';

/**
 * WGSL `dropMultiplier(i)`: element `i`'s multiplier (0 or `u.keep`) of the stream of `u.seed`
 * (uniforms `seed`, `threshold`, `keep`: `dropUniforms`); 1 when `u.threshold` is 0 (no dropout).
 */
export const DROP_MULTIPLIER = /* wgsl */ `
fn dropMultiplier(i: u32) -> f32 {
  if (u.threshold == 0u) { return 1.0; }
  let state = u.seed + (i + 1u) * 0x6d2b79f5u;
  var t = (state ^ (state >> 15u)) * (state | 1u);
  t = t ^ (t + (t ^ (t >> 7u)) * (t | 61u));
  t = t ^ (t >> 14u);
  return select(u.keep, 0.0, t < u.threshold);
}`;

/** The uniforms `seed: u32, threshold: u32, keep: f32` of `DROP_MULTIPLIER` (rate 0: no dropout). */
export function dropUniforms(kernel: string, rate: number, seed: number): FusedDispatch['uniforms'] {
  if (!(rate >= 0 && rate < 1)) throw new Error(`${kernel}: rate must be in [0, 1), got ${rate}`);
  return [
    { type: 'uint32', value: seed >>> 0 },
    { type: 'uint32', value: Math.min(Math.ceil(rate * 2 ** 32), 0xffffffff) },
    { type: 'float32', value: 1 / (1 - rate) },
  ];
}

const code = () => /* wgsl */ `
struct U { n: u32, stride: u32, seed: u32, threshold: u32, keep: f32 };
${declareBuffers([['x', 'f32']], ['y', 's'])}
${DROP_MULTIPLIER}
${flatMain(`
    let m = dropMultiplier(i);
    s[i] = m;
    y[i] = x[i] * m;`)}`;

export const dropoutConfig: KernelEntry = {
  kernelName: Dropout,
  kernelFunc: ({ backend, inputs: { x }, attrs }) => {
    const flat = flatLayout(sizeOf(x!.shape));
    return dispatchFused(asWebgpu(backend), {
      key: Dropout,
      code,
      inputs: [x!],
      outputs: [0, 1].map(() => ({ shape: x!.shape, dtype: 'float32' as const })),
      uniforms: [...flat.uniforms, ...dropUniforms(Dropout, attrs.rate as number, attrs.seed as number)],
      workgroups: flat.workgroups,
    });
  },
};
