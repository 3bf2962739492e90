/**
 * Global-norm gradient clipping, as `torch.nn.utils.clip_grad_norm_`: the total L2 norm over all
 * gradients, and a scale `min(1, maxNorm / (norm + 1e-6))` for every gradient. One `EcodeGlobalNorm`
 * kernel (or its composed reference); everything stays on the device (no read-back), which
 * matters on webgpu.
 */
import * as tf from '@tensorflow/tfjs';
import { Kernels as K, addMany, runKernel } from '@ecode/kernels';

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
