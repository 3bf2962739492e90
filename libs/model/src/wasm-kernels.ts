/**
 * Kernels registered on the tfjs `wasm` backend:
 * - `UnsortedSegmentSum` (missing from tfjs-backend-wasm 4.22; the gather gradient of every
 *   embedding needs it): a scatter-add over the wasm heap.
 * - `Identity` and same-dtype `Cast` without a copy (sharing the data with a reference count, as
 *   `Reshape` and the cpu backend do). tfjs clones every tensor it saves for the backward pass
 *   through `Identity`, so on stock wasm each forward op copies its inputs (weights included).
 * - `EcodeBatchMatMul`: a rank-3 batched matmul that runs each batch entry through wasm's fast 2-D
 *   XNNPACK path on zero-copy views of the operands (the stock batched kernel takes a naive loop,
 *   about 4x slower for attention shapes).
 */
import * as tf from '@tensorflow/tfjs';
import { registerFusedKernels } from './fused-kernels.js';

/** The parts of tfjs-backend-wasm's BackendWasm used here (internal API of tfjs 4.22). */
interface WasmTensorData {
  id: number;
  memoryOffset: number;
}
interface WasmBackendLike {
  incRef(dataId: object): void;
  dataIdMap: { get(dataId: object): WasmTensorData };
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(t: tf.TensorInfo): Float32Array | Int32Array | Uint8Array;
  wasm: {
    cwrap(name: string, ret: null, args: string[]): (...a: unknown[]) => void;
    tfjs: { registerTensor(id: number, size: number, offset: number): void; disposeData(id: number): void };
  };
}

export const ECODE_BATCH_MATMUL = 'EcodeBatchMatMul';

let registered = false;
let rawBatchMatMul: ((...a: unknown[]) => void) | null = null;
/** Ids for view tensors, far above the backend's own counter. */
let nextViewId = 2 ** 30;

function unsortedSegmentSum(args: {
  inputs: tf.NamedTensorInfoMap;
  backend: unknown;
  attrs: tf.NamedAttrMap;
}): tf.TensorInfo {
  const backend = args.backend as WasmBackendLike;
  const x = args.inputs.x as tf.TensorInfo;
  const ids = args.inputs.segmentIds as tf.TensorInfo;
  const numSegments = args.attrs.numSegments as number;
  if (x.dtype !== 'float32') throw new Error(`UnsortedSegmentSum (wasm): only float32 is supported, got ${x.dtype}`);
  const idCount = ids.shape.reduce((a, b) => a * b, 1);
  const inner = x.shape.slice(ids.shape.length).reduce((a, b) => a * b, 1);
  const outShape = [numSegments, ...x.shape.slice(ids.shape.length)];
  const out = backend.makeOutput(outShape, 'float32');
  // Views after makeOutput: an allocation may grow (and detach) the heap buffer.
  const xv = backend.typedArrayFromHeap(x) as Float32Array;
  const iv = backend.typedArrayFromHeap(ids);
  const ov = backend.typedArrayFromHeap(out) as Float32Array;
  ov.fill(0);
  for (let i = 0; i < idCount; i++) {
    const s = iv[i];
    if (s < 0 || s >= numSegments) continue;
    const src = i * inner;
    const dst = s * inner;
    for (let j = 0; j < inner; j++) ov[dst + j] += xv[src + j];
  }
  return out;
}

function batchMatMulViews(args: { inputs: tf.NamedTensorInfoMap; backend: unknown }): tf.TensorInfo {
  const backend = args.backend as WasmBackendLike;
  const a = args.inputs.a as tf.TensorInfo;
  const b = args.inputs.b as tf.TensorInfo;
  const [g, m, k] = a.shape;
  const [gb, kb, n] = b.shape;
  if (a.shape.length !== 3 || b.shape.length !== 3 || g !== gb || k !== kb) {
    throw new Error(`${ECODE_BATCH_MATMUL}: expected [G,M,K] x [G,K,N], got [${a.shape}] x [${b.shape}]`);
  }
  if (rawBatchMatMul === null) {
    rawBatchMatMul = backend.wasm.cwrap('BatchMatMul', null, [
      'number',
      'array',
      'number',
      'number',
      'array',
      'number',
      'number',
      'number',
      'number',
    ]);
  }
  const out = backend.makeOutput([g, m, n], 'float32');
  const ao = backend.dataIdMap.get(a.dataId).memoryOffset;
  const bo = backend.dataIdMap.get(b.dataId).memoryOffset;
  const oo = backend.dataIdMap.get(out.dataId).memoryOffset;
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

function shareData(backend: WasmBackendLike, x: tf.TensorInfo): tf.TensorInfo {
  backend.incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
}

/** Registers the wasm kernels above (idempotent). Call after importing tfjs-backend-wasm. */
export function registerWasmKernels(): void {
  if (registered) return;
  registered = true;
  registerFusedKernels();
  if (!tf.getKernel('UnsortedSegmentSum', 'wasm')) {
    tf.registerKernel({
      kernelName: 'UnsortedSegmentSum',
      backendName: 'wasm',
      kernelFunc: unsortedSegmentSum as unknown as tf.KernelFunc,
    });
  }
  // Tensors are immutable (a Variable's assign swaps its data id), so sharing data is safe.
  tf.unregisterKernel('Identity', 'wasm');
  tf.registerKernel({
    kernelName: 'Identity',
    backendName: 'wasm',
    kernelFunc: ((a: { inputs: tf.NamedTensorInfoMap; backend: unknown }) =>
      shareData(a.backend as WasmBackendLike, a.inputs.x as tf.TensorInfo)) as unknown as tf.KernelFunc,
  });
  const stockCast = tf.getKernel('Cast', 'wasm');
  if (stockCast) {
    tf.unregisterKernel('Cast', 'wasm');
    tf.registerKernel({
      kernelName: 'Cast',
      backendName: 'wasm',
      kernelFunc: ((a: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs: tf.NamedAttrMap }) => {
        const x = a.inputs.x as tf.TensorInfo;
        if (a.attrs.dtype === x.dtype) return shareData(a.backend as WasmBackendLike, x);
        return stockCast.kernelFunc(a as unknown as Parameters<tf.KernelFunc>[0]);
      }) as unknown as tf.KernelFunc,
    });
  }
  tf.registerKernel({
    kernelName: ECODE_BATCH_MATMUL,
    backendName: 'wasm',
    kernelFunc: batchMatMulViews as unknown as tf.KernelFunc,
  });
}
