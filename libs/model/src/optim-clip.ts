/**
 * Global-norm gradient clipping, as `torch.nn.utils.clip_grad_norm_`: the total L2 norm over all
 * gradients, and a scale `min(1, maxNorm / (norm + 1e-6))` applied to every gradient. Everything
 * stays on the device (no read-back), which matters on webgpu.
 */
import * as tf from '@tensorflow/tfjs';

/** The L2 norm of all gradients together, as a scalar tensor. */
export function globalNorm(grads: Iterable<tf.Tensor>): tf.Scalar {
  return tf.tidy(() => {
    const squares = [...grads].map((g) => tf.sum(tf.square(g)));
    if (squares.length === 0) return tf.scalar(0);
    return tf.sqrt(addMany(squares)) as tf.Scalar;
  });
}

/**
 * Sum of many same-shape tensors. `tf.addN` over hundreds of inputs fails on webgpu (one shader
 * may bind at most 8 storage buffers, and tfjs 4.22 does not split AddN), so add in groups of 7.
 */
export function addMany(xs: tf.Tensor[]): tf.Tensor {
  let level = xs;
  while (level.length > 1) {
    const next: tf.Tensor[] = [];
    for (let i = 0; i < level.length; i += 7) {
      const group = level.slice(i, i + 7);
      next.push(group.length === 1 ? group[0] : tf.addN(group));
    }
    level = next;
  }
  return level[0];
}

/**
 * Returns clipped copies of `grads` (new tensors; the inputs are not disposed) and the norm before
 * clipping. `maxNorm` of Infinity or 0 or less disables clipping (the gradients are cloned).
 */
export function clipByGlobalNorm(
  grads: Map<string, tf.Tensor>,
  maxNorm: number,
): { grads: Map<string, tf.Tensor>; norm: tf.Scalar } {
  const norm = globalNorm(grads.values());
  const out = new Map<string, tf.Tensor>();
  if (!(maxNorm > 0) || !Number.isFinite(maxNorm)) {
    for (const [k, g] of grads) out.set(k, tf.clone(g));
    return { grads: out, norm };
  }
  tf.tidy(() => {
    const coef = tf.minimum(tf.div(tf.scalar(maxNorm), tf.add(norm, tf.scalar(1e-6))), tf.scalar(1));
    for (const [k, g] of grads) out.set(k, tf.keep(tf.mul(g, coef)));
  });
  return { grads: out, norm };
}
