/** `(probs - onehot(targets)) * mask * dy` in one WebGPU dispatch (element-wise, the row by index). */
import { SoftmaxCrossEntropyGrad } from '../names.js';
import type { KernelEntry } from '../registry.js';
import { sizeOf } from '../wasm-backend.js';
import { asWebgpu, declareBuffers, dispatchFused, flatLayout, flatMain } from '../webgpu-backend.js';

const code = () => /* wgsl */ `
struct U { n: u32, stride: u32, v: u32 };
${declareBuffers(
  [
    ['probs', 'f32'],
    ['targets', 'i32'],
    ['mask', 'f32'],
    ['dy', 'f32'],
  ],
  ['dlogits'],
)}
${flatMain(`
    let r = i / u.v;
    let hit = select(0.0, 1.0, i32(i % u.v) == targets[r]);
    dlogits[i] = (probs[i] - hit) * (dy[r] * mask[r]);`)}`;

export const softmaxCrossEntropyGradConfig: KernelEntry = {
  kernelName: SoftmaxCrossEntropyGrad,
  kernelFunc: ({ backend, inputs: { probs, targets, mask, dy } }) => {
    const flat = flatLayout(sizeOf(probs!.shape));
    return dispatchFused(asWebgpu(backend), {
      key: SoftmaxCrossEntropyGrad,
      code,
      inputs: [probs!, targets!, mask!, dy!],
      outputs: [{ shape: probs!.shape, dtype: 'float32' }],
      uniforms: [...flat.uniforms, { type: 'uint32', value: probs!.shape[1] }],
      workgroups: flat.workgroups,
    })[0];
  },
};
