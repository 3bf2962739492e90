/**
 * The global L2 norm of the gradients and the clip factor `min(1, maxNorm / (norm + 1e-6))`:
 * one native pass per gradient (float64 sums in a fixed order: the same value every run, no
 * temporaries), both computed in float64 and stored as float32 scalars.
 */
import { GlobalNorm } from '../names.js';
import type { KernelEntry } from '../registry.js';
import { asWasm, f32, offsetOf as at, sizeOf } from '../wasm-backend.js';
import { addon } from './addon.js';

export const globalNormConfig: KernelEntry = {
  kernelName: GlobalNorm,
  kernelFunc: (a) => {
    const b = asWasm(a.backend);
    const nk = addon();
    let sum = 0;
    for (const [name, g] of Object.entries(a.inputs)) {
      if (g!.dtype !== 'float32') throw new Error(`${GlobalNorm}: gradient ${name} is ${g!.dtype}, expected float32`);
      sum += nk.sumSquares(b.wasm.HEAPU8, at(b, g!), sizeOf(g!.shape));
    }
    const norm = b.makeOutput([], 'float32');
    const scale = b.makeOutput([], 'float32');
    const n2 = Math.sqrt(sum);
    f32(b, norm)[0] = n2;
    f32(b, scale)[0] = Math.min(1, (a.attrs.maxNorm as number) / (n2 + 1e-6));
    return [norm, scale];
  },
};
