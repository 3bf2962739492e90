/**
 * Layer norm over the last axis in one WebGPU dispatch, one workgroup per row (two-pass: mean,
 * then the variance of the centred row, as the reference): `[y, xhat, rstd ([rows])]`.
 */
import { LayerNorm } from '../names.js';
import type { KernelEntry } from '../registry.js';
import {
  asWebgpu,
  declareBuffers,
  dispatchFused,
  ROW_REDUCE,
  ROW_WORKGROUP,
  rowLayout,
  rowMain,
} from '../webgpu-backend.js';

/** `for (var j = li; j < u.d; j += threads) { body }` over the row's columns. */
export const eachColumn = (body: string) => `for (var j = li; j < u.d; j = j + ${ROW_WORKGROUP}u) { ${body} }`;

const code = () => /* wgsl */ `
struct U { rows: u32, d: u32, eps: f32 };
${declareBuffers(
  [
    ['x', 'f32'],
    ['gamma', 'f32'],
    ['beta', 'f32'],
  ],
  ['y', 'xhat', 'rstd'],
)}
${ROW_REDUCE}
${rowMain(`
    let o = r * u.d;
    var s = 0.0;
    ${eachColumn('s = s + x[o + j];')}
    let mean = wgSum(s, li) / f32(u.d);
    var q = 0.0;
    ${eachColumn('let c = x[o + j] - mean; q = q + c * c;')}
    let rs = 1.0 / sqrt(wgSum(q, li) / f32(u.d) + u.eps);
    ${eachColumn('let h = (x[o + j] - mean) * rs; xhat[o + j] = h; y[o + j] = h * gamma[j] + beta[j];')}
    if (li == 0u) { rstd[r] = rs; }`)}`;

export const layerNormConfig: KernelEntry = {
  kernelName: LayerNorm,
  kernelFunc: ({ backend, inputs: { x, gamma, beta }, attrs }) => {
    const b = asWebgpu(backend);
    const rows = rowLayout(b, x!.shape);
    for (const [name, p] of Object.entries({ gamma, beta }))
      if (p!.shape.reduce((a, c) => a * c, 1) !== rows.d)
        throw new Error(`${LayerNorm}: ${name} has shape [${p!.shape}], expected [${rows.d}] (x is [${x!.shape}])`);
    return dispatchFused(b, {
      key: LayerNorm,
      code,
      inputs: [x!, gamma!, beta!],
      outputs: [
        { shape: x!.shape, dtype: 'float32' },
        { shape: x!.shape, dtype: 'float32' },
        { shape: [rows.rows], dtype: 'float32' },
      ],
      uniforms: [...rows.uniforms, { type: 'float32', value: attrs.eps as number }],
      workgroups: rows.workgroups,
    });
  },
};
