/**
 * The layer's extension points: a kernel added to one backend as one new file
 * (testing/TimesTwo.ts) plus one line in that backend's list is what the op runs; where no backend
 * kernel is registered the composed reference runs; gradients registered by kernel name work on
 * both; switching lists restores the stock kernels.
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Kernels as K, hasBackendKernel, registerReference, runKernel, useKernelLists, wasmKernels } from './index.js';
import { nativeActive, nativeAvailable, registerWasmKernels, setNativeKernels } from './setup.js';
import { startWasm } from './testing/wasm.js';
import { TimesTwo, timesTwoCalls, timesTwoConfig } from './testing/TimesTwo.js';

registerReference(TimesTwo, ({ x }) => tf.mul(x, 2));
tf.registerGradient({ kernelName: TimesTwo, gradFunc: (dy) => ({ x: () => tf.mul(dy as tf.Tensor, 2) }) });
/** The op of the new kernel, as model code would write it. */
const timesTwo = (x: tf.Tensor) => runKernel(TimesTwo, { x }) as tf.Tensor;

/** Value and gradient of `sum(timesTwo(x) * w)`. */
function valueAndGrad(): { y: number[]; dx: number[] } {
  const x = tf.tensor1d([1, -2, 3.5]);
  const w = tf.tensor1d([1, 10, 100]);
  const y = Array.from(timesTwo(x).dataSync());
  const dx = Array.from(
    tf
      .grad((t: tf.Tensor) => tf.sum(tf.mul(timesTwo(t), w)))(x)
      .dataSync(),
  );
  tf.dispose([x, w]);
  return { y, dx };
}

describe('kernel lists', () => {
  beforeAll(startWasm);
  afterAll(() => {
    registerWasmKernels();
    setNativeKernels(nativeAvailable());
  });

  it('a kernel added as one file plus one line in the wasm list is what the op runs', () => {
    useKernelLists('wasm', [{ ...wasmKernels, kernels: [...wasmKernels.kernels, timesTwoConfig] }]);
    expect(hasBackendKernel(TimesTwo)).toBe(true);
    const before = timesTwoCalls.count;
    expect(valueAndGrad()).toEqual({ y: [2, -4, 7], dx: [2, 20, 200] });
    expect(timesTwoCalls.count - before).toBe(2);
  });

  it('where the backend has no kernel, the composed reference runs (same values and gradient)', () => {
    useKernelLists('wasm', [wasmKernels]);
    expect(tf.getKernel(TimesTwo, 'wasm')).toBeUndefined();
    const before = timesTwoCalls.count;
    expect(valueAndGrad()).toEqual({ y: [2, -4, 7], dx: [2, 20, 200] });
    expect(timesTwoCalls.count).toBe(before);
    // A layer kernel that only the native list has: the portable list runs EcodeLinear's reference.
    expect(hasBackendKernel(K.Linear)).toBe(false);
    const y = tf.tidy(() => {
      const x = tf.tensor2d([1, 2, 3, 4], [2, 2]);
      const w = tf.tensor2d([1, 0, 0, 1, 1, 1], [3, 2]);
      return Array.from((runKernel(K.Linear, { x, w, bias: tf.tensor1d([0.5, 0, -1]) }, {}) as tf.Tensor).dataSync());
    });
    expect(y).toEqual([1.5, 2, 2, 3.5, 4, 6]);
  });

  it('the native list registers over the portable one and back; the stock kernels come back', () => {
    const stockCast = tf.getKernel('Cast', 'wasm')!.kernelFunc;
    useKernelLists('wasm', []);
    // No list: the stock kernels, and none of the layer's own.
    expect(tf.getKernel('Cast', 'wasm')!.kernelFunc).not.toBe(stockCast);
    expect(tf.getKernel(K.GeluNew, 'wasm')).toBeUndefined();
    registerWasmKernels();
    expect(tf.getKernel(K.GeluNew, 'wasm')).toBeDefined();
    if (nativeAvailable()) {
      expect(setNativeKernels(true)).toBe(true);
      expect(nativeActive()).toBe(true);
      expect(hasBackendKernel(K.Linear)).toBe(true);
      expect(setNativeKernels(false)).toBe(false);
    }
    expect(hasBackendKernel(K.Linear)).toBe(false);
    expect(hasBackendKernel(K.GeluNew)).toBe(true);
  });

  it('the layer kernels run their references on cpu, with the gradients registered by name', async () => {
    await tf.setBackend('cpu');
    try {
      const x = tf.tensor2d([0.5, -1, 2, 0, 1, -3], [2, 3]);
      const gamma = tf.tensor1d([1, 2, 3]);
      const beta = tf.tensor1d([0, 0.5, -0.5]);
      const ln = (t: tf.Tensor) => runKernel(K.LayerNorm, { x: t, gamma, beta }, { eps: 1e-5 }) as tf.Tensor;
      const y = ln(x);
      const mean = tf.mean(x, -1, true);
      const expect2 = tf.add(
        tf.mul(tf.div(tf.sub(x, mean), tf.sqrt(tf.add(tf.moments(x, -1, true).variance, 1e-5))), gamma),
        beta,
      );
      const err = tf.max(tf.abs(tf.sub(y, expect2))).dataSync()[0];
      expect(err).toBeLessThan(1e-6);
      // The hand-written gradient against tfjs's gradient of the composed formula.
      const w = tf.tensor2d([1, 2, 3, 4, 5, 6], [2, 3]);
      const g1 = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(ln(t), w)))(x);
      const g2 = tf.grad((t: tf.Tensor) => {
        const m = tf.mean(t, -1, true);
        const v = tf.moments(t, -1, true).variance;
        return tf.sum(tf.mul(tf.add(tf.mul(tf.div(tf.sub(t, m), tf.sqrt(tf.add(v, 1e-5))), gamma), beta), w));
      })(x);
      expect(tf.max(tf.abs(tf.sub(g1, g2))).dataSync()[0]).toBeLessThan(1e-4);
      tf.dispose([x, gamma, beta, y, mean, expect2, w, g1, g2]);
    } finally {
      await tf.setBackend('wasm');
    }
  });
});
