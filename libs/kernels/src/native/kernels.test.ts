/**
 * The native kernels (native/, @ecode/native-kernels) against the portable wasm list (XNNPACK
 * products, JS kernels) and the composed references, on the same inputs: registering the native
 * list over the portable one and back (`setNativeKernels`). Skipped where the addon is not built.
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import '../index.js';
import * as K from '../names.js';
import { runReference } from '../run.js';
import { describeNative, nativeActive, nativeAvailable, nativeStatus, setNativeKernels } from '../setup.js';
import { startWasm } from '../testing/wasm.js';

const hasNative = nativeAvailable();

/** Every output of a kernel (no tape: the backend's kernel, or the reference where it has none). */
function run(name: string, inputs: Record<string, tf.Tensor>, attrs: object = {}): tf.Tensor[] {
  const out = tf.getKernel(name, tf.getBackend())
    ? tf.engine().runKernel(name, inputs, attrs as tf.NamedAttrMap)
    : runReference(name, inputs, attrs as tf.NamedAttrMap);
  return (Array.isArray(out) ? out : [out]) as tf.Tensor[];
}

/** Relative max error of `a` against `b`. */
function relErr(a: Float32Array, b: Float32Array): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < a.length; i++) {
    num = Math.max(num, Math.abs(a[i] - b[i]));
    den = Math.max(den, Math.abs(b[i]));
  }
  return num / Math.max(den, 1e-30);
}

/** Values of `f()` (arrays of tensors) with the native kernels on and off. */
function both(f: () => tf.Tensor | tf.Tensor[]): [Float32Array[], Float32Array[]] {
  const run = (on: boolean) => {
    setNativeKernels(on);
    return tf.tidy(() => {
      const out = f();
      return (Array.isArray(out) ? out : [out]).map((t) => t.dataSync() as Float32Array);
    });
  };
  const native = run(true);
  const portable = run(false);
  setNativeKernels(true);
  return [native, portable];
}

const rand = (shape: number[], seed: number, scale = 1) => tf.mul(tf.randomNormal(shape, 0, 1, 'float32', seed), scale);

describe.skipIf(!hasNative)('native kernels on wasm', () => {
  beforeAll(async () => {
    await startWasm();
    expect(setNativeKernels(true)).toBe(true);
  });
  afterAll(() => setNativeKernels(true));

  it('reports OpenBLAS, its kernel set and thread count', () => {
    const s = nativeStatus();
    expect(s.active).toBe(true);
    expect(s.threads).toBe(1);
    expect(s.config).toMatch(/OpenBLAS/);
    expect(describeNative(s)).toMatch(/^native \(OpenBLAS \w+, 1 thread\)$/);
    setNativeKernels(false);
    expect(nativeActive()).toBe(false);
    expect(tf.getKernel(K.Linear, 'wasm')).toBeUndefined();
    expect(describeNative()).toBe('wasm XNNPACK + JS (native off: turned off (setNativeKernels(false)))');
    setNativeKernels(true);
  });

  it('matMul: transposes, batches, broadcast batches and the fused bias + relu match XNNPACK', () => {
    const cases: [number[], number[], boolean, boolean][] = [
      [[7, 5], [5, 3], false, false],
      [[5, 7], [5, 3], true, false],
      [[7, 5], [3, 5], false, true],
      [[5, 7], [3, 5], true, true],
      [[4, 6, 5], [4, 5, 3], false, false],
      [[2, 3, 5, 6], [2, 3, 4, 6], false, true],
      [[4, 6, 5], [5, 3], false, false],
      [[6, 5], [4, 5, 3], false, false],
      [[1, 6, 5], [4, 3, 5], false, true],
    ];
    for (const [sa, sb, ta, tb] of cases) {
      const [nat, port] = both(() => tf.matMul(rand(sa, 1), rand(sb, 2), ta, tb));
      expect(relErr(nat[0], port[0]), `${sa} x ${sb} ${ta} ${tb}`).toBeLessThan(1e-6);
    }
    // _FusedMatMul against matMul + add (+ relu) on the stock kernels: tfjs-wasm 4.22's own fused
    // kernel adds the bias to the wrong columns with transposeB (here row 1, column 0 got bias[5];
    // the cpu backend agrees with this kernel), so it is no reference.
    for (const activation of ['linear', 'relu'] as const) {
      const a = () => rand([9, 4], 3);
      const b = () => rand([6, 4], 4);
      const bias = () => rand([6], 5);
      setNativeKernels(true);
      const nat = tf.tidy(() =>
        tf.fused.matMul({ a: a(), b: b(), transposeB: true, bias: bias(), activation }).dataSync(),
      );
      setNativeKernels(false);
      const port = tf.tidy(() => {
        const y = tf.add(tf.matMul(a(), b(), false, true), bias());
        return (activation === 'relu' ? tf.relu(y) : y).dataSync();
      });
      setNativeKernels(true);
      expect(relErr(nat as Float32Array, port as Float32Array), activation).toBeLessThan(1e-6);
      if (activation === 'relu') expect(Math.min(...nat)).toBe(0);
    }
    // Empty products (no rows; an empty inner dimension gives zeros) and an inner-dimension mismatch.
    const [nat] = both(() => tf.matMul(tf.zeros([0, 3]), tf.ones([3, 2])));
    expect(nat[0].length).toBe(0);
    const [zeros] = both(() => tf.matMul(tf.ones([2, 0]), tf.ones([0, 3])));
    expect(Array.from(zeros[0])).toEqual([0, 0, 0, 0, 0, 0]);
    expect(() => tf.matMul(tf.ones([2, 3]), tf.ones([4, 2]))).toThrow(/inner dimensions 3 and 4/);
  });

  it('fused kernels match the JS ones (dropout and the cross-entropy gradient bit for bit)', () => {
    const x = () => rand([37, 64], 7, 2);
    const dy = () => rand([37, 64], 8);
    const cases: [string, () => tf.Tensor | tf.Tensor[], number][] = [
      ['geluNew', () => run(K.GeluNew, { x: x() }), 2e-6],
      ['gelu', () => run(K.Gelu, { x: x() }), 2e-6],
      ['geluNewGrad', () => run(K.GeluNewGrad, { x: x(), t: tf.tanh(x()), dy: dy() }), 1e-6],
      ['geluGrad', () => run(K.GeluGrad, { x: x(), phi: tf.sigmoid(x()), dy: dy() }), 1e-6],
      [
        'layerNorm',
        () => run(K.LayerNorm, { x: x(), gamma: rand([64], 9), beta: rand([64], 10) }, { eps: 1e-5 }),
        1e-6,
      ],
      [
        'layerNormGrad',
        () => run(K.LayerNormGrad, { xhat: x(), rstd: tf.abs(rand([37], 11)), gamma: rand([64], 12), dy: dy() }),
        1e-5,
      ],
      ['columnSum', () => run(K.ColumnSum, { x: x() }), 1e-6],
      [
        'maskedSoftmax (mask per query)',
        () => run(K.MaskedSoftmax, { scores: rand([2, 3, 5, 7], 13), mask: rand([2, 1, 5, 7], 14) }),
        0,
      ],
      [
        'maskedSoftmax (mask over keys)',
        () => run(K.MaskedSoftmax, { scores: rand([2, 3, 5, 7], 15), mask: rand([2, 1, 1, 7], 16) }),
        0,
      ],
      ['softmaxGrad', () => run(K.SoftmaxGrad, { y: tf.softmax(x()), dy: dy() }), 1e-5],
      ['dropout', () => run(K.Dropout, { x: x() }, { rate: 0.3, seed: 1234 }), 0],
      [
        'xentGrad',
        () =>
          run(K.SoftmaxCrossEntropyGrad, {
            probs: tf.softmax(x()),
            targets: tf.tensor1d(
              Array.from({ length: 37 }, (_, i) => (i * 13) % 64),
              'int32',
            ),
            mask: tf.tensor1d(Array.from({ length: 37 }, (_, i) => (i % 5 === 0 ? 0 : 1))),
            dy: rand([37], 17),
          }),
        0,
      ],
    ];
    for (const [name, f, tol] of cases) {
      const [nat, port] = both(f);
      expect(nat.length, name).toBe(port.length);
      for (let i = 0; i < nat.length; i++) {
        if (tol === 0) expect(Array.from(nat[i]), name).toEqual(Array.from(port[i]));
        else expect(relErr(nat[i], port[i]), `${name} output ${i}`).toBeLessThan(tol);
      }
    }
  });

  it('AdamW and the global norm: the native kernels follow the composed references', () => {
    const attrs = { b1: 0.9, oneMinusB1: 0.1, b2: 0.999, oneMinusB2: 0.001, eps: 1e-8, bc2: Math.sqrt(1 - 0.999 ** 3) };
    const step = (decay: number, scale: boolean) => () =>
      run(
        K.AdamW,
        {
          param: rand([33, 17], 20),
          expAvg: rand([33, 17], 21, 0.1),
          expAvgSq: tf.abs(rand([33, 17], 22, 0.01)),
          grad: rand([33, 17], 23),
          ...(scale ? { gradScale: tf.scalar(0.5) } : {}),
        },
        { ...attrs, negStep: -0.01 / (1 - 0.9 ** 3), decay },
      );
    // The same float32 operations in the same order as the tf ops: the same bits.
    for (const [decay, scale] of [
      [1, false],
      [0.9999, true],
    ] as const) {
      const [nat, port] = both(step(decay, scale));
      for (let i = 0; i < 3; i++) expect(Array.from(nat[i]), `output ${i}`).toEqual(Array.from(port[i]));
    }
    // The norm in float64 natively, float32 composed; the clip factor from it.
    const [nat, port] = both(() => run(K.GlobalNorm, { 0: rand([33, 17], 24), 1: rand([5], 25) }, { maxNorm: 1 }));
    expect(relErr(nat[0], port[0])).toBeLessThan(1e-6);
    expect(relErr(nat[1], port[1])).toBeLessThan(1e-6);
    expect(nat[1][0]).toBeCloseTo(1 / nat[0][0], 6);
  });
});
