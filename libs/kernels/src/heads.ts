/**
 * Multi-head attention's head split and merge (exact: reshapes and transposes only), shared by the
 * attention kernel's composed reference and the model's decoding path.
 */
import * as tf from '@tensorflow/tfjs';

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

/** `[B*H, dh, T]` (keys transposed per head) -> `[B, T, H*dh]`: the inverse of `splitHeadsT`. */
export function mergeHeadsT(x: tf.Tensor, batch: number, heads: number): tf.Tensor3D {
  const [, dh, t] = x.shape;
  return tf.reshape(tf.transpose(tf.reshape(x, [batch, heads, dh, t]), [0, 3, 1, 2]), [batch, t, heads * dh]);
}
