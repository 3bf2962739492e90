/** Exact GELU's gradient as one native loop. */
import { GeluGrad } from '../names.js';
import type { KernelEntry } from '../registry.js';
import { asWasm, offsetOf as at, sizeOf } from '../wasm-backend.js';
import { addon } from './addon.js';

export const geluGradConfig: KernelEntry = {
  kernelName: GeluGrad,
  kernelFunc: (a) => {
    const b = asWasm(a.backend);
    const { x, phi, dy } = a.inputs as Record<'x' | 'phi' | 'dy', Parameters<typeof at>[1]>;
    const dx = b.makeOutput(x.shape, 'float32');
    addon().geluGrad(b.wasm.HEAPU8, at(b, x), at(b, phi), at(b, dy), at(b, dx), sizeOf(x.shape));
    return dx;
  },
};
