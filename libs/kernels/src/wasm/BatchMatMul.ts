/**
 * `EcodeBatchMatMul` (`[G,M,K] x [G,K,N]`): each batch entry through wasm's fast 2-D XNNPACK path
 * on zero-copy views of the operands (the stock batched kernel takes a naive loop, about 4x slower
 * for attention shapes).
 */
import type * as tf from '@tensorflow/tfjs';
import { BatchMatMul } from '../names.js';
import type { KernelEntry } from '../registry.js';
import { asWasm, offsetOf, type KernelArgs } from '../wasm-backend.js';

let rawBatchMatMul: ((...a: unknown[]) => void) | null = null;
/** Ids for view tensors, far above the backend's own counter. */
let nextViewId = 2 ** 30;

function batchMatMulViews(args: KernelArgs<'a' | 'b'>): tf.TensorInfo {
  const backend = asWasm(args.backend);
  const a = args.inputs.a!;
  const b = args.inputs.b!;
  const [g, m, k] = a.shape;
  const [gb, kb, n] = b.shape;
  if (a.shape.length !== 3 || b.shape.length !== 3 || g !== gb || k !== kb) {
    throw new Error(`${BatchMatMul}: expected [G,M,K] x [G,K,N], got [${a.shape}] x [${b.shape}]`);
  }
  if (rawBatchMatMul === null) {
    const num = 'number';
    rawBatchMatMul = backend.wasm.cwrap('BatchMatMul', null, [num, 'array', num, num, 'array', num, num, num, num]);
  }
  const out = backend.makeOutput([g, m, n], 'float32');
  const ao = offsetOf(backend, a);
  const bo = offsetOf(backend, b);
  const oo = offsetOf(backend, out);
  const aShape = new Uint8Array(new Int32Array([1, m, k]).buffer);
  const bShape = new Uint8Array(new Int32Array([1, k, n]).buffer);
  const reg = backend.wasm.tfjs;
  for (let i = 0; i < g; i++) {
    const ia = nextViewId++;
    const ib = nextViewId++;
    const io = nextViewId++;
    reg.registerTensor(ia, m * k, ao + 4 * i * m * k);
    reg.registerTensor(ib, k * n, bo + 4 * i * k * n);
    reg.registerTensor(io, m * n, oo + 4 * i * m * n);
    rawBatchMatMul(ia, aShape, 3, ib, bShape, 3, false, false, io);
    // Forget the views (and any XNNPACK operator cached for them); the memory is not freed.
    reg.disposeData(ia);
    reg.disposeData(ib);
    reg.disposeData(io);
    if (nextViewId > 2 ** 31 - 8) nextViewId = 2 ** 30;
  }
  return out;
}

export const batchMatMulConfig: KernelEntry = {
  kernelName: BatchMatMul,
  kernelFunc: batchMatMulViews as KernelEntry['kernelFunc'],
};
