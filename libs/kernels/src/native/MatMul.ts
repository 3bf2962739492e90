/** `EcodeMatMul`: `op(a) op(b)` with the transpose flags passed to sgemm (no transposes, no copies). */
import type * as tf from '@tensorflow/tfjs';
import { MatMul } from '../names.js';
import type { KernelEntry } from '../registry.js';
import { asWasm } from '../wasm-backend.js';
import { nativeProduct } from './product.js';

export const matMulConfig: KernelEntry = {
  kernelName: MatMul,
  kernelFunc: (args) => {
    const { a, b } = args.inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
    const out = nativeProduct(
      asWasm(args.backend),
      a,
      b,
      Boolean(args.attrs.transposeA),
      Boolean(args.attrs.transposeB),
    );
    if (!out)
      throw new Error(`${MatMul}: expected float32 operands with equal batch shapes, got [${a.shape}] x [${b.shape}]`);
    return out;
  },
};
