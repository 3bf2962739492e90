/** Layer norm over the last axis as one native loop: outputs y, xhat and rstd (per row). */
import { LayerNorm } from '../names.js';
import type { KernelEntry } from '../registry.js';
import { asWasm, offsetOf as at, sizeOf } from '../wasm-backend.js';
import { addon } from './addon.js';

export const layerNormConfig: KernelEntry = {
  kernelName: LayerNorm,
  kernelFunc: (a) => {
    const b = asWasm(a.backend);
    const { x, gamma, beta } = a.inputs as Record<'x' | 'gamma' | 'beta', Parameters<typeof at>[1]>;
    const d = x.shape[x.shape.length - 1];
    const rows = sizeOf(x.shape) / d;
    const y = b.makeOutput(x.shape, 'float32');
    const xh = b.makeOutput(x.shape, 'float32');
    const rs = b.makeOutput([rows], 'float32');
    const eps = a.attrs.eps as number;
    addon().layerNorm(b.wasm.HEAPU8, at(b, x), at(b, gamma), at(b, beta), at(b, y), at(b, xh), at(b, rs), rows, d, eps);
    return [y, xh, rs];
  },
};
