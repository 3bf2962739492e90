/** Column sums of `[..., D]` in one WebGPU dispatch: one thread per column, rows in order (the same value every run). */
import { ColumnSum } from '../names.js';
import type { KernelEntry } from '../registry.js';
import { asWebgpu, declareBuffers, dispatchFused, gridFor, rowLayout, WORKGROUP } from '../webgpu-backend.js';

const code = () => /* wgsl */ `
struct U { rows: u32, d: u32 };
${declareBuffers([['x', 'f32']], ['sum'])}
@compute @workgroup_size(${WORKGROUP})
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  for (var j = gid.x; j < u.d; j = j + nwg.x * ${WORKGROUP}u) {
    var s = 0.0;
    for (var r = 0u; r < u.rows; r = r + 1u) { s = s + x[r * u.d + j]; }
    sum[j] = s;
  }
}`;

export const columnSumConfig: KernelEntry = {
  kernelName: ColumnSum,
  kernelFunc: ({ backend, inputs: { x } }) => {
    const b = asWebgpu(backend);
    const rows = rowLayout(b, x!.shape);
    return dispatchFused(b, {
      key: ColumnSum,
      code,
      inputs: [x!],
      outputs: [{ shape: [rows.d], dtype: 'float32' }],
      uniforms: rows.uniforms,
      workgroups: gridFor(rows.d),
    })[0];
  },
};
