/** gelu_new's gradient as one native loop. */
import { GeluNewGrad } from '../names.js';
import type { KernelEntry } from '../registry.js';
import { asWasm, offsetOf as at, sizeOf } from '../wasm-backend.js';
import { addon } from './addon.js';

export const geluNewGradConfig: KernelEntry = {
  kernelName: GeluNewGrad,
  kernelFunc: (a) => {
    const b = asWasm(a.backend);
    const { x, t, dy } = a.inputs as Record<'x' | 't' | 'dy', Parameters<typeof at>[1]>;
    const dx = b.makeOutput(x.shape, 'float32');
    addon().geluNewGrad(b.wasm.HEAPU8, at(b, x), at(b, t), at(b, dy), at(b, dx), sizeOf(x.shape));
    return dx;
  },
};
