/**
 * Softmax cross-entropy of `[N,V]` logits and int32 targets `[N]` in one WebGPU dispatch, one
 * workgroup per row: `[nll ([N], times mask), probs]`, through the log-sum-exp as the reference's
 * logSoftmax. Targets outside `[0, V)` give NaN (checking them would need a read-back).
 */
import { SoftmaxCrossEntropy } from '../names.js';
import type { KernelEntry } from '../registry.js';
import { asWebgpu, declareBuffers, dispatchFused, ROW_REDUCE, rowLayout, rowMain } from '../webgpu-backend.js';
import { eachColumn } from './LayerNorm.js';

const code = () => /* wgsl */ `
struct U { rows: u32, d: u32, nan: f32 };
${declareBuffers(
  [
    ['logits', 'f32'],
    ['targets', 'i32'],
    ['mask', 'f32'],
  ],
  ['nll', 'probs'],
)}
${ROW_REDUCE}
${rowMain(`
    let o = r * u.d;
    var m = bitcast<f32>(0xff7fffffu); // -FLT_MAX
    ${eachColumn('m = max(m, logits[o + j]);')}
    let mx = wgMax(m, li);
    var s = 0.0;
    ${eachColumn('s = s + exp(logits[o + j] - mx);')}
    let lse = mx + log(wgSum(s, li));
    ${eachColumn('probs[o + j] = exp(logits[o + j] - lse);')}
    if (li == 0u) {
      let t = targets[r];
      let ok = t >= 0 && u32(t) < u.d;
      nll[r] = select(u.nan, -(logits[o + u32(max(t, 0))] - lse) * mask[r], ok);
    }`)}`;

export const softmaxCrossEntropyConfig: KernelEntry = {
  kernelName: SoftmaxCrossEntropy,
  kernelFunc: ({ backend, inputs: { logits, targets, mask } }) => {
    const b = asWebgpu(backend);
    const rows = rowLayout(b, logits!.shape);
    if (
      logits!.shape.length !== 2 ||
      targets!.dtype !== 'int32' ||
      targets!.shape.join() !== `${rows.rows}` ||
      mask!.shape.join() !== `${rows.rows}`
    )
      throw new Error(
        `${SoftmaxCrossEntropy}: expected logits [N,V], int32 targets [N], mask [N]; got [${logits!.shape}], ${targets!.dtype} [${targets!.shape}], [${mask!.shape}]`,
      );
    return dispatchFused(b, {
      key: SoftmaxCrossEntropy,
      code,
      inputs: [logits!, targets!, mask!],
      outputs: [
        { shape: [rows.rows], dtype: 'float32' },
        { shape: logits!.shape, dtype: 'float32' },
      ],
      // NaN through a uniform: WGSL's constant evaluation rejects a NaN literal.
      uniforms: [...rows.uniforms, { type: 'float32', value: NaN }],
      workgroups: rows.workgroups,
    });
  },
};
