/**
 * `op(a) op(b) (+ bias over the last axis)` through OpenBLAS's sgemm on the wasm heap, operands in
 * place, transpose flags passed to sgemm (free there), for rank >= 2 float32 tensors whose batch
 * dimensions are equal or one of them has size 1 (broadcast); null for anything else.
 */
import type * as tf from '@tensorflow/tfjs';
import { f32, offsetOf, sizeOf, type WasmBackend } from '../wasm-backend.js';
import { addon } from './addon.js';

export function nativeProduct(
  backend: WasmBackend,
  a: tf.TensorInfo,
  b: tf.TensorInfo,
  transposeA: boolean,
  transposeB: boolean,
  bias?: tf.TensorInfo,
): tf.TensorInfo | null {
  if (a.dtype !== 'float32' || b.dtype !== 'float32') return null;
  const ra = a.shape.length;
  const rb = b.shape.length;
  if (ra < 2 || rb < 2) return null;
  const m = transposeA ? a.shape[ra - 1] : a.shape[ra - 2];
  const k = transposeA ? a.shape[ra - 2] : a.shape[ra - 1];
  const kb = transposeB ? b.shape[rb - 1] : b.shape[rb - 2];
  const n = transposeB ? b.shape[rb - 2] : b.shape[rb - 1];
  if (k !== kb)
    throw new Error(
      `matMul: inner dimensions ${k} and ${kb} of shapes [${a.shape}] and [${b.shape}] (transposeA=${transposeA}, transposeB=${transposeB}) differ`,
    );
  const batchA = sizeOf(a.shape.slice(0, -2));
  const batchB = sizeOf(b.shape.slice(0, -2));
  let outBatch: number[];
  if (batchA === batchB) outBatch = (ra >= rb ? a : b).shape.slice(0, -2);
  else if (batchB === 1) outBatch = a.shape.slice(0, -2);
  else if (batchA === 1) outBatch = b.shape.slice(0, -2);
  else return null;
  // Same-size batches with different shapes ([2,3] vs [3,2]) are no plain broadcast: stock kernel.
  if (batchA === batchB && ra === rb && a.shape.slice(0, -2).some((d, i) => d !== b.shape[i])) return null;
  const batch = Math.max(batchA, batchB);
  const out = backend.makeOutput([...outBatch, m, n], 'float32');
  if (batch === 0 || m === 0 || n === 0) return out;
  // Offsets after makeOutput: an allocation may grow (and move) the heap.
  const ao = offsetOf(backend, a);
  const bo = offsetOf(backend, b);
  const co = offsetOf(backend, out);
  // Leading dimensions of at least 1 (BLAS requires it even for an empty inner dimension).
  const lda = Math.max(1, transposeA ? m : k);
  const ldb = Math.max(1, transposeB ? k : n);
  // A bias over the last axis: every output row starts as the bias and sgemm adds into it (beta 1).
  let beta = 0;
  if (bias) {
    const ov = f32(backend, out);
    const bv = f32(backend, bias);
    for (let r = 0; r < ov.length; r += n) ov.set(bv, r);
    beta = 1;
  }
  const heap = backend.wasm.HEAPU8;
  const blas = addon();
  if (batch === 1) blas.sgemm(heap, transposeA, transposeB, m, n, k, 1, ao, lda, bo, ldb, beta, co, n);
  else
    blas.sgemm(
      heap,
      transposeA,
      transposeB,
      m,
      n,
      k,
      1,
      ao,
      lda,
      bo,
      ldb,
      beta,
      co,
      n,
      batch,
      batchA === 1 ? 0 : m * k,
      batchB === 1 ? 0 : k * n,
      m * n,
    );
  return out;
}
