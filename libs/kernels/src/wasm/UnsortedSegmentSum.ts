/** `UnsortedSegmentSum` (missing from tfjs-backend-wasm 4.22; the gather gradient of every embedding needs it): a scatter-add. */
import type * as tf from '@tensorflow/tfjs';
import type { KernelEntry } from '../registry.js';
import { asWasm, sizeOf, type KernelArgs } from '../wasm-backend.js';

function unsortedSegmentSum(args: KernelArgs<'x' | 'segmentIds'>): tf.TensorInfo {
  const b = asWasm(args.backend);
  const x = args.inputs.x!;
  const ids = args.inputs.segmentIds!;
  const numSegments = args.attrs.numSegments as number;
  if (x.dtype !== 'float32') throw new Error(`UnsortedSegmentSum (wasm): only float32 is supported, got ${x.dtype}`);
  const idCount = sizeOf(ids.shape);
  const inner = sizeOf(x.shape.slice(ids.shape.length));
  const out = b.makeOutput([numSegments, ...x.shape.slice(ids.shape.length)], 'float32');
  const xv = b.typedArrayFromHeap(x) as Float32Array;
  const iv = b.typedArrayFromHeap(ids);
  const ov = b.typedArrayFromHeap(out) as Float32Array;
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

export const unsortedSegmentSumConfig: KernelEntry = {
  kernelName: 'UnsortedSegmentSum',
  kernelFunc: unsortedSegmentSum as KernelEntry['kernelFunc'],
};
