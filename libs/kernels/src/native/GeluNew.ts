/** gelu_new as one native loop: outputs y and t = tanh(c (x + 0.044715 x^3)). */
import { GeluNew } from '../names.js';
import type { KernelEntry } from '../registry.js';
import { asWasm, offsetOf as at, sizeOf } from '../wasm-backend.js';
import { addon } from './addon.js';

export const geluNewConfig: KernelEntry = {
  kernelName: GeluNew,
  kernelFunc: (a) => {
    const b = asWasm(a.backend);
    const x = a.inputs.x!;
    const y = b.makeOutput(x.shape, 'float32');
    const t = b.makeOutput(x.shape, 'float32');
    addon().geluNew(b.wasm.HEAPU8, at(b, x), at(b, y), at(b, t), sizeOf(x.shape));
    return [y, t];
  },
};
