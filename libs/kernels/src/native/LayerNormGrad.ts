/** Layer-norm gradient as one native loop: outputs dx, dgamma, dbeta. */
import { LayerNormGrad } from '../names.js';
import type { KernelEntry } from '../registry.js';
import { asWasm, offsetOf as at, sizeOf } from '../wasm-backend.js';
import { addon } from './addon.js';

export const layerNormGradConfig: KernelEntry = {
  kernelName: LayerNormGrad,
  kernelFunc: (a) => {
    const b = asWasm(a.backend);
    const { xhat, rstd, gamma, dy } = a.inputs as Record<'xhat' | 'rstd' | 'gamma' | 'dy', Parameters<typeof at>[1]>;
    const d = xhat.shape[xhat.shape.length - 1];
    const rows = sizeOf(xhat.shape) / d;
    const dx = b.makeOutput(xhat.shape, 'float32');
    const dg = b.makeOutput([d], 'float32');
    const db = b.makeOutput([d], 'float32');
    const h = b.wasm.HEAPU8;
    addon().layerNormGrad(
      h,
      at(b, xhat),
      at(b, rstd),
      at(b, gamma),
      at(b, dy),
      at(b, dx),
      at(b, dg),
      at(b, db),
      rows,
      d,
    );
    return [dx, dg, db];
  },
};
