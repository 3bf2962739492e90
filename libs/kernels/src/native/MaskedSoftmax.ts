/** The attention mask added natively, then the stock SIMD Softmax. */
import { MaskedSoftmax } from '../names.js';
import type { KernelEntry } from '../registry.js';
import { offsetOf as at, type KernelArgs } from '../wasm-backend.js';
import { maskedSoftmaxWith } from '../wasm/MaskedSoftmax.js';
import { addon } from './addon.js';

export const maskedSoftmaxConfig: KernelEntry = {
  kernelName: MaskedSoftmax,
  kernelFunc: ((a: KernelArgs<'scores' | 'mask'>) =>
    maskedSoftmaxWith(a, (b, s, m, out) => {
      const [bs, h, tq, tk] = s.shape;
      addon().addMask(b.wasm.HEAPU8, at(b, s), at(b, m), at(b, out), bs, h, tq, tk, m.shape[2]);
    })) as KernelEntry['kernelFunc'],
};
