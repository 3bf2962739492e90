/** tfjs's `BatchMatMul` (every `tf.matMul`: 2-D, batched, broadcast batch) through sgemm; other cases to the stock kernel. */
import type * as tf from '@tensorflow/tfjs';
import type { KernelEntry } from '../registry.js';
import { asWasm } from '../wasm-backend.js';
import { nativeProduct } from './product.js';

export const stockBatchMatMulConfig: KernelEntry = {
  kernelName: 'BatchMatMul',
  wrap: (stock) => (args) => {
    const { a, b } = args.inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
    const out = nativeProduct(
      asWasm(args.backend),
      a,
      b,
      Boolean(args.attrs.transposeA),
      Boolean(args.attrs.transposeB),
    );
    return out ?? stock(args);
  },
};
