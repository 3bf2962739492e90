/**
 * `softmax(scores [B,H,Tq,Tk] + mask [B,1,Tq|1,Tk])`: the additive attention mask broadcast over
 * heads (and queries when it has one row) in one JS pass (wasm's broadcasting add is slow), then
 * the stock SIMD Softmax.
 */
import type * as tf from '@tensorflow/tfjs';
import { MaskedSoftmax } from '../names.js';
import type { KernelEntry } from '../registry.js';
import { asWasm, callWasmKernel, f32, type KernelArgs, type WasmBackend } from '../wasm-backend.js';

/**
 * Softmax over the last axis of `scores + mask` (when there is a mask), with `addMask` writing the
 * sum into a fresh tensor; shared by the portable and native kernels.
 */
export function maskedSoftmaxWith(
  a: KernelArgs<'scores' | 'mask'>,
  addMask: (b: WasmBackend, scores: tf.TensorInfo, mask: tf.TensorInfo, out: tf.TensorInfo) => void,
): tf.TensorInfo {
  const b = asWasm(a.backend);
  const s = a.inputs.scores!;
  const m = a.inputs.mask;
  const dim = s.shape.length - 1;
  if (!m) return callWasmKernel('Softmax', b, { logits: s }, { dim });
  const masked = b.makeOutput(s.shape, 'float32');
  addMask(b, s, m, masked);
  const y = callWasmKernel('Softmax', b, { logits: masked }, { dim });
  b.disposeData(masked.dataId);
  return y;
}

function addMaskJs(b: WasmBackend, s: tf.TensorInfo, m: tf.TensorInfo, out: tf.TensorInfo): void {
  const [bs, h, tq, tk] = s.shape;
  const mq = m.shape[2];
  const sv = f32(b, s);
  const mv = f32(b, m);
  const ov = f32(b, out);
  for (let i = 0; i < bs; i++) {
    for (let hh = 0; hh < h; hh++) {
      for (let q = 0; q < tq; q++) {
        const so = ((i * h + hh) * tq + q) * tk;
        const mo = (i * mq + (mq === 1 ? 0 : q)) * tk;
        for (let k = 0; k < tk; k++) ov[so + k] = sv[so + k] + mv[mo + k];
      }
    }
  }
}

export const maskedSoftmaxConfig: KernelEntry = {
  kernelName: MaskedSoftmax,
  kernelFunc: ((a: KernelArgs<'scores' | 'mask'>) => maskedSoftmaxWith(a, addMaskJs)) as KernelEntry['kernelFunc'],
};
