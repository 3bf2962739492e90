/** Column sums (bias gradients) as one native loop, float64 sums. */
import { ColumnSum } from '../names.js';
import type { KernelEntry } from '../registry.js';
import { asWasm, offsetOf as at, sizeOf } from '../wasm-backend.js';
import { addon } from './addon.js';

export const columnSumConfig: KernelEntry = {
  kernelName: ColumnSum,
  kernelFunc: (a) => {
    const b = asWasm(a.backend);
    const x = a.inputs.x!;
    const d = x.shape[x.shape.length - 1];
    const out = b.makeOutput([d], 'float32');
    addon().columnSum(b.wasm.HEAPU8, at(b, x), at(b, out), sizeOf(x.shape) / d, d);
    return out;
  },
};
