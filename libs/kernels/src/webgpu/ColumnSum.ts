/**
 * Column sums of `[..., D]` in one WebGPU dispatch (one thread per column, rows in order: the same
 * value every run), and `columnSums`, which also gives `sum(a * b)` per column in the same pass
 * (the layer norm gradient's dgamma and dbeta).
 */
import type * as tf from '@tensorflow/tfjs';
import { ColumnSum } from '../names.js';
import type { KernelEntry } from '../registry.js';
import {
  asWebgpu,
  declareBuffers,
  dispatchFused,
  gridFor,
  rowLayout,
  WORKGROUP,
  type WebgpuBackend,
} from '../webgpu-backend.js';

const code = (product: boolean) => /* wgsl */ `
struct U { rows: u32, d: u32 };
${declareBuffers(
  product
    ? [
        ['a', 'f32'],
        ['b', 'f32'],
      ]
    : [['a', 'f32']],
  product ? ['sumAB', 'sumA'] : ['sumA'],
)}
@compute @workgroup_size(${WORKGROUP})
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  for (var j = gid.x; j < u.d; j = j + nwg.x * ${WORKGROUP}u) {
    var s = 0.0;
    ${product ? 'var p = 0.0;' : ''}
    for (var r = 0u; r < u.rows; r = r + 1u) {
      let v = a[r * u.d + j];
      s = s + v;
      ${product ? 'p = p + v * b[r * u.d + j];' : ''}
    }
    sumA[j] = s;
    ${product ? 'sumAB[j] = p;' : ''}
  }
}`;

/** `[sum(a), ]` per column of `a [..., D]`, with `b` (the same shape) `[sum(a b), sum(a)]`. */
export function columnSums(b: WebgpuBackend, a: tf.TensorInfo, times?: tf.TensorInfo): tf.TensorInfo[] {
  const rows = rowLayout(b, a.shape);
  const product = times !== undefined;
  return dispatchFused(b, {
    key: `${ColumnSum}${product ? 'Product' : ''}`,
    code: () => code(product),
    inputs: product ? [a, times] : [a],
    outputs: (product ? [0, 1] : [0]).map(() => ({ shape: [rows.d], dtype: 'float32' as const })),
    uniforms: rows.uniforms,
    workgroups: gridFor(rows.d),
  });
}

export const columnSumConfig: KernelEntry = {
  kernelName: ColumnSum,
  kernelFunc: ({ backend, inputs: { x } }) => columnSums(asWebgpu(backend), x!)[0],
};
