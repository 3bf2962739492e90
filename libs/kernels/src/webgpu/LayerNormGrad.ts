/**
 * The layer norm gradient in two WebGPU dispatches: dx row-wise (one workgroup per row:
 * `rstd (dxhat - mean(dxhat) - xhat mean(dxhat xhat))`, `dxhat = dy gamma`), then dgamma and dbeta
 * as column sums of `dy xhat` and `dy` in one pass.
 */
import { LayerNormGrad } from '../names.js';
import type { KernelEntry } from '../registry.js';
import { asWebgpu, declareBuffers, dispatchFused, ROW_REDUCE, rowLayout, rowMain } from '../webgpu-backend.js';
import { columnSums } from './ColumnSum.js';
import { eachColumn } from './LayerNorm.js';

const code = () => /* wgsl */ `
struct U { rows: u32, d: u32 };
${declareBuffers(
  [
    ['xhat', 'f32'],
    ['rstd', 'f32'],
    ['gamma', 'f32'],
    ['dy', 'f32'],
  ],
  ['dx'],
)}
${ROW_REDUCE}
${rowMain(`
    let o = r * u.d;
    var s = 0.0;
    var p = 0.0;
    ${eachColumn('let g = dy[o + j] * gamma[j]; s = s + g; p = p + g * xhat[o + j];')}
    let meanG = wgSum(s, li) / f32(u.d);
    let meanGX = wgSum(p, li) / f32(u.d);
    let rs = rstd[r];
    ${eachColumn('dx[o + j] = (dy[o + j] * gamma[j] - meanG - xhat[o + j] * meanGX) * rs;')}`)}`;

export const layerNormGradConfig: KernelEntry = {
  kernelName: LayerNormGrad,
  kernelFunc: ({ backend, inputs: { xhat, rstd, gamma, dy } }) => {
    const b = asWebgpu(backend);
    const rows = rowLayout(b, xhat!.shape);
    const [dx] = dispatchFused(b, {
      key: LayerNormGrad,
      code,
      inputs: [xhat!, rstd!, gamma!, dy!],
      outputs: [{ shape: xhat!.shape, dtype: 'float32' }],
      uniforms: rows.uniforms,
      workgroups: rows.workgroups,
    });
    const [dgamma, dbeta] = columnSums(b, dy!, xhat!);
    return [dx, dgamma, dbeta];
  },
};
