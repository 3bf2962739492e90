/**
 * The attention gradient in two WebGPU dispatches, heads read and written in place in
 * `[B,T,H*dh]`:
 * 1. rows (one workgroup per query row of a head): `dp = dout . v` per key, times the dropout
 *    multiplier, the softmax gradient `ds = y (dp - sum(dp y))` (kept for dispatch 2), then
 *    `dq = scale (ds k)`;
 * 2. keys (a thread per key feature): `dk = sum_i ds (scale q)` and `dv = sum_i (y * dropout) dout`
 *    over the queries in order.
 * Outputs `[dq, dk, dv]`; `ds` (`[B,H,Tq,Tk]`) is freed after the dispatch that reads it.
 */
import { AttentionGrad, type AttentionAttrs } from '../names.js';
import type { KernelEntry } from '../registry.js';
import { sizeOf } from '../wasm-backend.js';
import {
  asWebgpu,
  declareBuffers,
  dispatchFused,
  flatLayout,
  flatMain,
  ROW_REDUCE,
  rowGrid,
  rowMain,
} from '../webgpu-backend.js';
import { ATTENTION_UNIFORMS, attentionShape, attentionUniforms, eachFeature, eachKey, queryRow } from './Attention.js';

const rowsCode = () => /* wgsl */ `
${ATTENTION_UNIFORMS}
${declareBuffers(
  [
    ['k', 'f32'],
    ['v', 'f32'],
    ['y', 'f32'],
    ['dout', 'f32'],
  ],
  ['ds', 'dq'],
)}
${ROW_REDUCE}
${rowMain(`${queryRow(false)}
    var dot = 0.0;
    ${eachKey(`
      var dp = 0.0;
      for (var d = 0u; d < u.dh; d = d + 1u) { dp = dp + dout[qo + d] * v[kb + j * ks + d]; }
      dp = dp * dropMultiplier(yo + j);
      ds[yo + j] = dp;
      dot = dot + dp * y[yo + j];`)}
    let total = wgSum(dot, li);
    ${eachKey('ds[yo + j] = y[yo + j] * (ds[yo + j] - total);')}
    storageBarrier();
    ${eachFeature(`
      var acc = 0.0;
      for (var j = 0u; j < u.tk; j = j + 1u) { acc = acc + ds[yo + j] * k[kb + j * ks + d]; }
      dq[qo + d] = acc * u.scale;`)}`)}`;

// Element i of dk / dv ([B,Tk,H*dh]): feature d of head h of key j of batch row bi.
const keysCode = () => /* wgsl */ `
${ATTENTION_UNIFORMS.replace('struct U { rows: u32,', 'struct U { n: u32, stride: u32, rows: u32,')}
${declareBuffers(
  [
    ['q', 'f32'],
    ['dout', 'f32'],
    ['y', 'f32'],
    ['ds', 'f32'],
  ],
  ['dk', 'dv'],
)}
${flatMain(`
    let dm = u.heads * u.dh;
    let f = i % dm;
    let h = f / u.dh;
    let j = (i / dm) % u.tk;
    let bi = i / (dm * u.tk);
    let e0 = ((bi * u.heads + h) * u.tq) * u.tk + j;
    let q0 = bi * u.tq * dm + f;
    var ak = 0.0;
    var av = 0.0;
    for (var t = 0u; t < u.tq; t = t + 1u) {
      let e = e0 + t * u.tk;
      let qo = q0 + t * dm;
      ak = ak + ds[e] * (q[qo] * u.scale);
      av = av + y[e] * dropMultiplier(e) * dout[qo];
    }
    dk[i] = ak;
    dv[i] = av;`)}`;

export const attentionGradConfig: KernelEntry = {
  kernelName: AttentionGrad,
  kernelFunc: ({ backend, inputs: { q, k, v, y, dy }, attrs }) => {
    const b = asWebgpu(backend);
    const a = attrs as unknown as AttentionAttrs;
    const s = attentionShape(AttentionGrad, q!, k!, v!, a.heads);
    const rows = s.b * a.heads * s.tq;
    if (sizeOf(y!.shape) !== rows * s.tk || sizeOf(dy!.shape) !== sizeOf(q!.shape))
      throw new Error(
        `${AttentionGrad}: y [${y!.shape}] or dy [${dy!.shape}] does not match q [${q!.shape}], k [${k!.shape}] with ${a.heads} heads`,
      );
    const [ds, dq] = dispatchFused(b, {
      key: `${AttentionGrad}Rows`,
      code: rowsCode,
      inputs: [k!, v!, y!, dy!],
      outputs: [
        { shape: y!.shape, dtype: 'float32' },
        { shape: q!.shape, dtype: 'float32' },
      ],
      uniforms: attentionUniforms(AttentionGrad, rows, s, a),
      workgroups: rowGrid(b, rows),
    });
    const flat = flatLayout(sizeOf(k!.shape));
    const [dk, dv] = dispatchFused(b, {
      key: `${AttentionGrad}Keys`,
      code: keysCode,
      inputs: [q!, dy!, y!, ds],
      outputs: [
        { shape: k!.shape, dtype: 'float32' },
        { shape: v!.shape, dtype: 'float32' },
      ],
      uniforms: [...flat.uniforms, ...attentionUniforms(AttentionGrad, rows, s, a)],
      workgroups: flat.workgroups,
    });
    // ds is an intermediate: freed once the submit that reads it is done.
    b.disposeData(ds.dataId);
    return [dq, dk, dv];
  },
};
