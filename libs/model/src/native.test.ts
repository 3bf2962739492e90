/**
 * The native kernels (native.ts, @ecode/native-kernels) against the portable wasm path (XNNPACK
 * products, JS fused kernels, tf-op AdamW) on the same inputs, and the fallback when the addon is
 * disabled or fails to load (child processes). Skipped where the addon is not built, except the
 * fallback tests, which run everywhere.
 */
import * as tf from '@tensorflow/tfjs';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadNative } from '@ecode/native-kernels';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from './backend.js';
import { FUSED, runFused } from './fused-kernels.js';
import { describeNative, nativeActive, nativeStatus, setNativeKernels } from './native.js';
import { AdamW } from './optim-adamw.js';
import { relErr } from './test-fixtures.js';
import { ToyModel, toySamples } from './testing/toy-model.js';
import { train } from './train.js';

const hasNative = loadNative().native !== null;

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
    await initBackend('wasm', () => {}, { wasmThreads: 1 });
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
      expect(relErr(nat, port), activation).toBeLessThan(1e-6);
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
      ['geluNew', () => runFused(FUSED.geluNew, { x: x() }), 2e-6],
      ['gelu', () => runFused(FUSED.gelu, { x: x() }), 2e-6],
      ['geluNewGrad', () => runFused(FUSED.geluNewGrad, { x: x(), t: tf.tanh(x()), dy: dy() }), 1e-6],
      ['geluGrad', () => runFused(FUSED.geluGrad, { x: x(), phi: tf.sigmoid(x()), dy: dy() }), 1e-6],
      [
        'layerNorm',
        () => runFused(FUSED.layerNorm, { x: x(), gamma: rand([64], 9), beta: rand([64], 10) }, { eps: 1e-5 }),
        1e-6,
      ],
      [
        'layerNormGrad',
        () =>
          runFused(FUSED.layerNormGrad, { xhat: x(), rstd: tf.abs(rand([37], 11)), gamma: rand([64], 12), dy: dy() }),
        1e-5,
      ],
      ['columnSum', () => runFused(FUSED.columnSum, { x: x() }), 1e-6],
      [
        'addMask (per query)',
        () => runFused(FUSED.addMask, { scores: rand([2, 3, 5, 7], 13), mask: rand([2, 1, 5, 7], 14) }),
        0,
      ],
      [
        'addMask (keys)',
        () => runFused(FUSED.addMask, { scores: rand([2, 3, 5, 7], 15), mask: rand([2, 1, 1, 7], 16) }),
        0,
      ],
      ['softmaxGrad', () => runFused(FUSED.softmaxGrad, { y: tf.softmax(x()), dy: dy() }), 1e-5],
      ['dropout', () => runFused(FUSED.dropout, { x: x() }, { rate: 0.3, seed: 1234 }), 0],
      [
        'xentGrad',
        () =>
          runFused(FUSED.xentGrad, {
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

  it('AdamW: the native update follows the tf-op one over several steps (weight decay, grad scale)', () => {
    const run = (on: boolean) => {
      setNativeKernels(on);
      const vars = new Map<string, tf.Variable>([
        ['w', tf.variable(rand([33, 17], 20), true, `adamw-w-${on}`)],
        ['b', tf.variable(rand([17], 21), true, `adamw-b-${on}`)],
      ]);
      const opt = new AdamW(vars, { weightDecay: 0.01, noDecay: (n) => n === 'b' });
      for (let step = 0; step < 4; step++) {
        const grads = new Map<string, tf.Tensor>([
          ['w', rand([33, 17], 30 + step)],
          ['b', rand([17], 40 + step)],
        ]);
        opt.apply(grads, 1e-2, { gradScale: step === 2 ? 0.5 : 1 });
        for (const g of grads.values()) g.dispose();
      }
      const out = [...vars.values()].map((v) => v.dataSync() as Float32Array);
      const state = opt.getState();
      const moments = [...state.tensors.values()].map((t) => t.dataSync() as Float32Array);
      for (const t of state.tensors.values()) t.dispose();
      opt.dispose();
      for (const v of vars.values()) v.dispose();
      return [...out, ...moments];
    };
    const nat = run(true);
    const port = run(false);
    setNativeKernels(true);
    // The same float32 operations in the same order as the tf ops: the same bits.
    for (let i = 0; i < nat.length; i++) expect(Array.from(nat[i]), `array ${i}`).toEqual(Array.from(port[i]));
  });
});

describe.skipIf(!hasNative)('native clipping in train', () => {
  it('folds the clip factor into AdamW: the same training as clipping with tf ops', async () => {
    await initBackend('wasm', () => {}, { wasmThreads: 1 });
    const data = toySamples(12, { seed: 5 });
    const run = async (on: boolean) => {
      setNativeKernels(on);
      const model = new ToyModel({ seed: 2, name: `clip-${on}` });
      const norms: number[] = [];
      // clipNorm 0.05: every step is clipped.
      await train(model, data, [], {
        seed: 1,
        batchSize: 4,
        lr: 0.05,
        epochs: 2,
        clipNorm: 0.05,
        progress: false,
        onMetrics: (m) => void norms.push(m.gradNorm),
      });
      const weights = [...model.variables.values()].map((v) => v.dataSync() as Float32Array);
      model.dispose();
      return { norms, weights };
    };
    const nat = await run(true);
    const port = await run(false);
    setNativeKernels(true);
    expect(nat.norms.length).toBe(6);
    for (let i = 0; i < nat.norms.length; i++) expect(nat.norms[i]).toBeCloseTo(port.norms[i], 5);
    expect(Math.min(...port.norms)).toBeGreaterThan(0.05);
    for (let i = 0; i < nat.weights.length; i++) expect(relErr(nat.weights[i], port.weights[i])).toBeLessThan(1e-5);
  });
});

/** Runs testing/native-probe.ts in a child process with `env` added. */
function probe(env: Record<string, string>): { log: string; active: boolean; reason?: string; loss: number } {
  const script = fileURLToPath(new URL('./testing/native-probe.ts', import.meta.url));
  const out = execFileSync(process.execPath, ['--import', 'tsx', script], {
    env: { ...process.env, ECODE_WASM_THREADS: '1', ...env },
    encoding: 'utf8',
    timeout: 120_000,
  });
  return JSON.parse(out.trim().split('\n').pop()!);
}

describe('native kernels fallback', () => {
  it('ECODE_NATIVE=0 runs the portable kernels, says so in the log line, and gives the same loss', () => {
    const off = probe({ ECODE_NATIVE: '0' });
    expect(off.active).toBe(false);
    expect(off.reason).toBe('disabled by ECODE_NATIVE=0');
    expect(off.log).toContain('kernels: wasm XNNPACK + JS (native off: disabled by ECODE_NATIVE=0)');
    expect(Number.isFinite(off.loss)).toBe(true);
    if (hasNative) {
      const on = probe({});
      expect(on.active).toBe(true);
      expect(on.log).toMatch(/tfjs backend: wasm, 1 thread, kernels: native \(OpenBLAS \w+, 1 thread\)/);
      expect(Math.abs(on.loss - off.loss) / off.loss).toBeLessThan(1e-5);
    }
  }, 240_000);

  it('an addon that fails to load (a corrupt file) falls back with the reason', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ecode-native-'));
    const bad = join(dir, 'ecode_native.node');
    writeFileSync(bad, 'not a shared object');
    const r = probe({ ECODE_NATIVE_ADDON: bad });
    expect(r.active).toBe(false);
    expect(r.reason).toMatch(/^it did not load: /);
    expect(r.log).toContain('native off: it did not load');
    expect(Number.isFinite(r.loss)).toBe(true);
  }, 120_000);
});
