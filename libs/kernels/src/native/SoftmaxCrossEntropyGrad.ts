/** The cross-entropy gradient as one native loop (the forward stays the portable kernel). */
import { SoftmaxCrossEntropyGrad } from '../names.js';
import type { KernelEntry } from '../registry.js';
import { asWasm, offsetOf as at } from '../wasm-backend.js';
import { addon } from './addon.js';

export const softmaxCrossEntropyGradConfig: KernelEntry = {
  kernelName: SoftmaxCrossEntropyGrad,
  kernelFunc: (a) => {
    const b = asWasm(a.backend);
    const { probs, targets, mask, dy } = a.inputs as Record<
      'probs' | 'targets' | 'mask' | 'dy',
      Parameters<typeof at>[1]
    >;
    const [n, v] = probs.shape;
    const out = b.makeOutput([n, v], 'float32');
    addon().xentGrad(b.wasm.HEAPU8, at(b, probs), at(b, targets), at(b, mask), at(b, dy), at(b, out), n, v);
    return out;
  },
};
