/** tfjs's `_FusedMatMul` with no bias or a bias over the last axis (sgemm's starting C) and a linear or relu activation; other cases to the stock kernel. */
import type * as tf from '@tensorflow/tfjs';
import type { KernelEntry } from '../registry.js';
import { asWasm, f32, sizeOf } from '../wasm-backend.js';
import { nativeProduct } from './product.js';

export const stockFusedMatMulConfig: KernelEntry = {
  kernelName: '_FusedMatMul',
  wrap: (stock) => (args) => {
    const { a, b, bias, preluActivationWeights } = args.inputs as Record<string, tf.TensorInfo | undefined>;
    const activation = (args.attrs.activation as string | undefined) ?? 'linear';
    const backend = asWasm(args.backend);
    const bSize = bias ? sizeOf(bias.shape) : 0;
    const n = args.attrs.transposeB ? b!.shape[b!.shape.length - 2] : b!.shape[b!.shape.length - 1];
    const simple =
      !preluActivationWeights &&
      (activation === 'linear' || activation === 'relu') &&
      (!bias || (bias.dtype === 'float32' && bSize === n && bias.shape.slice(0, -1).every((d) => d === 1)));
    const out = simple
      ? nativeProduct(backend, a!, b!, Boolean(args.attrs.transposeA), Boolean(args.attrs.transposeB), bias)
      : null;
    if (!out) return stock(args);
    if (activation === 'relu') {
      const ov = f32(backend, out);
      for (let i = 0; i < ov.length; i++) if (ov[i] < 0) ov[i] = 0;
    }
    return out;
  },
};
