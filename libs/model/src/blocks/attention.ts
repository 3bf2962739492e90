/**
 * Multi-head attention core shared by BERT, GPT-Neo and the cross attention: the attention kernel
 * (training, full forwards), the cached-attention kernel (incremental decoding over head-split
 * cached keys), additive masks (key padding, causal, local window).
 */
import * as tf from '@tensorflow/tfjs';
import { Kernels as K, runKernel } from '@ecode/kernels';
import type { SeedSequence } from './ops.js';

/** Additive mask value for disallowed positions (HF uses finfo.min; any huge negative works). */
export const MASKED = -1e9;

export { mergeHeads, splitHeads, splitHeadsT } from '@ecode/kernels';

export interface AttentionOptions {
  heads: number;
  /** Scale of the scores: 1 for GPT-Neo (no 1/sqrt(dh)), `1/sqrt(dh)` for BERT and the cross attention. */
  scale: number;
  /** Additive bias broadcastable to `[B, 1, Tq, Tk]` (or null for none). */
  bias: tf.Tensor | null;
  dropoutRate: number;
  training: boolean;
  seeds: SeedSequence;
}

/**
 * `softmax(scale q k^T + bias) v` over heads, heads split from and merged into the feature axis:
 * q `[B,Tq,D]`, k and v `[B,Tk,D]` -> `[B,Tq,D]`. One `EcodeAttention` kernel (a fused program
 * on webgpu; on wasm and cpu its reference, the ops the blocks composed before), its gradient
 * registered by name.
 */
export function attention(q: tf.Tensor3D, k: tf.Tensor3D, v: tf.Tensor3D, o: AttentionOptions): tf.Tensor3D {
  const rate = o.training && o.dropoutRate > 0 ? o.dropoutRate : 0;
  const attrs = { heads: o.heads, scale: o.scale, rate, seed: rate > 0 ? o.seeds.next() : 0 };
  return runKernel(K.Attention, { q, k, v, bias: o.bias ?? undefined }, attrs) as tf.Tensor3D;
}

/**
 * Attention of new queries `q [B,Tq,D]` over head-split cached keys and values `[B*H,Tk,dh]`
 * (decoding, no gradient) -> `[B,Tq,D]`: one `EcodeCachedAttention` kernel (a fused program on
 * webgpu; on wasm and cpu its reference: with one query the scores are `k q^T`, so the growing
 * keys are never transposed or packed). `kT` (keys transposed per head) serves `Tq > 1`.
 */
export function cachedAttention(
  q: tf.Tensor3D,
  k: tf.Tensor3D,
  v: tf.Tensor3D,
  o: { heads: number; scale: number; bias: tf.Tensor | null; kT?: tf.Tensor3D },
): tf.Tensor3D {
  const inputs = { q, k, v, kT: o.kT, bias: o.bias ?? undefined };
  return runKernel(K.CachedAttention, inputs, { heads: o.heads, scale: o.scale }) as tf.Tensor3D;
}

/** Key-padding bias `[B,1,1,Tk]` from per-row key validity (1 valid, 0 padding); null if all valid. */
export function keyPaddingBias(keyValid: ArrayLike<number>[]): tf.Tensor4D | null {
  if (keyValid.every((r) => Array.prototype.every.call(r, (v: number) => v !== 0))) return null;
  const b = keyValid.length;
  const tk = b ? keyValid[0].length : 0;
  const data = new Float32Array(b * tk);
  for (let i = 0; i < b; i++) for (let j = 0; j < tk; j++) data[i * tk + j] = keyValid[i][j] ? 0 : MASKED;
  return tf.tensor4d(data, [b, 1, 1, tk]);
}

/**
 * Causal bias `[B,1,Tq,Tk]`: query i of row r may see key j when the key is valid, its position is
 * not after the query's, and (local attention) `qPos - kPos < window`. Positions are logical token
 * positions per row, so left or right padding does not change what a real token sees.
 */
export function causalBias(
  qPos: ArrayLike<number>[],
  kPos: ArrayLike<number>[],
  keyValid: ArrayLike<number>[],
  window: number | null,
): tf.Tensor4D {
  const b = qPos.length;
  const tq = b ? qPos[0].length : 0;
  const tk = b ? kPos[0].length : 0;
  const data = new Float32Array(b * tq * tk);
  for (let r = 0; r < b; r++) {
    const qp = qPos[r];
    const kp = kPos[r];
    const kv = keyValid[r];
    for (let i = 0; i < tq; i++) {
      const base = (r * tq + i) * tk;
      for (let j = 0; j < tk; j++) {
        const ok = kv[j] && kp[j] <= qp[i] && (window === null || qp[i] - kp[j] < window);
        data[base + j] = ok ? 0 : MASKED;
      }
    }
  }
  return tf.tensor4d(data, [b, 1, tq, tk]);
}
