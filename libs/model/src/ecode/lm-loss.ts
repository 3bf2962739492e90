/** Next-token cross-entropy with ignored labels, as batch mean and per-sample mean. */
import * as tf from '@tensorflow/tfjs';
import { sparseCrossEntropy } from '../blocks/ops.js';

/** Targets per row and position; -1 means "no label here". */
export type Targets = number[][];

/**
 * Token negative log-likelihoods `[B,T]` (0 where the target is -1) and the label mask.
 * `logits` is `[B,T,V]`.
 */
export function tokenNll(
  logits: tf.Tensor3D,
  targets: Targets,
): { nll: tf.Tensor2D; mask: tf.Tensor2D; counts: number[] } {
  const [b, t, v] = logits.shape;
  const idx = new Int32Array(b * t);
  const mask = new Float32Array(b * t);
  const counts = new Array<number>(b).fill(0);
  for (let r = 0; r < b; r++) {
    for (let i = 0; i < t; i++) {
      const y = targets[r][i] ?? -1;
      const n = r * t + i;
      if (y >= 0) {
        if (y >= v) throw new Error(`loss: label ${y} at row ${r}, position ${i} is outside the vocabulary of ${v}`);
        idx[n] = y;
        mask[n] = 1;
        counts[r]++;
      }
    }
  }
  return tf.tidy(() => {
    const nll = sparseCrossEntropy(tf.reshape(logits, [b * t, v]) as tf.Tensor2D, idx, mask);
    return { nll: tf.reshape(nll, [b, t]) as tf.Tensor2D, mask: tf.tensor2d(mask, [b, t]), counts };
  });
}

/** Mean over all labelled tokens of the batch. */
export function meanLoss(logits: tf.Tensor3D, targets: Targets): { loss: tf.Scalar; tokens: number } {
  const { nll, mask, counts } = tokenNll(logits, targets);
  const tokens = counts.reduce((a, c) => a + c, 0);
  const loss = tf.tidy(() => tf.div(tf.sum(nll), Math.max(tokens, 1)) as tf.Scalar);
  nll.dispose();
  mask.dispose();
  return { loss, tokens };
}

/** Per-row mean over labelled tokens (0 for a row without labels). */
export function perRowLoss(logits: tf.Tensor3D, targets: Targets): tf.Tensor1D {
  const { nll, mask, counts } = tokenNll(logits, targets);
  const out = tf.tidy(() => tf.div(tf.sum(nll, 1), tf.tensor1d(counts.map((c) => Math.max(c, 1)))) as tf.Tensor1D);
  nll.dispose();
  mask.dispose();
  return out;
}
