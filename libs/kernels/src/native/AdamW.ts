/**
 * One AdamW step as one native pass per variable over the wasm heap: reads p, m, v, g once and
 * writes the three new tensors, instead of ~10 tfjs kernels with a temporary each.
 */
import { AdamW } from '../names.js';
import type { KernelEntry } from '../registry.js';
import { asWasm, f32, offsetOf as at, sizeOf } from '../wasm-backend.js';
import { addon } from './addon.js';

export const adamWConfig: KernelEntry = {
  kernelName: AdamW,
  kernelFunc: (a) => {
    const b = asWasm(a.backend);
    const { param, expAvg, expAvgSq, grad, gradScale } = a.inputs;
    const c = a.attrs as Record<string, number>;
    const outs = [0, 1, 2].map(() => b.makeOutput(param!.shape, 'float32'));
    const scale = gradScale ? f32(b, gradScale)[0] : 1;
    addon().adamw(
      b.wasm.HEAPU8,
      at(b, param!),
      at(b, expAvg!),
      at(b, expAvgSq!),
      at(b, grad!),
      at(b, outs[0]),
      at(b, outs[1]),
      at(b, outs[2]),
      sizeOf(param!.shape),
      c.b1,
      c.oneMinusB1,
      c.b2,
      c.oneMinusB2,
      c.eps,
      c.bc2,
      c.negStep,
      c.decay,
      scale,
    );
    return outs;
  },
};
