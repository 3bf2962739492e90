/**
 * @ecode/kernels' webgpu list (fused WebGPU programs) against the kernels' composed references on
 * the same backend, and their dispatch counts, on whatever adapter this machine has (a GPU, or the
 * SwiftShader software GPU under `.ci/run`: tiny shapes). Without an adapter the suite is skipped
 * with the reason; under CI=true it fails (webgpu-gate.ts).
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Kernels as K, hasBackendKernel, runKernel, runReference } from '@ecode/kernels';
import { initBackend } from './backend.js';
import { relErr } from '../testing/fixtures.js';
import { describeWebgpu } from '../testing/webgpu-gate.js';

/** Counts `dispatchWorkgroups` calls while `f` runs. */
function dispatchesOf<T>(f: () => T): { value: T; dispatches: number } {
  const cls = (globalThis as unknown as Record<string, { prototype: Record<string, (...a: unknown[]) => unknown> }>)
    .GPUComputePassEncoder;
  const original = cls.prototype.dispatchWorkgroups;
  let dispatches = 0;
  cls.prototype.dispatchWorkgroups = function (this: unknown, ...a: unknown[]) {
    dispatches++;
    return original.apply(this, a);
  };
  try {
    return { value: f(), dispatches };
  } finally {
    cls.prototype.dispatchWorkgroups = original;
  }
}

const values = async (ts: tf.Tensor | tf.Tensor[]) => Promise.all([ts].flat().map((t) => t.data()));

function expectClose(got: ArrayLike<number>[], want: ArrayLike<number>[], tol: number, what: string): void {
  expect(got.length, what).toBe(want.length);
  got.forEach((g, i) => expect(relErr(g, want[i]), `${what} output ${i}`).toBeLessThan(tol));
}

describeWebgpu('webgpu kernels (fused programs) against their references', () => {
  beforeAll(async () => {
    await initBackend('webgpu', () => {});
  }, 120_000);
  afterAll(async () => {
    await initBackend('wasm', () => {});
  });

  it('initBackend registers the webgpu list', () => {
    expect(tf.getBackend()).toBe('webgpu');
    expect(hasBackendKernel(K.AdamW)).toBe(true);
    expect(hasBackendKernel(K.GlobalNorm)).toBe(true);
  });

  it('EcodeAdamW: one dispatch per variable, the reference update of param, m and v', async () => {
    const attrs = {
      b1: 0.9,
      oneMinusB1: 0.1,
      b2: 0.999,
      oneMinusB2: 0.001,
      eps: 1e-8,
      bc2: 0.0447,
      negStep: -0.01,
      decay: 0.999,
    };
    // 270,000 elements: more than the 1024 x 256 threads of one dispatch (the grid-stride loop).
    for (const [shape, seed] of [
      [[3, 5], 1],
      [[700], 2],
      [[270_000], 3],
    ] as [number[], number][]) {
      const inputs = {
        param: tf.randomNormal(shape, 0, 1, 'float32', seed),
        expAvg: tf.randomNormal(shape, 0, 0.1, 'float32', seed + 10),
        expAvgSq: tf.abs(tf.randomNormal(shape, 0, 0.01, 'float32', seed + 20)),
        grad: tf.randomNormal(shape, 0, 1, 'float32', seed + 30),
      };
      const scale = tf.scalar(0.37);
      for (const gradScale of [undefined, scale]) {
        const ins: tf.NamedTensorMap = gradScale ? { ...inputs, gradScale } : inputs;
        const { value: got, dispatches } = dispatchesOf(() => runKernel(K.AdamW, ins, attrs) as tf.Tensor[]);
        expect(dispatches, `[${shape}]`).toBe(1);
        const want = runReference(K.AdamW, ins, attrs) as tf.Tensor[];
        expectClose(await values(got), await values(want), 1e-5, `AdamW [${shape}] scaled ${gradScale !== undefined}`);
        // A moment really moved: the new m is not the old one.
        expect(relErr(await got[1].data(), await inputs.expAvg.data())).toBeGreaterThan(0.1);
        tf.dispose([got, want]);
      }
      tf.dispose([inputs, scale]);
    }
  }, 240_000);

  it('EcodeGlobalNorm: norm and clip scale of many gradients in few dispatches, no leak', async () => {
    const shapes = [
      [4, 3],
      [1000],
      [],
      [2, 2, 2],
      [5],
      [7, 9],
      [300],
      [1],
      [33],
      [2, 64],
      [6],
      [8],
      [3, 3],
      [513],
      [2],
    ];
    const grads = shapes.map((s, i) => tf.randomNormal(s, 0, 0.3, 'float32', 100 + i));
    const inputs = Object.fromEntries(grads.map((g, i) => [String(i), g]));
    const before = tf.engine().backend.numDataIds();
    for (const maxNorm of [1, Infinity, 1e6]) {
      const { value: got, dispatches } = dispatchesOf(
        () => runKernel(K.GlobalNorm, inputs, { maxNorm }) as tf.Tensor[],
      );
      // 8 storage buffers a shader: 7 gradients, then 6 + the running sum, then 2 + sum -> norm, scale.
      expect(dispatches).toBe(3);
      const want = runReference(K.GlobalNorm, inputs, { maxNorm }) as tf.Tensor[];
      const [g, w] = [await values(got), await values(want)];
      expectClose(g, w, 1e-5, `GlobalNorm maxNorm ${maxNorm}`);
      expect(g[0][0]).toBeGreaterThan(1); // the sum of 2,700 squares of N(0, 0.3): clipping applies at 1
      expect(g[1][0]).toBeCloseTo(maxNorm === 1 ? 1 / (g[0][0] + 1e-6) : 1, 6);
      tf.dispose([got, want]);
    }
    // The running sums were freed with the submits that read them.
    expect(tf.engine().backend.numDataIds()).toBe(before);
    const single = runKernel(K.GlobalNorm, { a: grads[1] }, { maxNorm: 1 }) as tf.Tensor[];
    const none = runKernel(K.GlobalNorm, {}, { maxNorm: 1 }) as tf.Tensor[];
    const ref = runReference(K.GlobalNorm, { a: grads[1] }, { maxNorm: 1 }) as tf.Tensor[];
    expect((await single[0].data())[0]).toBeCloseTo((await ref[0].data())[0], 4);
    expect([...(await none[0].data()), ...(await none[1].data())]).toEqual([0, 1]);
    tf.dispose([grads, single, none, ref]);
  }, 240_000);

  it('row-wise and element-wise kernels match their references, one dispatch each', async () => {
    const r = (shape: number[], seed: number, scale = 1) =>
      tf.mul(tf.randomNormal(shape, 0, 1, 'float32', seed), scale);
    // Rows wider than the 64 threads of a row workgroup (100), and narrow ones (5).
    const x = r([6, 100], 1, 3);
    const gamma = r([100], 2);
    const beta = r([100], 3);
    const [, xhat, rstd] = runReference(K.LayerNorm, { x, gamma, beta }, { eps: 1e-5 }) as tf.Tensor[];
    // Many narrow rows too (more rows than threads of a column workgroup).
    const x2 = r([130, 5], 11);
    const g2 = r([5], 12);
    const [, xhat2, rstd2] = runReference(K.LayerNorm, { x: x2, gamma: g2, beta: g2 }, { eps: 1e-5 }) as tf.Tensor[];
    const [, th] = runReference(K.GeluNew, { x }, {}) as tf.Tensor[];
    const [, phi] = runReference(K.Gelu, { x }, {}) as tf.Tensor[];
    const scores = r([2, 3, 4, 5], 4, 2);
    const causal = tf.mul(tf.sub(1, tf.linalg.bandPart(tf.ones([4, 5]), -1, 0)), -1e9).reshape([1, 1, 4, 5]);
    const padding = tf.mul(tf.tensor4d([0, 0, 0, 1, 1, 0, 0, 0, 0, 1], [2, 1, 1, 5]), -1e9);
    const y = runReference(K.MaskedSoftmax, { scores }, {}) as tf.Tensor;
    const logits = r([6, 70], 5, 4);
    const targets = tf.tensor1d([0, 69, 3, 3, 12, 40], 'int32');
    const mask = tf.tensor1d([1, 1, 0, 1, 1, 1]);
    const [, probs] = runReference(K.SoftmaxCrossEntropy, { logits, targets, mask }, {}) as tf.Tensor[];
    const dy = r([6, 100], 6);
    const cases: [string, tf.NamedTensorMap, tf.NamedAttrMap, number][] = [
      [K.LayerNorm, { x, gamma, beta }, { eps: 1e-5 }, 1],
      [K.LayerNormGrad, { xhat, rstd, gamma, dy }, {}, 1],
      [K.LayerNorm, { x: x2, gamma: g2, beta: g2 }, { eps: 1e-5 }, 1],
      [K.LayerNormGrad, { xhat: xhat2, rstd: rstd2, gamma: g2, dy: r([130, 5], 13) }, {}, 1],
      [K.ColumnSum, { x: x.reshape([2, 3, 100]) }, {}, 1],
      [K.GeluNew, { x }, {}, 1],
      [K.GeluNewGrad, { x, t: th, dy }, {}, 1],
      [K.Gelu, { x }, {}, 1],
      [K.GeluGrad, { x, phi, dy }, {}, 1],
      [K.MaskedSoftmax, { scores }, {}, 1],
      [K.MaskedSoftmax, { scores, mask: causal }, {}, 1],
      [K.MaskedSoftmax, { scores, mask: padding }, {}, 1],
      [K.SoftmaxGrad, { y, dy: r([2, 3, 4, 5], 7) }, {}, 1],
      [K.SoftmaxCrossEntropy, { logits, targets, mask }, {}, 1],
      [K.SoftmaxCrossEntropyGrad, { probs, targets, mask, dy: r([6], 8) }, {}, 1],
    ];
    for (const [name, inputs, attrs, expected] of cases) {
      expect(hasBackendKernel(name), name).toBe(true);
      // Every output (runKernel gives a differentiated kernel's value only): the registered kernel itself.
      const { value: got, dispatches } = dispatchesOf(() => tf.engine().runKernel(name, inputs, attrs));
      expect(dispatches, name).toBe(expected);
      const want = runReference(name, inputs, attrs);
      const gotAll = [got].flat() as tf.Tensor[];
      const wantAll = [want].flat();
      gotAll.forEach((g, i) => expect(g.shape, `${name} output ${i}`).toEqual(wantAll[i].shape));
      expectClose(await values(gotAll), await values(wantAll), 2e-5, name);
      tf.dispose([gotAll, wantAll]);
    }
    // The masked rows really are masked: the causal mask zeroes keys after the query.
    const masked = (await (
      runKernel(K.MaskedSoftmax, { scores, mask: causal }, {}) as tf.Tensor
    ).array()) as number[][][][];
    expect(masked[1][2][0].slice(1)).toEqual([0, 0, 0, 0]);
    expect(masked[1][2][0][0]).toBeCloseTo(1, 6);
    tf.dispose([
      x,
      gamma,
      beta,
      xhat,
      rstd,
      x2,
      g2,
      xhat2,
      rstd2,
      th,
      phi,
      scores,
      causal,
      padding,
      y,
      logits,
      targets,
      mask,
      probs,
      dy,
    ]);
  }, 240_000);

  it('EcodeAttention: one dispatch, its gradient two, against the composed reference (masks, scale, dropout)', async () => {
    const r = (shape: number[], seed: number) => tf.randomNormal(shape, 0, 1, 'float32', seed);
    // B=2 rows, H=2 heads of dh=3; 70 keys is more than the 64 threads of a row workgroup.
    const causalBias = (tq: number, tk: number, batch: number) =>
      tf.tile(tf.mul(tf.sub(1, tf.linalg.bandPart(tf.ones([tq, tk]), -1, tk - tq)), -1e9).reshape([1, 1, tq, tk]), [
        batch,
        1,
        1,
        1,
      ]);
    const padding = (tk: number) =>
      tf.mul(
        tf.tensor4d(
          Array.from({ length: 2 * tk }, (_, i) => (i >= tk && i % tk >= tk - 2 ? 1 : 0)),
          [2, 1, 1, tk],
        ),
        -1e9,
      );
    const cases: { tq: number; tk: number; bias: tf.Tensor | undefined; scale: number; rate: number; what: string }[] =
      [
        { tq: 5, tk: 5, bias: causalBias(5, 5, 2), scale: 1, rate: 0, what: 'GPT-Neo: causal, no scaling' },
        { tq: 5, tk: 5, bias: causalBias(5, 5, 1), scale: 1, rate: 0, what: 'causal bias of batch 1' },
        {
          tq: 4,
          tk: 70,
          bias: padding(70),
          scale: 1 / Math.sqrt(3),
          rate: 0,
          what: 'cross attention: padding, 70 keys',
        },
        { tq: 6, tk: 6, bias: padding(6), scale: 1 / Math.sqrt(3), rate: 0.25, what: 'BERT: padding, dropout' },
        { tq: 3, tk: 7, bias: undefined, scale: 0.5, rate: 0, what: 'no bias' },
      ];
    for (const [n, c] of cases.entries()) {
      const q = r([2, c.tq, 6], 10 * n + 1);
      const k = r([2, c.tk, 6], 10 * n + 2);
      const v = r([2, c.tk, 6], 10 * n + 3);
      const dy = r([2, c.tq, 6], 10 * n + 4);
      const attrs = { heads: 2, scale: c.scale, rate: c.rate, seed: 1234 + n };
      const inputs: tf.NamedTensorMap = c.bias ? { q, k, v, bias: c.bias } : { q, k, v };
      const fwd = dispatchesOf(() => tf.engine().runKernel(K.Attention, inputs, attrs) as tf.Tensor[]);
      expect(fwd.dispatches, c.what).toBe(1);
      const [out, y] = fwd.value;
      const want = runReference(K.Attention, inputs, attrs) as tf.Tensor[];
      expect(out.shape).toEqual([2, c.tq, 6]);
      expect(y.shape).toEqual([2, 2, c.tq, c.tk]);
      expectClose(await values([out, y]), await values(want.slice(0, 2)), 2e-5, `${K.Attention} ${c.what}`);
      const gradInputs = { q, k, v, y, dy };
      const bwd = dispatchesOf(() => tf.engine().runKernel(K.AttentionGrad, gradInputs, attrs) as tf.Tensor[]);
      expect(bwd.dispatches, c.what).toBe(2);
      const wantGrad = runReference(K.AttentionGrad, gradInputs, attrs) as tf.Tensor[];
      expectClose(await values(bwd.value), await values(wantGrad), 2e-5, `${K.AttentionGrad} ${c.what}`);
      // Through the tape: the registered gradient runs the webgpu gradient kernel.
      const [dq, dk, dv] = tf.grads((a, b, cc) =>
        tf.sum(tf.mul(runKernel(K.Attention, { q: a, k: b, v: cc, bias: c.bias }, attrs) as tf.Tensor, dy)),
      )([q, k, v]);
      expectClose(await values([dq, dk, dv]), await values(wantGrad), 2e-5, `tape ${c.what}`);
      tf.dispose([q, k, v, dy, c.bias!, out, y, want, bwd.value, wantGrad, dq, dk, dv].filter((t) => t));
    }
  }, 240_000);

  it('EcodeCachedAttention: one dispatch over head-split cached keys, against the reference', async () => {
    const r = (shape: number[], seed: number) => tf.randomNormal(shape, 0, 1, 'float32', seed);
    // B=2, H=2 heads of dh=3: q [2,Tq,6], cache [4,Tk,3]; 70 keys is more than a row workgroup's threads.
    for (const [n, [tq, tk, masked, scale]] of (
      [
        [1, 70, true, 1],
        [1, 5, false, 0.5],
        [3, 5, true, 0.5],
      ] as const
    ).entries()) {
      const q = r([2, tq, 6], 40 + n);
      const k = r([4, tk, 3], 50 + n);
      const v = r([4, tk, 3], 60 + n);
      const bias = masked
        ? tf.mul(
            tf.tensor4d(
              Array.from({ length: 2 * tk }, (_, i) => (i >= tk && i % tk < 2 ? 1 : 0)),
              [2, 1, 1, tk],
            ),
            -1e9,
          )
        : undefined;
      const inputs: tf.NamedTensorMap = bias ? { q, k, v, bias } : { q, k, v };
      const attrs = { heads: 2, scale };
      const { value: got, dispatches } = dispatchesOf(() => runKernel(K.CachedAttention, inputs, attrs) as tf.Tensor);
      expect(dispatches, `${tq} queries`).toBe(1);
      expect(got.shape).toEqual([2, tq, 6]);
      // With several queries the reference reads kT (the cross attention keeps both layouts).
      const kT = tf.transpose(k, [0, 2, 1]);
      const want = runReference(K.CachedAttention, { ...inputs, kT }, attrs) as tf.Tensor;
      expectClose(await values(got), await values(want), 2e-5, `${K.CachedAttention} ${tq} queries, ${tk} keys`);
      tf.dispose([q, k, v, bias!, got, kT, want].filter((x) => x));
    }
    expect(() =>
      runKernel(
        K.CachedAttention,
        { q: r([2, 1, 6], 1), k: r([2, 4, 3], 2), v: r([2, 4, 3], 3) },
        { heads: 2, scale: 1 },
      ),
    ).toThrow(
      /EcodeCachedAttention: q \[2,1,6\], k \[2,4,3\], v \[2,4,3\] are not \[B,Tq,D\], \[B\*H,Tk,D\/H\] twice \(2 heads\)/,
    );
  }, 240_000);

  it('EcodeMatMul (every transpose flag) and EcodeLinear (with and without bias): one matmul dispatch each', async () => {
    const r = (shape: number[], seed: number) => tf.randomNormal(shape, 0, 1, 'float32', seed);
    const cases: [string, tf.NamedTensorMap, tf.NamedAttrMap][] = [];
    for (const transposeA of [false, true])
      for (const transposeB of [false, true]) {
        const a2 = r(transposeA ? [7, 5] : [5, 7], 1);
        const b2 = r(transposeB ? [3, 7] : [7, 3], 2);
        const a3 = r(transposeA ? [2, 7, 5] : [2, 5, 7], 3);
        const b3 = r(transposeB ? [2, 3, 7] : [2, 7, 3], 4);
        cases.push([K.MatMul, { a: a2, b: b2 }, { transposeA, transposeB }]);
        cases.push([K.MatMul, { a: a3, b: b3 }, { transposeA, transposeB }]);
      }
    cases.push([K.Linear, { x: r([6, 7], 5), w: r([4, 7], 6), bias: r([4], 7) }, {}]);
    cases.push([K.Linear, { x: r([6, 7], 5), w: r([4, 7], 6) }, {}]);
    for (const [name, inputs, attrs] of cases) {
      const { value: got, dispatches } = dispatchesOf(() => tf.engine().runKernel(name, inputs, attrs) as tf.Tensor);
      expect(dispatches, `${name} ${JSON.stringify(attrs)}`).toBe(1);
      const want = runReference(name, inputs, attrs) as tf.Tensor;
      expect(got.shape).toEqual(want.shape);
      expectClose(await values(got), await values(want), 1e-5, `${name} ${JSON.stringify(attrs)}`);
      tf.dispose([got, want]);
    }
    tf.dispose(cases.map(([, i]) => Object.values(i)));
  }, 240_000);

  it('EcodeDropout: one dispatch, the same mask bits as the wasm kernel (mulberry32 by counter), y within 1 ulp', async () => {
    const draw = async (rate: number, seed: number) => {
      const x = tf.randomNormal([3, 1000], 0, 1, 'float32', 9);
      const out = tf.engine().runKernel(K.Dropout, { x }, { rate, seed }) as tf.Tensor[];
      const got = [await x.data(), ...(await values(out))];
      tf.dispose([x, out]);
      return got;
    };
    const settings: [number, number][] = [
      [0.1, 42],
      [0.5, 0xfffffff0],
      [0, 7],
    ];
    await initBackend('wasm', () => {});
    const wasm = await Promise.all(settings.map(([r, s]) => draw(r, s)));
    await initBackend('webgpu', () => {});
    for (const [k, [rate, seed]] of settings.entries()) {
      const { value: pending, dispatches } = dispatchesOf(() => draw(rate, seed));
      expect(dispatches, `rate ${rate}`).toBe(1);
      const [x, y, s] = await pending;
      expect(x).toEqual(wasm[k][0]);
      expect(s, `mask, rate ${rate} seed ${seed}`).toEqual(wasm[k][2]);
      // wasm multiplies by the float64 1 / (1 - rate) before rounding; float32 here: the last bit.
      expect(relErr(y, wasm[k][1])).toBeLessThan(2e-7);
      const dropped = s.filter((v) => v === 0).length / s.length;
      expect(Math.abs(dropped - rate)).toBeLessThan(0.04);
    }
  }, 240_000);

  it('bad input names the kernel and the input', () => {
    const p = tf.zeros([4]);
    const bad = tf.zeros([5]);
    expect(() =>
      runKernel(
        K.AdamW,
        { param: p, expAvg: p, expAvgSq: p, grad: bad },
        { b1: 0.9, oneMinusB1: 0.1, b2: 0.9, oneMinusB2: 0.1, eps: 1e-8, bc2: 1, negStep: -1, decay: 1 },
      ),
    ).toThrow('EcodeAdamW: grad has shape [5], param [4]');
    expect(() => runKernel(K.GlobalNorm, { g: tf.zeros([2], 'int32') }, { maxNorm: 1 })).toThrow(
      'EcodeGlobalNorm: gradient g is int32, expected float32',
    );
    tf.dispose([p, bad]);
  });
});
