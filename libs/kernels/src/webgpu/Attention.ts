/**
 * Multi-head attention in one WebGPU dispatch, one workgroup of 64 threads per query row of one
 * head: the scores `(scale q) . k + bias` of the row (heads read in place from `[B,T,H*dh]`: no
 * split or merge transposes), their softmax `y` (max and sum over the workgroup), then
 * `out = (y * dropout) v` written into the merged `[B,Tq,H*dh]` layout. The bias is broadcast by
 * index as in `MaskedSoftmax`; the dropout multipliers are drawn by counter (`EcodeDropout`'s
 * stream over `[B,H,Tq,Tk]`, the wasm kernels' masks). Outputs `[out, y]`.
 */
import type * as tf from '@tensorflow/tfjs';
import { Attention, type AttentionAttrs } from '../names.js';
import type { KernelEntry } from '../registry.js';
import {
  asWebgpu,
  declareBuffers,
  dispatchFused,
  ROW_REDUCE,
  ROW_WORKGROUP,
  rowGrid,
  rowMain,
  type FusedDispatch,
} from '../webgpu-backend.js';
import { DROP_MULTIPLIER, dropUniforms } from './Dropout.js';

/** The uniform struct of the attention programs (forward, gradient rows, gradient columns). */
export const ATTENTION_UNIFORMS = /* wgsl */ `struct U { rows: u32, tq: u32, tk: u32, heads: u32, dh: u32,
  maskBatch: u32, maskRows: u32, scale: f32, seed: u32, threshold: u32, keep: f32 };
${DROP_MULTIPLIER}`;

/**
 * WGSL locals of query row `r` (`u32`, over `[B,H,Tq]`): `i` its query, `h` its head, `bi` its
 * batch row, `dm = H*dh`, `qo` the offset of its head's query in `[B,Tq,H*dh]`, `kb` of its
 * head's first key (and value) and `ks` the step from key to key: in `[B,Tk,H*dh]`, or with
 * `headSplit` in the KV cache's `[B*H,Tk,dh]` (key `j` at `kb + j * ks`); `yo` the offset of its
 * row of `[B,H,Tq,Tk]`.
 */
export const queryRow = (headSplit: boolean) => /* wgsl */ `
    let i = r % u.tq;
    let bh = r / u.tq;
    let h = bh % u.heads;
    let bi = bh / u.heads;
    let dm = u.heads * u.dh;
    let qo = (bi * u.tq + i) * dm + h * u.dh;
    let kb = ${headSplit ? 'bh * u.tk * u.dh' : 'bi * u.tk * dm + h * u.dh'};
    let ks = ${headSplit ? 'u.dh' : 'dm'};
    let yo = r * u.tk;`;

/** `for (var j = li; j < u.tk; j += threads) { body }` over the keys of a row. */
export const eachKey = (body: string) => `for (var j = li; j < u.tk; j = j + ${ROW_WORKGROUP}u) { ${body} }`;
/** `for (var d = li; d < u.dh; d += threads) { body }` over a head's features. */
export const eachFeature = (body: string) => `for (var d = li; d < u.dh; d = d + ${ROW_WORKGROUP}u) { ${body} }`;

/**
 * The forward program; `headSplit`: keys and values in the KV cache's `[B*H,Tk,dh]` layout
 * (`EcodeCachedAttention`).
 */
export const attentionCode = (masked: boolean, headSplit: boolean) => /* wgsl */ `
${ATTENTION_UNIFORMS}
${declareBuffers(
  [['q', 'f32'], ['k', 'f32'], ['v', 'f32'], ...(masked ? [['mask', 'f32'] as [string, 'f32']] : [])],
  ['out', 'y'],
)}
${ROW_REDUCE}
${rowMain(`${queryRow(headSplit)}
    ${masked ? 'let mo = ((bi % u.maskBatch) * u.maskRows + select(i, 0u, u.maskRows == 1u)) * u.tk;' : ''}
    var m = bitcast<f32>(0xff7fffffu); // -FLT_MAX
    ${eachKey(`
      var s = 0.0;
      for (var d = 0u; d < u.dh; d = d + 1u) { s = s + (q[qo + d] * u.scale) * k[kb + j * ks + d]; }
      ${masked ? 's = s + mask[mo + j];' : ''}
      y[yo + j] = s;
      m = max(m, s);`)}
    let mx = wgMax(m, li);
    var sum = 0.0;
    ${eachKey('let e = exp(y[yo + j] - mx); y[yo + j] = e; sum = sum + e;')}
    let inv = 1.0 / wgSum(sum, li);
    ${eachKey('y[yo + j] = y[yo + j] * inv;')}
    storageBarrier();
    ${eachFeature(`
      var acc = 0.0;
      for (var j = 0u; j < u.tk; j = j + 1u) { acc = acc + y[yo + j] * dropMultiplier(yo + j) * v[kb + j * ks + d]; }
      out[qo + d] = acc;`)}`)}`;

/**
 * Sizes of an attention call, checked: q `[B,Tq,D]`, k and v `[B,Tk,D]` (with `headSplit`
 * `[B*H,Tk,D/H]`), bias `[B|1,1,Tq|1,Tk]`.
 */
export function attentionShape(
  kernel: string,
  q: tf.TensorInfo,
  k: tf.TensorInfo,
  v: tf.TensorInfo,
  heads: number,
  bias?: tf.TensorInfo,
  headSplit = false,
): { b: number; tq: number; tk: number; dh: number } {
  const [b, tq, dm] = q.shape;
  const tk = k.shape[1];
  if (!(Number.isInteger(heads) && heads > 0 && dm % heads === 0))
    throw new Error(`${kernel}: ${heads} heads do not divide the feature size ${dm} of q [${q.shape}]`);
  const [kvRows, kvWidth] = headSplit ? [b * heads, dm / heads] : [b, dm];
  const fits = (x: tf.TensorInfo) => x.shape.length === 3 && x.shape[0] === kvRows && x.shape[2] === kvWidth;
  if (q.shape.length !== 3 || !fits(k) || !fits(v) || v.shape[1] !== tk)
    throw new Error(
      `${kernel}: q [${q.shape}], k [${k.shape}], v [${v.shape}] are not [B,Tq,D], ${headSplit ? '[B*H,Tk,D/H] twice' : '[B,Tk,D], [B,Tk,D]'} (${heads} heads)`,
    );
  if (bias) {
    const [mb, m1, mq, mk] = bias.shape;
    if (bias.shape.length !== 4 || m1 !== 1 || mk !== tk || (mb !== b && mb !== 1) || (mq !== tq && mq !== 1))
      throw new Error(`${kernel}: bias [${bias.shape}] does not broadcast to [${b},1,${tq},${tk}] as [B|1,1,Tq|1,Tk]`);
  }
  return { b, tq, tk, dh: dm / heads };
}

/** The uniforms of `ATTENTION_UNIFORMS` (`rows` the dispatch's row count). */
export function attentionUniforms(
  kernel: string,
  rows: number,
  s: { tq: number; tk: number; dh: number },
  a: AttentionAttrs,
  bias?: tf.TensorInfo,
): FusedDispatch['uniforms'] {
  const u = (value: number) => ({ type: 'uint32' as const, value });
  return [
    ...[rows, s.tq, s.tk, a.heads, s.dh, bias?.shape[0] ?? 1, bias?.shape[2] ?? 1].map(u),
    { type: 'float32', value: a.scale },
    ...dropUniforms(kernel, a.rate, a.seed),
  ];
}

export const attentionConfig: KernelEntry = {
  kernelName: Attention,
  kernelFunc: ({ backend, inputs: { q, k, v, bias }, attrs }) => {
    const b = asWebgpu(backend);
    const a = attrs as unknown as AttentionAttrs;
    const s = attentionShape(Attention, q!, k!, v!, a.heads, bias);
    const rows = s.b * a.heads * s.tq;
    return dispatchFused(b, {
      key: `${Attention}${bias ? 'Masked' : ''}`,
      code: () => attentionCode(bias !== undefined, false),
      inputs: bias ? [q!, k!, v!, bias] : [q!, k!, v!],
      outputs: [
        { shape: q!.shape, dtype: 'float32' },
        { shape: [s.b, a.heads, s.tq, s.tk], dtype: 'float32' },
      ],
      uniforms: attentionUniforms(Attention, rows, s, a, bias),
      workgroups: rowGrid(b, rows),
    });
  },
};
