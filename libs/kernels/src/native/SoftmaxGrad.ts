/** Softmax gradient over the last axis as one native loop. */
import { SoftmaxGrad } from '../names.js';
import type { KernelEntry } from '../registry.js';
import { asWasm, offsetOf as at, sizeOf } from '../wasm-backend.js';
import { addon } from './addon.js';

export const softmaxGradConfig: KernelEntry = {
  kernelName: SoftmaxGrad,
  kernelFunc: (a) => {
    const b = asWasm(a.backend);
    const { y, dy } = a.inputs as Record<'y' | 'dy', Parameters<typeof at>[1]>;
    const d = y.shape[y.shape.length - 1];
    const out = b.makeOutput(y.shape, 'float32');
    addon().softmaxGrad(b.wasm.HEAPU8, at(b, y), at(b, dy), at(b, out), sizeOf(y.shape) / d, d);
    return out;
  },
};
