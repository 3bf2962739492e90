/**
 * The layer norm gradient in one WebGPU dispatch of two kinds of workgroups: the first
 * `rowGroups` compute dx row by row (64 threads a row: `rstd (dxhat - mean(dxhat) - xhat
 * mean(dxhat xhat))`, `dxhat = dy gamma`), the rest dgamma and dbeta, one thread per column summing
 * `dy xhat` and `dy` over the rows in order (the same value every run). The branch is on the
 * workgroup id, so the row workgroups' barriers stay in uniform control flow.
 */
import { LayerNormGrad } from '../names.js';
import type { KernelEntry } from '../registry.js';
import {
  asWebgpu,
  declareBuffers,
  dispatchFused,
  gridFor,
  ROW_REDUCE,
  ROW_WORKGROUP,
  rowLayout,
} from '../webgpu-backend.js';
import { eachColumn } from './LayerNorm.js';

const code = () => /* wgsl */ `
struct U { rows: u32, d: u32, rowGroups: u32 };
${declareBuffers(
  [
    ['xhat', 'f32'],
    ['rstd', 'f32'],
    ['gamma', 'f32'],
    ['dy', 'f32'],
  ],
  ['dx', 'dgamma', 'dbeta'],
)}
${ROW_REDUCE}
@compute @workgroup_size(${ROW_WORKGROUP})
fn main(@builtin(local_invocation_index) li: u32, @builtin(workgroup_id) wid: vec3<u32>,
        @builtin(num_workgroups) nwg: vec3<u32>) {
  if (wid.x < u.rowGroups) {
    for (var r = wid.x; r < u.rows; r = r + u.rowGroups) {
      let o = r * u.d;
      var s = 0.0;
      var p = 0.0;
      ${eachColumn('let g = dy[o + j] * gamma[j]; s = s + g; p = p + g * xhat[o + j];')}
      let meanG = wgSum(s, li) / f32(u.d);
      let meanGX = wgSum(p, li) / f32(u.d);
      let rs = rstd[r];
      ${eachColumn('dx[o + j] = (dy[o + j] * gamma[j] - meanG - xhat[o + j] * meanGX) * rs;')}
    }
  } else {
    let stride = (nwg.x - u.rowGroups) * ${ROW_WORKGROUP}u;
    for (var j = (wid.x - u.rowGroups) * ${ROW_WORKGROUP}u + li; j < u.d; j = j + stride) {
      var sg = 0.0;
      var sb = 0.0;
      for (var r = 0u; r < u.rows; r = r + 1u) {
        let g = dy[r * u.d + j];
        sg = sg + g * xhat[r * u.d + j];
        sb = sb + g;
      }
      dgamma[j] = sg;
      dbeta[j] = sb;
    }
  }
}`;

export const layerNormGradConfig: KernelEntry = {
  kernelName: LayerNormGrad,
  kernelFunc: ({ backend, inputs: { xhat, rstd, gamma, dy } }) => {
    const b = asWebgpu(backend);
    const rows = rowLayout(b, xhat!.shape);
    const columnGroups = Math.min(gridFor(rows.d * (256 / ROW_WORKGROUP)), 64);
    const rowGroups = Math.max(1, Math.min(rows.rows, b.device.limits.maxComputeWorkgroupsPerDimension - columnGroups));
    return dispatchFused(b, {
      key: LayerNormGrad,
      code,
      inputs: [xhat!, rstd!, gamma!, dy!],
      outputs: [
        { shape: xhat!.shape, dtype: 'float32' },
        { shape: [rows.d], dtype: 'float32' },
        { shape: [rows.d], dtype: 'float32' },
      ],
      uniforms: [...rows.uniforms, { type: 'uint32', value: rowGroups }],
      workgroups: rowGroups + columnGroups,
    });
  },
};
