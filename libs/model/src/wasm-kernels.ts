/**
 * Kernels registered on the tfjs `wasm` backend:
 * - `UnsortedSegmentSum` (missing from tfjs-backend-wasm 4.22; the gather gradient of every
 *   embedding needs it): a scatter-add over the wasm heap.
 * - `Identity` and same-dtype `Cast` without a copy (sharing the data with a reference count, as
 *   `Reshape` and the cpu backend do). tfjs clones every tensor it saves for the backward pass
 *   through `Identity`, so on stock wasm each forward op copies its inputs (weights included).
 * - `EcodeBatchMatMul`: a rank-3 batched matmul that runs each batch entry through wasm's fast 2-D
 *   XNNPACK path on zero-copy views of the operands (the stock batched kernel takes a naive loop,
 *   about 4x slower for attention shapes); with the native BLAS addon, one batched sgemm instead.
 * - `GatherV2` along axis 0 (every embedding lookup) as row copies: the stock kernel computes each
 *   element's address separately (~66 ns per element here, 17-28 ms per lookup at the small shape).
 */
import * as tf from '@tensorflow/tfjs';
import { registerFusedKernels } from './fused-kernels.js';
import { nativeBatchMatMulViews } from './native.js';

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

/**
 * Replaces a stock wasm kernel with `wrap(stock)`, keeping the stock setup (which binds the wasm
 * function that other kernels call too). Nothing happens when the stock kernel is absent.
 */
function wrapStockKernel(name: string, wrap: (stock: tf.KernelFunc) => unknown): void {
  const stock = tf.getKernel(name, 'wasm');
  if (!stock) return;
  tf.unregisterKernel(name, 'wasm');
  tf.registerKernel({
    kernelName: name,
    backendName: 'wasm',
    kernelFunc: wrap(stock.kernelFunc) as tf.KernelFunc,
    setupFunc: stock.setupFunc,
  });
}

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
  // OpenBLAS when the native addon is active: one batched sgemm call (native.ts).
  const native = nativeBatchMatMulViews({ ...args, attrs: {} });
  if (native) return native;
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

/**
 * A transpose that swaps two adjacent groups of axes, [batch, A, B, inner] -> [batch, B, A, inner]
 * (every transpose the models do: 2-D, [0,2,1], [0,2,1,3], ...), or null for other perms.
 */
export function blockSwapOf(
  shape: number[],
  perm: number[],
): { batch: number; a: number; b: number; inner: number } | null {
  const n = perm.length;
  let p = 0;
  while (p < n && perm[p] === p) p++;
  if (p === n) return null;
  const q = perm[p];
  const width = q - p;
  // perm = [0..p-1, q..r-1, p..q-1, r..n-1]
  let r = q;
  while (r < n && perm[p + (r - q)] === r) r++;
  for (let i = 0; i < width; i++) if (perm[p + (r - q) + i] !== p + i) return null;
  for (let i = r; i < n; i++) if (perm[i] !== i) return null;
  const prod = (from: number, to: number) => shape.slice(from, to).reduce((x, y) => x * y, 1);
  return { batch: prod(0, p), a: prod(p, q), b: prod(q, r), inner: prod(r, n) };
}

/**
 * tfjs-wasm's Transpose takes ~0.9 ns/element here, but 4-16 ns when the output row stride is a
 * multiple of 1 KiB (cache-set aliasing: [1024, 256], [512, 256], [256, 1024], [4096, 256]), which
 * is exactly the weight and activation shapes of the models. Those (2-D and batched 2-D) go
 * through 32 x 32 tiles in JS instead (~2.3 ns/element); everything else to the stock kernel.
 */
function transposeKernel(
  stock: tf.KernelFunc,
): (args: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs: tf.NamedAttrMap }) => tf.TensorInfo {
  return (args) => {
    const backend = args.backend as WasmBackendLike;
    const x = args.inputs.x as tf.TensorInfo;
    const perm = args.attrs.perm as number[];
    const swap = x.dtype === 'float32' ? blockSwapOf(x.shape, perm) : null;
    if (!swap || swap.inner !== 1 || swap.a % 256 !== 0)
      return stock(args as unknown as Parameters<tf.KernelFunc>[0]) as tf.TensorInfo;
    const out = backend.makeOutput(
      perm.map((i) => x.shape[i]),
      x.dtype,
    );
    const xv = backend.typedArrayFromHeap(x);
    const ov = backend.typedArrayFromHeap(out);
    const { batch, a, b } = swap;
    const plane = a * b;
    const xf = xv as Float32Array;
    const of = ov as Float32Array;
    const T = 32;
    for (let n = 0; n < batch; n++) {
      const base = n * plane;
      for (let i0 = 0; i0 < a; i0 += T) {
        const i1 = Math.min(a, i0 + T);
        for (let j0 = 0; j0 < b; j0 += T) {
          const j1 = Math.min(b, j0 + T);
          for (let j = j0; j < j1; j++) {
            const o = base + j * a;
            for (let i = i0; i < i1; i++) of[o + i] = xf[base + i * b + j];
          }
        }
      }
    }
    return out;
  };
}

/** `GatherV2` with axis 0 and no batch dims (embedding lookups) as row copies; else the stock kernel. */
function gatherKernel(
  stock: tf.KernelFunc,
): (args: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs: tf.NamedAttrMap }) => tf.TensorInfo {
  return (args) => {
    const backend = args.backend as WasmBackendLike;
    const x = args.inputs.x as tf.TensorInfo;
    const indices = args.inputs.indices as tf.TensorInfo;
    const axisAttr = args.attrs.axis as number | number[];
    const axis = Array.isArray(axisAttr) ? axisAttr[0] : axisAttr;
    const batchDims = (args.attrs.batchDims as number | undefined) ?? 0;
    const simple =
      (axis === 0 || axis === -x.shape.length) &&
      batchDims === 0 &&
      x.shape.length >= 1 &&
      (x.dtype === 'float32' || x.dtype === 'int32') &&
      indices.dtype === 'int32';
    if (!simple) return stock(args as unknown as Parameters<tf.KernelFunc>[0]) as tf.TensorInfo;
    const rows = x.shape[0];
    const row = x.shape.slice(1).reduce((a, b) => a * b, 1);
    const ids = backend.typedArrayFromHeap(indices) as Int32Array;
    for (let i = 0; i < ids.length; i++) {
      if (ids[i] < 0 || ids[i] >= rows)
        throw new Error(`GatherV2: the index value ${ids[i]} is not in [0, ${rows - 1}]`);
    }
    const out = backend.makeOutput([...indices.shape, ...x.shape.slice(1)], x.dtype);
    // Views after makeOutput: an allocation may grow (and detach) the heap buffer.
    const xv = backend.typedArrayFromHeap(x) as Float32Array | Int32Array;
    const ov = backend.typedArrayFromHeap(out) as Float32Array | Int32Array;
    const iv = backend.typedArrayFromHeap(indices) as Int32Array;
    if (row === 1) for (let i = 0; i < iv.length; i++) ov[i] = xv[iv[i]];
    else for (let i = 0; i < iv.length; i++) ov.set(xv.subarray(iv[i] * row, iv[i] * row + row), i * row);
    return out;
  };
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
  // Cast to the same dtype shares the data instead of copying it.
  wrapStockKernel(
    'Cast',
    (stock) => (a: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs: tf.NamedAttrMap }) => {
      const x = a.inputs.x as tf.TensorInfo;
      if (a.attrs.dtype === x.dtype) return shareData(a.backend as WasmBackendLike, x);
      return stock(a as unknown as Parameters<tf.KernelFunc>[0]);
    },
  );
  // The stock kernels bind their wasm functions in setup (other kernels call them too): kept.
  wrapStockKernel('Transpose', transposeKernel);
  wrapStockKernel('GatherV2', gatherKernel);
  tf.registerKernel({
    kernelName: ECODE_BATCH_MATMUL,
    backendName: 'wasm',
    kernelFunc: batchMatMulViews as unknown as tf.KernelFunc,
  });
}
