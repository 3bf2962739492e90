/**
 * The one description of tfjs-backend-wasm's internals (BackendWasm of tfjs 4.22, pinned) that the
 * wasm and native kernels use: output allocation, heap views and offsets, the raw wasm exports.
 *
 * Heap rule: an allocation (`makeOutput`) may grow the heap and detach earlier views, so take
 * views and offsets after the last allocation of a kernel. Never write into an existing tensor's
 * memory: tfjs-backend-wasm caches XNNPACK operators (with packed weights) by tensor id.
 */
import { getKernel } from '@tensorflow/tfjs';
import type * as tf from '@tensorflow/tfjs';

export interface WasmBackend {
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(t: tf.TensorInfo): Float32Array | Int32Array | Uint8Array;
  incRef(dataId: object): void;
  disposeData(dataId: object): void;
  dataIdMap: { get(dataId: object): { id: number; memoryOffset: number } };
  wasm: {
    HEAPU8: Uint8Array;
    cwrap(name: string, ret: null, args: string[]): (...a: unknown[]) => void;
    tfjs: { registerTensor(id: number, size: number, offset: number): void; disposeData(id: number): void };
  };
}

/** What tfjs passes a kernel function. */
export interface KernelArgs<I extends string = string> {
  inputs: Partial<Record<I, tf.TensorInfo>>;
  backend: unknown;
  attrs: tf.NamedAttrMap;
}

export const asWasm = (backend: unknown) => backend as WasmBackend;
/** Element count of a shape. */
export const sizeOf = (shape: number[]) => shape.reduce((a, b) => a * b, 1);
/** Float32 view of a tensor's data on the heap (valid until the next allocation). */
export const f32 = (b: WasmBackend, t: tf.TensorInfo) => b.typedArrayFromHeap(t) as Float32Array;
/** Int32 view of a tensor's data on the heap (valid until the next allocation). */
export const i32 = (b: WasmBackend, t: tf.TensorInfo) => b.typedArrayFromHeap(t) as Int32Array;
/** Byte offset of a tensor's data in the heap (stable when the heap grows). */
export const offsetOf = (b: WasmBackend, t: tf.TensorInfo) => b.dataIdMap.get(t.dataId).memoryOffset;
/** A new reference to `x`'s data (no copy), as `Reshape` and the cpu backend's `Identity` do. */
export function shareData(b: WasmBackend, x: tf.TensorInfo): tf.TensorInfo {
  b.incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
}

/** Runs the kernel registered on wasm under `name` (e.g. the stock `Sigmoid`) from inside a kernel. */
export function callWasmKernel(
  name: string,
  b: WasmBackend,
  inputs: Record<string, tf.TensorInfo>,
  attrs: tf.NamedAttrMap = {},
): tf.TensorInfo {
  const k = getKernel(name, 'wasm');
  if (!k) throw new Error(`${name}: no wasm kernel registered`);
  return k.kernelFunc({ inputs, backend: b as unknown as tf.KernelBackend, attrs }) as tf.TensorInfo;
}
