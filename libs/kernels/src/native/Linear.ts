/** `EcodeLinear`: `x W^T (+ bias)` as one sgemm with transB, the bias as its starting C. */
import type * as tf from '@tensorflow/tfjs';
import { Linear } from '../names.js';
import type { KernelEntry } from '../registry.js';
import { asWasm } from '../wasm-backend.js';
import { nativeProduct } from './product.js';

export const linearConfig: KernelEntry = {
  kernelName: Linear,
  kernelFunc: (args) => {
    const { x, w, bias } = args.inputs as { x: tf.TensorInfo; w: tf.TensorInfo; bias?: tf.TensorInfo };
    const out = nativeProduct(asWasm(args.backend), x, w, false, true, bias);
    if (!out) throw new Error(`${Linear}: expected float32 x [N,in] and W [out,in], got [${x.shape}] and [${w.shape}]`);
    return out;
  },
};
