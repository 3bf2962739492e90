/**
 * `GatherV2` along axis 0 with no batch dims (every embedding lookup) as row copies: the stock
 * kernel computes each element's address separately (~66 ns per element here, 17-28 ms per lookup
 * at the small shape). Anything else goes to the stock kernel.
 */
import type { KernelEntry } from '../registry.js';
import { asWasm, sizeOf } from '../wasm-backend.js';

export const gatherV2Config: KernelEntry = {
  kernelName: 'GatherV2',
  wrap: (stock) => (args) => {
    const backend = asWasm(args.backend);
    const x = args.inputs.x!;
    const indices = args.inputs.indices!;
    const axisAttr = args.attrs.axis as number | number[];
    const axis = Array.isArray(axisAttr) ? axisAttr[0] : axisAttr;
    const batchDims = (args.attrs.batchDims as number | undefined) ?? 0;
    const simple =
      (axis === 0 || axis === -x.shape.length) &&
      batchDims === 0 &&
      x.shape.length >= 1 &&
      (x.dtype === 'float32' || x.dtype === 'int32') &&
      indices.dtype === 'int32';
    if (!simple) return stock(args);
    const rows = x.shape[0];
    const row = sizeOf(x.shape.slice(1));
    const ids = backend.typedArrayFromHeap(indices) as Int32Array;
    for (let i = 0; i < ids.length; i++) {
      if (ids[i] < 0 || ids[i] >= rows)
        throw new Error(`GatherV2: the index value ${ids[i]} is not in [0, ${rows - 1}]`);
    }
    const out = backend.makeOutput([...indices.shape, ...x.shape.slice(1)], x.dtype);
    const xv = backend.typedArrayFromHeap(x) as Float32Array | Int32Array;
    const ov = backend.typedArrayFromHeap(out) as Float32Array | Int32Array;
    const iv = backend.typedArrayFromHeap(indices) as Int32Array;
    if (row === 1) for (let i = 0; i < iv.length; i++) ov[i] = xv[iv[i]];
    else for (let i = 0; i < iv.length; i++) ov.set(xv.subarray(iv[i] * row, iv[i] * row + row), i * row);
    return out;
  },
};
