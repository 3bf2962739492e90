/**
 * `softmax(scores [B,H,Tq,Tk] + mask [B|1,1,Tq|1,Tk])` over the last axis in one WebGPU dispatch,
 * one workgroup per row (max, sum of exponentials, write), the mask broadcast over heads (and
 * queries when it has one row) by index, not materialised. Without a mask, any rank.
 */
import { MaskedSoftmax } from '../names.js';
import type { KernelEntry } from '../registry.js';
import { asWebgpu, declareBuffers, dispatchFused, ROW_REDUCE, rowLayout, rowMain } from '../webgpu-backend.js';
import { eachColumn } from './LayerNorm.js';

const code = (masked: boolean) => /* wgsl */ `
struct U { rows: u32, d: u32, heads: u32, tq: u32, maskBatch: u32, maskRows: u32 };
${declareBuffers(
  masked
    ? [
        ['scores', 'f32'],
        ['mask', 'f32'],
      ]
    : [['scores', 'f32']],
  ['y'],
)}
${ROW_REDUCE}
${rowMain(`
    let o = r * u.d;
    ${
      masked
        ? `let q = r % u.tq;
    let bi = r / (u.heads * u.tq);
    let mo = ((bi % u.maskBatch) * u.maskRows + select(q, 0u, u.maskRows == 1u)) * u.d;`
        : ''
    }
    var m = bitcast<f32>(0xff7fffffu); // -FLT_MAX
    ${eachColumn(`m = max(m, scores[o + j]${masked ? ' + mask[mo + j]' : ''});`)}
    let mx = wgMax(m, li);
    var s = 0.0;
    ${eachColumn(`let e = exp(scores[o + j]${masked ? ' + mask[mo + j]' : ''} - mx); y[o + j] = e; s = s + e;`)}
    let inv = 1.0 / wgSum(s, li);
    ${eachColumn('y[o + j] = y[o + j] * inv;')}`)}`;

export const maskedSoftmaxConfig: KernelEntry = {
  kernelName: MaskedSoftmax,
  kernelFunc: ({ backend, inputs: { scores, mask } }) => {
    const b = asWebgpu(backend);
    const rows = rowLayout(b, scores!.shape);
    const [bs, h, tq, tk] = scores!.shape;
    if (mask) {
      const [mb, m1, mq, mk] = mask.shape;
      if (
        scores!.shape.length !== 4 ||
        mask.shape.length !== 4 ||
        m1 !== 1 ||
        mk !== tk ||
        (mb !== bs && mb !== 1) ||
        (mq !== tq && mq !== 1)
      )
        throw new Error(
          `${MaskedSoftmax}: mask [${mask.shape}] does not broadcast to scores [${scores!.shape}] as [B|1,1,Tq|1,Tk]`,
        );
    }
    return dispatchFused(b, {
      key: `${MaskedSoftmax}${mask ? 'Masked' : ''}`,
      code: () => code(mask !== undefined),
      inputs: mask ? [scores!, mask] : [scores!],
      outputs: [{ shape: scores!.shape, dtype: 'float32' }],
      uniforms: [
        ...rows.uniforms,
        ...[mask ? h : 1, mask ? tq : 1, mask?.shape[0] ?? 1, mask?.shape[2] ?? 1].map((value) => ({
          type: 'uint32' as const,
          value,
        })),
      ],
      workgroups: rows.workgroups,
    })[0];
  },
};
