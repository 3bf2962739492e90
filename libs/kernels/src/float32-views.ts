/**
 * Copy-free access to float32 tensor data on the wasm backend (views on the wasm heap), with a
 * copying fallback for the other backends. Used where the training loop moves whole gradients and
 * weights (data-parallel shards): a fresh JS array per tensor costs a page fault per 4 KiB on first
 * touch, which on a VM is most of the time of such a copy.
 *
 * Never write into an existing tensor's memory (see wasm-backend.ts); results go to new tensors.
 */
import * as tf from '@tensorflow/tfjs';
import { asWasm, f32, type WasmBackend } from './wasm-backend.js';

function wasmBackend(): WasmBackend | null {
  return tf.getBackend() === 'wasm' ? asWasm(tf.backend()) : null;
}

/**
 * Calls `read` with the float32 values of each tensor in `tensors` (same order). On wasm the
 * arrays are views on the heap, valid only during the call: do not allocate tensors inside it.
 */
export function withFloat32Views<T>(tensors: tf.Tensor[], read: (views: Float32Array[]) => T): T {
  for (const t of tensors) {
    if (t.dtype !== 'float32') throw new Error(`withFloat32Views: expected float32, got ${t.dtype}`);
  }
  const be = wasmBackend();
  if (be) return read(tensors.map((t) => f32(be, t)));
  return read(tensors.map((t) => t.dataSync() as Float32Array));
}

/**
 * New float32 tensors of the given shapes whose values `fill` writes, given views of `inputs`
 * (read-only) taken after the outputs were allocated (an allocation may move the wasm heap).
 */
export function makeFloat32Tensors(
  shapes: number[][],
  inputs: tf.Tensor[],
  fill: (outs: Float32Array[], ins: Float32Array[]) => void,
): tf.Tensor[] {
  const be = wasmBackend();
  if (be) {
    const infos = shapes.map((s) => be.makeOutput(s, 'float32'));
    const outs = infos.map((i) => f32(be, i));
    const ins = inputs.map((t) => f32(be, t));
    fill(outs, ins);
    return infos.map((i) => tf.engine().makeTensorFromTensorInfo(i));
  }
  const outs = shapes.map((s) => new Float32Array(s.reduce((a, b) => a * b, 1)));
  fill(
    outs,
    inputs.map((t) => t.dataSync() as Float32Array),
  );
  return outs.map((o, i) => tf.tensor(o, shapes[i], 'float32'));
}
