/** `Cast` to the same dtype shares the data instead of copying it; other casts go to the stock kernel. */
import type { KernelEntry } from '../registry.js';
import { asWasm, shareData } from '../wasm-backend.js';

export const castConfig: KernelEntry = {
  kernelName: 'Cast',
  wrap: (stock) => (a) => {
    const x = a.inputs.x!;
    return a.attrs.dtype === x.dtype ? shareData(asWasm(a.backend), x) : stock(a);
  },
};
