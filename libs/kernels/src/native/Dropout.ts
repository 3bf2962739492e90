/** Inverted dropout as one native loop (the same mulberry32 stream as the portable kernel). */
import { Dropout } from '../names.js';
import type { KernelEntry } from '../registry.js';
import { asWasm, offsetOf as at, sizeOf } from '../wasm-backend.js';
import { addon } from './addon.js';

export const dropoutConfig: KernelEntry = {
  kernelName: Dropout,
  kernelFunc: (a) => {
    const b = asWasm(a.backend);
    const x = a.inputs.x!;
    const y = b.makeOutput(x.shape, 'float32');
    const s = b.makeOutput(x.shape, 'float32');
    const seed = (a.attrs.seed as number) >>> 0;
    addon().dropout(b.wasm.HEAPU8, at(b, x), at(b, y), at(b, s), sizeOf(x.shape), a.attrs.rate as number, seed);
    return [y, s];
  },
};
