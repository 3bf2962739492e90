/** The wasm kernels that replace stock ones (Transpose, GatherV2) against plain JS references. */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { startWasm } from '../testing/wasm.js';
import { blockSwapOf } from './Transpose.js';

beforeAll(startWasm);

/** out[perm-ordered index] = x[index], the definition of transpose. */
function reference(x: Float32Array, shape: number[], perm: number[]): Float32Array {
  const outShape = perm.map((p) => shape[p]);
  const stride = (s: number[]) => s.map((_, i) => s.slice(i + 1).reduce((a, b) => a * b, 1));
  const inStride = stride(shape);
  const outStride = stride(outShape);
  const out = new Float32Array(x.length);
  for (let flat = 0; flat < x.length; flat++) {
    let rest = flat;
    let dst = 0;
    const idx = shape.map((_, d) => {
      const v = Math.floor(rest / inStride[d]);
      rest -= v * inStride[d];
      return v;
    });
    perm.forEach((p, d) => (dst += idx[p] * outStride[d]));
    out[dst] = x[flat];
  }
  return out;
}

describe('Transpose on wasm', () => {
  it('recognises block swaps', () => {
    expect(blockSwapOf([3, 4], [1, 0])).toEqual({ batch: 1, a: 3, b: 4, inner: 1 });
    expect(blockSwapOf([2, 3, 4, 5], [0, 2, 1, 3])).toEqual({ batch: 2, a: 3, b: 4, inner: 5 });
    expect(blockSwapOf([2, 3, 4], [0, 2, 1])).toEqual({ batch: 2, a: 3, b: 4, inner: 1 });
    expect(blockSwapOf([2, 3, 4], [2, 0, 1])).toEqual({ batch: 1, a: 6, b: 4, inner: 1 });
    expect(blockSwapOf([2, 3, 4], [1, 2, 0])).toEqual({ batch: 1, a: 2, b: 12, inner: 1 });
    expect(blockSwapOf([2, 3, 4], [2, 1, 0])).toBeNull();
    expect(blockSwapOf([2, 3], [0, 1])).toBeNull();
  });

  it('gives the reference values for tiled (aliasing) and stock shapes', () => {
    const cases: [number[], number[]][] = [
      [
        [256, 70],
        [1, 0],
      ],
      [
        [512, 33],
        [1, 0],
      ],
      [
        [3, 256, 40],
        [0, 2, 1],
      ],
      [
        [2, 256, 3, 5],
        [0, 2, 1, 3],
      ],
      [
        [37, 19],
        [1, 0],
      ],
      [
        [4, 5, 6],
        [2, 1, 0],
      ],
    ];
    for (const [shape, perm] of cases) {
      const n = shape.reduce((a, b) => a * b, 1);
      const x = Float32Array.from({ length: n }, (_, i) => i * 0.5 - 7);
      const got = tf.tidy(() => tf.transpose(tf.tensor(x, shape), perm).dataSync());
      expect(Array.from(got), `${shape} ${perm}`).toEqual(Array.from(reference(x, shape, perm)));
    }
    const ints = tf.tensor([1, 2, 3, 4, 5, 6], [256 / 128, 3], 'int32');
    expect(Array.from(tf.transpose(ints).dataSync())).toEqual([1, 4, 2, 5, 3, 6]);
    ints.dispose();
  });
});

describe('GatherV2 on wasm', () => {
  it('row copies along axis 0 give the reference rows; other axes and bad indices as before', () => {
    const table = tf.tensor2d(
      Float32Array.from({ length: 5 * 3 }, (_, i) => i * 0.25 - 1),
      [5, 3],
    );
    const ids = tf.tensor2d([4, 0, 2, 2, 1, 3], [2, 3], 'int32');
    const got = tf.gather(table, ids);
    expect(got.shape).toEqual([2, 3, 3]);
    const t = table.arraySync();
    expect(got.arraySync()).toEqual(ids.arraySync().map((r) => r.map((i) => t[i])));
    // A column vector (row size 1), int32 data, and axis 1 (the stock kernel).
    const col = tf.tensor1d([10, 11, 12], 'int32');
    expect(Array.from(tf.gather(col, tf.tensor1d([2, 0, 2], 'int32')).dataSync())).toEqual([12, 10, 12]);
    expect(tf.gather(table, tf.tensor1d([2, 0], 'int32'), 1).arraySync()).toEqual(t.map((r) => [r[2], r[0]]));
    expect(() => tf.gather(table, tf.tensor1d([5], 'int32'))).toThrow(/index value 5 is not in \[0, 4\]/);
    tf.dispose([table, ids, got, col]);
  });
});
