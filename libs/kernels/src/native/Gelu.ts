/** Exact GELU as one native loop: outputs y and phi = Phi(x). */
import { Gelu } from '../names.js';
import type { KernelEntry } from '../registry.js';
import { asWasm, offsetOf as at, sizeOf } from '../wasm-backend.js';
import { addon } from './addon.js';

export const geluConfig: KernelEntry = {
  kernelName: Gelu,
  kernelFunc: (a) => {
    const b = asWasm(a.backend);
    const x = a.inputs.x!;
    const y = b.makeOutput(x.shape, 'float32');
    const p = b.makeOutput(x.shape, 'float32');
    addon().gelu(b.wasm.HEAPU8, at(b, x), at(b, y), at(b, p), sizeOf(x.shape));
    return [y, p];
  },
};
