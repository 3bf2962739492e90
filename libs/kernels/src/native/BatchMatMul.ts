/** `EcodeBatchMatMul` (`[G,M,K] x [G,K,N]`) as one batched sgemm call; the portable view kernel for other cases. */
import type * as tf from '@tensorflow/tfjs';
import { BatchMatMul } from '../names.js';
import type { KernelEntry } from '../registry.js';
import { asWasm } from '../wasm-backend.js';
import { nativeProduct } from './product.js';

export const batchMatMulConfig: KernelEntry = {
  kernelName: BatchMatMul,
  wrap: (portable) => (args) => {
    const { a, b } = args.inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
    const out =
      a.shape.length === 3 && b.shape.length === 3 ? nativeProduct(asWasm(args.backend), a, b, false, false) : null;
    return out ?? portable(args);
  },
};
