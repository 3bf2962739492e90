/**
 * Multi-head attention core shared by BERT, GPT-Neo and the cross attention: head split/merge,
 * additive masks (key padding, causal, local window) and the scaled product through `bmm`.
 */
import * as tf from '@tensorflow/tfjs';
import { bmm, bmmNoGrad, dropout, maskedSoftmax, SeedSequence } from './ops.js';

/** Additive mask value for disallowed positions (HF uses finfo.min; any huge negative works). */
export const MASKED = -1e9;

/** `[B,T,D]` -> `[B*H, T, dh]`. */
export function splitHeads(x: tf.Tensor, heads: number): tf.Tensor3D {
  const [b, t, d] = x.shape;
  const dh = d / heads;
  // With one position the transpose moves nothing: a reshape is enough (decoding steps).
  if (t === 1) return tf.reshape(x, [b * heads, 1, dh]);
  return tf.reshape(tf.transpose(tf.reshape(x, [b, t, heads, dh]), [0, 2, 1, 3]), [b * heads, t, dh]);
}

/** `[B,T,D]` -> keys transposed per head `[B*H, dh, T]`. */
export function splitHeadsT(x: tf.Tensor, heads: number): tf.Tensor3D {
  const [b, t, d] = x.shape;
  const dh = d / heads;
  return tf.reshape(tf.transpose(tf.reshape(x, [b, t, heads, dh]), [0, 2, 3, 1]), [b * heads, dh, t]);
}

/** `[B*H, T, dh]` -> `[B, T, H*dh]`. */
export function mergeHeads(x: tf.Tensor, batch: number, heads: number): tf.Tensor3D {
  const [, t, dh] = x.shape;
  if (t === 1) return tf.reshape(x, [batch, 1, heads * dh]);
  return tf.reshape(tf.transpose(tf.reshape(x, [batch, heads, t, dh]), [0, 2, 1, 3]), [batch, t, heads * dh]);
}

export interface AttendOptions {
  batch: number;
  heads: number;
  /** Additive bias broadcastable to `[B, 1, Tq, Tk]` (or null for none). */
  bias: tf.Tensor | null;
  dropoutRate?: number;
  training?: boolean;
  seeds?: SeedSequence;
  /** Skip gradient bookkeeping (inference). */
  noGrad?: boolean;
  /** Untransposed keys `[BH,Tk,dh]`; with a single query the scores are `k q^T`, so the (growing)
   * keys are never transposed or packed (incremental decoding). */
  keys?: tf.Tensor3D;
}

/** `softmax(q k^T + bias) v` over heads; q `[BH,Tq,dh]`, kT `[BH,dh,Tk]`, v `[BH,Tk,dh]`. */
export function attend(q: tf.Tensor3D, kT: tf.Tensor3D | null, v: tf.Tensor3D, o: AttendOptions): tf.Tensor3D {
  const mm = o.noGrad ? bmmNoGrad : bmm;
  const [bh, tq, dh] = q.shape;
  const tk = v.shape[1];
  let raw: tf.Tensor3D;
  if (tq === 1 && o.keys) raw = mm(o.keys, tf.reshape(q, [bh, dh, 1]) as tf.Tensor3D);
  else if (kT) raw = mm(q, kT);
  else if (o.keys) raw = mm(q, tf.transpose(o.keys, [0, 2, 1]) as tf.Tensor3D);
  else throw new Error('attend: give transposed keys or keys');
  const scores = tf.reshape(raw, [o.batch, o.heads, tq, tk]) as tf.Tensor4D;
  let probs: tf.Tensor = maskedSoftmax(scores, o.bias);
  if (o.training && o.dropoutRate && o.seeds) probs = dropout(probs, o.dropoutRate, true, o.seeds);
  return mm(tf.reshape(probs, [bh, tq, tk]) as tf.Tensor3D, v);
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
