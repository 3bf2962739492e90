/**
 * `EcodeCachedAttention` on webgpu: the attention program of `EcodeAttention` (one dispatch, one
 * workgroup per query row of a head) reading the keys and values in the KV cache's head-split
 * `[B*H,Tk,dh]` layout, no dropout. The scores/probabilities buffer it needs is freed after the
 * dispatch. Outputs `out` `[B,Tq,H*dh]`.
 */
import { CachedAttention, type CachedAttentionAttrs } from '../names.js';
import type { KernelEntry } from '../registry.js';
import { asWebgpu, dispatchFused, rowGrid } from '../webgpu-backend.js';
import { attentionCode, attentionShape, attentionUniforms } from './Attention.js';

export const cachedAttentionConfig: KernelEntry = {
  kernelName: CachedAttention,
  kernelFunc: ({ backend, inputs: { q, k, v, bias }, attrs }) => {
    const b = asWebgpu(backend);
    const a = attrs as unknown as CachedAttentionAttrs;
    const s = attentionShape(CachedAttention, q!, k!, v!, a.heads, bias, true);
    const rows = s.b * a.heads * s.tq;
    const [out, y] = dispatchFused(b, {
      key: `${CachedAttention}${bias ? 'Masked' : ''}`,
      code: () => attentionCode(bias !== undefined, true),
      inputs: bias ? [q!, k!, v!, bias] : [q!, k!, v!],
      outputs: [
        { shape: q!.shape, dtype: 'float32' },
        { shape: [s.b, a.heads, s.tq, s.tk], dtype: 'float32' },
      ],
      uniforms: attentionUniforms(CachedAttention, rows, s, { ...a, rate: 0, seed: 0 }, bias),
      workgroups: rowGrid(b, rows),
    });
    // The probabilities are scratch here (no gradient): freed once the submit is done.
    b.disposeData(y.dataId);
    return out;
  },
};
