/**
 * Global-norm gradient clipping, as `torch.nn.utils.clip_grad_norm_`: the total L2 norm over all
 * gradients, and a scale `min(1, maxNorm / (norm + 1e-6))` for every gradient. One `EcodeGlobalNorm`
 * kernel (or its composed reference); everything stays on the device (no read-back), which
 * matters on webgpu. `clipAndApply` is the training step's clip + AdamW update (no read-back either).
 */
import * as tf from '@tensorflow/tfjs';
import { Kernels as K, addMany, runKernel } from '@ecode/kernels';
import type { AdamW } from './optim-adamw.js';

export { addMany };

/**
 * The L2 norm of all gradients together and the clip factor for `maxNorm` (1 when `maxNorm` is
 * Infinity, 0 or less: no clipping), as scalar tensors.
 */
export function globalNorm(grads: Iterable<tf.Tensor>, maxNorm = Infinity): { norm: tf.Scalar; scale: tf.Scalar } {
  const inputs: Record<string, tf.Tensor> = {};
  let i = 0;
  for (const g of grads) inputs[String(i++)] = g;
  const clip = maxNorm > 0 && Number.isFinite(maxNorm) ? maxNorm : Infinity;
  const [norm, scale] = runKernel(K.GlobalNorm, inputs, { maxNorm: clip }) as tf.Scalar[];
  return { norm, scale };
}

/**
 * Returns clipped copies of `grads` (new tensors; the inputs are not disposed) and the norm before
 * clipping. `maxNorm` of Infinity or 0 or less disables clipping (the gradients are cloned).
 */
export function clipByGlobalNorm(
  grads: Map<string, tf.Tensor>,
  maxNorm: number,
): { grads: Map<string, tf.Tensor>; norm: tf.Scalar } {
  const { norm, scale } = globalNorm(grads.values(), maxNorm);
  const out = new Map<string, tf.Tensor>();
  const clip = maxNorm > 0 && Number.isFinite(maxNorm);
  for (const [k, g] of grads) out.set(k, clip ? tf.mul(g, scale) : tf.clone(g));
  scale.dispose();
  return { grads: out, norm };
}

/**
 * Clip and apply one step: the global norm of the summed gradients (from the sharded combination
 * when it came with one), the clip factor folded into AdamW's update (the same float32 product
 * `g * factor`), the gradients disposed. Returns `[loss, gradNorm]` (the step's loss, the sum of
 * the micro-batch losses, and the norm before clipping) as one tensor on the device: nothing is
 * read back, so a GPU step is only encoded; the loop reads the steps of a log interval at once.
 */
export function clipAndApply(
  optimizer: AdamW,
  step: { grads: Map<string, tf.Tensor>; losses: tf.Scalar[]; sumSq: number | null },
  lr: number,
  clipNorm: number,
): tf.Tensor1D {
  const clipping = clipNorm > 0 && Number.isFinite(clipNorm);
  let norm: tf.Scalar;
  let gradScale: number | tf.Scalar = 1;
  if (step.sumSq !== null) {
    const n2 = Math.sqrt(step.sumSq);
    if (clipping) gradScale = Math.min(1, clipNorm / (n2 + 1e-6));
    norm = tf.scalar(n2);
  } else {
    const r = globalNorm(step.grads.values(), clipNorm);
    norm = r.norm;
    if (clipping) gradScale = r.scale;
    else r.scale.dispose();
  }
  optimizer.apply(step.grads, lr, { gradScale });
  if (typeof gradScale !== 'number') gradScale.dispose();
  for (const g of step.grads.values()) g.dispose();
  const readout = tf.tidy(() => tf.stack([addMany(step.losses), norm]) as tf.Tensor1D);
  norm.dispose();
  for (const l of step.losses) l.dispose();
  return readout;
}
