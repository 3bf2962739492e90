/** `y (dy - sum(dy y))` over the last axis in one WebGPU dispatch, one workgroup per row. */
import { SoftmaxGrad } from '../names.js';
import type { KernelEntry } from '../registry.js';
import { asWebgpu, declareBuffers, dispatchFused, ROW_REDUCE, rowLayout, rowMain } from '../webgpu-backend.js';
import { eachColumn } from './LayerNorm.js';

const code = () => /* wgsl */ `
struct U { rows: u32, d: u32 };
${declareBuffers(
  [
    ['y', 'f32'],
    ['dy', 'f32'],
  ],
  ['dx'],
)}
${ROW_REDUCE}
${rowMain(`
    let o = r * u.d;
    var s = 0.0;
    ${eachColumn('s = s + dy[o + j] * y[o + j];')}
    let dot = wgSum(s, li);
    ${eachColumn('dx[o + j] = y[o + j] * (dy[o + j] - dot);')}`)}`;

export const softmaxGradConfig: KernelEntry = {
  kernelName: SoftmaxGrad,
  kernelFunc: ({ backend, inputs: { y, dy } }) => {
    const b = asWebgpu(backend);
    const rows = rowLayout(b, y!.shape);
    return dispatchFused(b, {
      key: SoftmaxGrad,
      code,
      inputs: [y!, dy!],
      outputs: [{ shape: y!.shape, dtype: 'float32' }],
      uniforms: rows.uniforms,
      workgroups: rows.workgroups,
    })[0];
  },
};
